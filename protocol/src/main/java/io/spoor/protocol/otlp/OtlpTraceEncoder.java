package io.spoor.protocol.otlp;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.spoor.model.Attributes;
import io.spoor.model.Span;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes model spans as OTLP (protobuf or JSON), for forwarding to another backend, for the load generator
 * and for API layers that answer in OTLP JSON.
 */
public final class OtlpTraceEncoder {
    private OtlpTraceEncoder() {
    }

    /**
     * One request grouping spans by resource and scope (equal values, not only identical references), groups
     * in order of first appearance, spans in their given order within a group.
     */
    public static ExportTraceServiceRequest toRequest(List<Span> spans) {
        return ModelToProto.request(spans);
    }

    public static byte[] encodeProtobuf(List<Span> spans) {
        return toRequest(spans).toByteArray();
    }

    /** OTLP JSON: lower-case hex ids, enums as integers, 64-bit integers as strings, defaults left out. */
    public static byte[] encodeJson(List<Span> spans) {
        try (ByteArrayBuilder buffer = new ByteArrayBuilder(4096);
             JsonGenerator g = JsonInput.FACTORY.createGenerator(buffer)) {
            JsonSpanWriter.request(g, spans);
            g.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
    }

    /**
     * Writes the {@code resourceSpans} elements for {@code spans} (grouped as {@link #toRequest} groups them)
     * without the enclosing array, so that an API can stream the groups of many traces into one array.
     */
    public static void writeJsonResourceSpans(JsonGenerator g, List<Span> spans) throws IOException {
        JsonSpanWriter.resourceSpans(g, spans);
    }

    /** Writes an OTLP-JSON KeyValue array. */
    public static void writeJsonAttributes(JsonGenerator g, Attributes attributes) throws IOException {
        JsonSpanWriter.attributes(g, attributes);
    }
}
