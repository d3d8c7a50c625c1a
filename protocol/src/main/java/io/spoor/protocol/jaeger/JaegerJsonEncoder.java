package io.spoor.protocol.jaeger;

import com.fasterxml.jackson.core.JsonGenerator;
import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanId;
import io.spoor.model.SpanKind;
import io.spoor.model.SpanLink;
import io.spoor.model.StatusCode;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.protocol.AttributeJson;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes a trace in the JSON of Jaeger's query service ({@code /api/traces/{id}}: what the Jaeger UI and Grafana's
 * Jaeger data source read), converting from the OpenTelemetry model as Jaeger's own OTLP translator does:
 * <ul>
 *   <li>ids in hex (a 64-bit trace id, high half zero, as 16 characters), times and durations in µs;</li>
 *   <li>the parent as a {@code CHILD_OF} reference, span links as {@code FOLLOWS_FROM} references;</li>
 *   <li>attributes as typed tags ({@code string}, {@code bool}, {@code int64}, {@code float64}, {@code binary};
 *       arrays and maps as JSON strings), plus {@code span.kind}, {@code otel.status_code},
 *       {@code otel.status_description}, {@code error=true} for ERROR, {@code otel.scope.name/version},
 *       {@code w3c.tracestate};</li>
 *   <li>dropped counts (when not zero) as {@code otel.dropped_attributes_count}, {@code otel.dropped_events_count}
 *       and {@code otel.dropped_links_count} tags of the span, {@code otel.dropped_attributes_count} fields of its
 *       logs and tags of its process, as OpenTelemetry's mapping to non-OTLP formats names them;</li>
 *   <li>events as logs whose {@code event} field is the event name;</li>
 *   <li>one process per distinct resource ({@code p1}, {@code p2}, … in order of appearance) with the resource
 *       attributes other than {@code service.name} as its tags;</li>
 *   <li>query-time warnings (clock skew) in each span's {@code warnings}.</li>
 * </ul>
 */
public final class JaegerJsonEncoder {
    private static final String DROPPED_ATTRIBUTES = "otel.dropped_attributes_count";
    private JaegerJsonEncoder() {
    }

    /** Jaeger's rendering of a trace id: 16 hex characters when the high half is zero, else 32. */
    public static String traceIdHex(TraceId id) {
        return id.high() == 0 ? SpanId.toHex(id.low()) : id.toHex();
    }

    public static void writeTrace(JsonGenerator g, Trace trace, Function<Span, List<String>> warnings)
            throws IOException {
        Map<Resource, String> processes = new LinkedHashMap<>();
        for (Span s : trace.spans()) {
            processes.computeIfAbsent(s.resource(), r -> "p" + (processes.size() + 1));
        }
        g.writeStartObject();
        g.writeStringField("traceID", traceIdHex(trace.traceId()));
        g.writeArrayFieldStart("spans");
        for (Span s : trace.spans()) {
            writeSpan(g, s, processes.get(s.resource()), warnings.apply(s));
        }
        g.writeEndArray();
        g.writeObjectFieldStart("processes");
        for (Map.Entry<Resource, String> e : processes.entrySet()) {
            g.writeObjectFieldStart(e.getValue());
            g.writeStringField("serviceName", e.getKey().serviceName());
            g.writeArrayFieldStart("tags");
            for (Attribute a : e.getKey().attributes().asList()) {
                if (!a.key().equals(Resource.SERVICE_NAME)) {
                    tag(g, a.key(), a.value());
                }
            }
            dropped(g, DROPPED_ATTRIBUTES, e.getKey().droppedAttributesCount());
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeNullField("warnings");
        g.writeEndObject();
    }

    private static void writeSpan(JsonGenerator g, Span s, String processId, List<String> warnings)
            throws IOException {
        String traceId = traceIdHex(s.traceId());
        g.writeStartObject();
        g.writeStringField("traceID", traceId);
        g.writeStringField("spanID", SpanId.toHex(s.spanId()));
        g.writeNumberField("flags", Integer.toUnsignedLong(s.flags()));
        g.writeStringField("operationName", s.name());
        g.writeArrayFieldStart("references");
        if (s.parentSpanId() != SpanId.NONE) {
            reference(g, "CHILD_OF", traceId, s.parentSpanId());
        }
        for (SpanLink l : s.links()) {
            reference(g, "FOLLOWS_FROM", traceIdHex(l.traceId()), l.spanId());
        }
        g.writeEndArray();
        g.writeNumberField("startTime", s.startEpochNanos() / 1000);
        g.writeNumberField("duration", s.durationNanos() / 1000);
        g.writeArrayFieldStart("tags");
        for (Attribute a : s.attributes().asList()) {
            if (!a.key().equals("error") || s.status().code() != StatusCode.ERROR) {
                tag(g, a.key(), a.value());
            }
        }
        if (!s.scope().name().isEmpty()) {
            tag(g, "otel.scope.name", AttributeValue.of(s.scope().name()));
        }
        if (!s.scope().version().isEmpty()) {
            tag(g, "otel.scope.version", AttributeValue.of(s.scope().version()));
        }
        if (s.kind() != SpanKind.UNSPECIFIED) {
            tag(g, "span.kind", AttributeValue.of(s.kind().name().toLowerCase(Locale.ROOT)));
        }
        if (s.status().code() == StatusCode.ERROR) {
            tag(g, "error", AttributeValue.of(true));
        }
        if (s.status().code() != StatusCode.UNSET) {
            tag(g, "otel.status_code", AttributeValue.of(s.status().code().name()));
        }
        if (!s.status().message().isEmpty()) {
            tag(g, "otel.status_description", AttributeValue.of(s.status().message()));
        }
        if (!s.traceState().isEmpty()) {
            tag(g, "w3c.tracestate", AttributeValue.of(s.traceState()));
        }
        dropped(g, DROPPED_ATTRIBUTES, s.droppedAttributesCount());
        dropped(g, "otel.dropped_events_count", s.droppedEventsCount());
        dropped(g, "otel.dropped_links_count", s.droppedLinksCount());
        g.writeEndArray();
        g.writeArrayFieldStart("logs");
        for (SpanEvent e : s.events()) {
            g.writeStartObject();
            g.writeNumberField("timestamp", e.epochNanos() / 1000);
            g.writeArrayFieldStart("fields");
            if (!e.name().isEmpty()) {
                tag(g, "event", AttributeValue.of(e.name()));
            }
            for (Attribute a : e.attributes().asList()) {
                tag(g, a.key(), a.value());
            }
            dropped(g, DROPPED_ATTRIBUTES, e.droppedAttributesCount());
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("processID", processId);
        if (warnings.isEmpty()) {
            g.writeNullField("warnings");
        } else {
            g.writeArrayFieldStart("warnings");
            for (String w : warnings) {
                g.writeString(w);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** A dropped count as an int64 tag, when not zero (counts are uint32 in OTLP). */
    private static void dropped(JsonGenerator g, String key, int count) throws IOException {
        if (count != 0) {
            tag(g, key, AttributeValue.of(Integer.toUnsignedLong(count)));
        }
    }

    private static void reference(JsonGenerator g, String type, String traceId, long spanId) throws IOException {
        g.writeStartObject();
        g.writeStringField("refType", type);
        g.writeStringField("traceID", traceId);
        g.writeStringField("spanID", SpanId.toHex(spanId));
        g.writeEndObject();
    }

    /** One {@code {key, type, value}} tag. */
    static void tag(JsonGenerator g, String key, AttributeValue v) throws IOException {
        g.writeStartObject();
        g.writeStringField("key", key);
        switch (v) {
            case AttributeValue.StringValue s -> {
                g.writeStringField("type", "string");
                g.writeStringField("value", s.value());
            }
            case AttributeValue.BoolValue b -> {
                g.writeStringField("type", "bool");
                g.writeBooleanField("value", b.value());
            }
            case AttributeValue.LongValue l -> {
                g.writeStringField("type", "int64");
                g.writeNumberField("value", l.value());
            }
            case AttributeValue.DoubleValue d -> {
                g.writeStringField("type", "float64");
                if (Double.isFinite(d.value())) {
                    g.writeNumberField("value", d.value());
                } else {
                    g.writeStringField("value", Double.toString(d.value()));
                }
            }
            case AttributeValue.BytesValue b -> {
                g.writeStringField("type", "binary");
                g.writeStringField("value", Base64.getEncoder().encodeToString(b.value()));
            }
            case AttributeValue.ArrayValue a -> {
                g.writeStringField("type", "string");
                g.writeStringField("value", AttributeJson.toJson(a));
            }
            case AttributeValue.MapValue m -> {
                g.writeStringField("type", "string");
                g.writeStringField("value", AttributeJson.toJson(m));
            }
        }
        g.writeEndObject();
    }
}
