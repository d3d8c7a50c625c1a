package io.spoor.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Attribute values as plain JSON ({@code "a"}, {@code 2}, {@code true}, {@code ["a",2]}, {@code {"k":"v"}}), the
 * form OpenTelemetry's non-OTLP mappings use for values a target format cannot type (Zipkin tags and annotations,
 * Jaeger string tags). Non-finite doubles and bytes are written as strings.
 */
public final class AttributeJson {
    private static final JsonFactory JSON = new JsonFactory();

    private AttributeJson() {
    }

    public static void write(JsonGenerator g, AttributeValue v) throws IOException {
        switch (v) {
            case AttributeValue.StringValue s -> g.writeString(s.value());
            case AttributeValue.BoolValue b -> g.writeBoolean(b.value());
            case AttributeValue.LongValue l -> g.writeNumber(l.value());
            case AttributeValue.DoubleValue d -> {
                if (Double.isFinite(d.value())) {
                    g.writeNumber(d.value());
                } else {
                    g.writeString(Double.toString(d.value()));
                }
            }
            case AttributeValue.BytesValue b -> g.writeString(b.asString());
            case AttributeValue.ArrayValue a -> {
                g.writeStartArray();
                for (AttributeValue e : a.values()) {
                    write(g, e);
                }
                g.writeEndArray();
            }
            case AttributeValue.MapValue m -> {
                g.writeStartObject();
                for (Attribute a : m.values().asList()) {
                    g.writeFieldName(a.key());
                    write(g, a.value());
                }
                g.writeEndObject();
            }
        }
    }

    public static String toJson(AttributeValue v) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            write(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
