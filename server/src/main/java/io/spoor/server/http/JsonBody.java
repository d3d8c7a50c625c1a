package io.spoor.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** A response body written with a JSON generator, materialised or streamed by {@link JsonResponses}. */
@FunctionalInterface
public interface JsonBody {
    void write(JsonGenerator g) throws IOException;
}
