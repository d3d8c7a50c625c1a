package io.spoor.protocol.otlp;

import com.fasterxml.jackson.core.JsonGenerator;
import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanId;
import io.spoor.model.SpanLink;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * Writes OTLP JSON as the proto3 JSON mapping does: lowerCamelCase keys, lower-case hex ids, enums as
 * integers, 64-bit integers as decimal strings, default values left out.
 */
final class JsonSpanWriter {
    private JsonSpanWriter() {
    }

    static void request(JsonGenerator g, List<Span> spans) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("resourceSpans");
        resourceSpans(g, spans);
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The elements of a {@code resourceSpans} array for {@code spans}, without the array itself. */
    static void resourceSpans(JsonGenerator g, List<Span> spans) throws IOException {
        for (SpanGroups.ResourceGroup rg : SpanGroups.of(spans).resources()) {
            g.writeStartObject();
            resource(g, rg.resource());
            g.writeArrayFieldStart("scopeSpans");
            for (SpanGroups.ScopeGroup sg : rg.scopes()) {
                g.writeStartObject();
                scope(g, sg.scope());
                g.writeArrayFieldStart("spans");
                for (Span span : sg.spans()) {
                    span(g, span);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            if (!rg.resource().schemaUrl().isEmpty()) {
                g.writeStringField("schemaUrl", rg.resource().schemaUrl());
            }
            g.writeEndObject();
        }
    }

    private static void resource(JsonGenerator g, Resource resource) throws IOException {
        g.writeObjectFieldStart("resource");
        attributesField(g, "attributes", resource.attributes());
        uint32Field(g, "droppedAttributesCount", resource.droppedAttributesCount());
        g.writeEndObject();
    }

    private static void scope(JsonGenerator g, InstrumentationScope scope) throws IOException {
        g.writeObjectFieldStart("scope");
        stringField(g, "name", scope.name());
        stringField(g, "version", scope.version());
        attributesField(g, "attributes", scope.attributes());
        uint32Field(g, "droppedAttributesCount", scope.droppedAttributesCount());
        g.writeEndObject();
    }

    static void span(JsonGenerator g, Span s) throws IOException {
        g.writeStartObject();
        g.writeStringField("traceId", s.traceId().toHex());
        g.writeStringField("spanId", SpanId.toHex(s.spanId()));
        stringField(g, "traceState", s.traceState());
        if (s.parentSpanId() != SpanId.NONE) {
            g.writeStringField("parentSpanId", SpanId.toHex(s.parentSpanId()));
        }
        uint32Field(g, "flags", s.flags());
        stringField(g, "name", s.name());
        if (s.kind().wireValue() != 0) {
            g.writeNumberField("kind", s.kind().wireValue());
        }
        uint64Field(g, "startTimeUnixNano", s.startEpochNanos());
        uint64Field(g, "endTimeUnixNano", s.endEpochNanos());
        attributesField(g, "attributes", s.attributes());
        uint32Field(g, "droppedAttributesCount", s.droppedAttributesCount());
        if (!s.events().isEmpty()) {
            g.writeArrayFieldStart("events");
            for (SpanEvent e : s.events()) {
                event(g, e);
            }
            g.writeEndArray();
        }
        uint32Field(g, "droppedEventsCount", s.droppedEventsCount());
        if (!s.links().isEmpty()) {
            g.writeArrayFieldStart("links");
            for (SpanLink l : s.links()) {
                link(g, l);
            }
            g.writeEndArray();
        }
        uint32Field(g, "droppedLinksCount", s.droppedLinksCount());
        status(g, s.status());
        g.writeEndObject();
    }

    private static void event(JsonGenerator g, SpanEvent e) throws IOException {
        g.writeStartObject();
        uint64Field(g, "timeUnixNano", e.epochNanos());
        stringField(g, "name", e.name());
        attributesField(g, "attributes", e.attributes());
        uint32Field(g, "droppedAttributesCount", e.droppedAttributesCount());
        g.writeEndObject();
    }

    private static void link(JsonGenerator g, SpanLink l) throws IOException {
        g.writeStartObject();
        g.writeStringField("traceId", l.traceId().toHex());
        g.writeStringField("spanId", SpanId.toHex(l.spanId()));
        stringField(g, "traceState", l.traceState());
        attributesField(g, "attributes", l.attributes());
        uint32Field(g, "droppedAttributesCount", l.droppedAttributesCount());
        uint32Field(g, "flags", l.flags());
        g.writeEndObject();
    }

    private static void status(JsonGenerator g, Status status) throws IOException {
        if (status.code() == StatusCode.UNSET && status.message().isEmpty()) {
            return;
        }
        g.writeObjectFieldStart("status");
        stringField(g, "message", status.message());
        if (status.code().wireValue() != 0) {
            g.writeNumberField("code", status.code().wireValue());
        }
        g.writeEndObject();
    }

    private static void attributesField(JsonGenerator g, String name, Attributes attributes) throws IOException {
        if (!attributes.isEmpty()) {
            g.writeFieldName(name);
            attributes(g, attributes);
        }
    }

    /** A KeyValue array; written even when empty, since the caller asked for the array itself. */
    static void attributes(JsonGenerator g, Attributes attributes) throws IOException {
        g.writeStartArray();
        for (Attribute a : attributes.asList()) {
            g.writeStartObject();
            g.writeStringField("key", a.key());
            g.writeFieldName("value");
            anyValue(g, a.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void anyValue(JsonGenerator g, AttributeValue value) throws IOException {
        g.writeStartObject();
        // A oneof member is written even when it holds its default: its presence is the type.
        switch (value) {
            case AttributeValue.StringValue v -> g.writeStringField("stringValue", v.value());
            case AttributeValue.BoolValue v -> g.writeBooleanField("boolValue", v.value());
            case AttributeValue.LongValue v -> g.writeStringField("intValue", Long.toString(v.value()));
            case AttributeValue.DoubleValue v -> {
                double d = v.value();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    g.writeStringField("doubleValue", Double.toString(d)); // "NaN", "Infinity", "-Infinity"
                } else {
                    g.writeNumberField("doubleValue", d);
                }
            }
            case AttributeValue.BytesValue v ->
                    g.writeStringField("bytesValue", Base64.getEncoder().encodeToString(v.value()));
            case AttributeValue.ArrayValue v -> {
                g.writeObjectFieldStart("arrayValue");
                if (!v.values().isEmpty()) {
                    g.writeArrayFieldStart("values");
                    for (AttributeValue e : v.values()) {
                        anyValue(g, e);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            case AttributeValue.MapValue v -> {
                g.writeObjectFieldStart("kvlistValue");
                attributesField(g, "values", v.values());
                g.writeEndObject();
            }
        }
        g.writeEndObject();
    }

    private static void stringField(JsonGenerator g, String name, String value) throws IOException {
        if (!value.isEmpty()) {
            g.writeStringField(name, value);
        }
    }

    /** uint32/fixed32 fit a JSON number exactly; written unsigned so the bits survive a round trip. */
    private static void uint32Field(JsonGenerator g, String name, int value) throws IOException {
        if (value != 0) {
            g.writeNumberField(name, Integer.toUnsignedLong(value));
        }
    }

    /** fixed64 as a decimal string (JavaScript numbers cannot hold nanosecond timestamps). */
    private static void uint64Field(JsonGenerator g, String name, long value) throws IOException {
        if (value != 0) {
            g.writeStringField(name, Long.toUnsignedString(value));
        }
    }
}
