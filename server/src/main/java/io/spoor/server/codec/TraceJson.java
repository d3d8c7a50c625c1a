package io.spoor.server.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import io.spoor.model.Attributes;
import io.spoor.model.DependencyLink;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanId;
import io.spoor.model.SpanLink;
import io.spoor.model.Trace;
import io.spoor.model.TraceSummary;
import io.spoor.protocol.otlp.OtlpTraceEncoder;
import io.spoor.query.AssembledTrace;
import io.spoor.storage.Operation;
import io.spoor.server.http.JsonBody;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The native JSON of {@code /api/v1} (docs/api.md), the codec beside the Jaeger and Zipkin writers of the
 * {@code protocol} module. It lives here, not there, because it writes query-side values (an
 * {@link AssembledTrace} with its warnings and truncation, storage {@link Operation}s) and {@code protocol} depends
 * on the model only. Ids are lowercase hex; every epoch-nanosecond and nanosecond
 * value is a decimal string (as in OTLP JSON: they do not fit a JavaScript number); enums are names;
 * attributes are OTLP JSON {@code KeyValue} arrays, which keep the value types.
 */
public final class TraceJson {

    private TraceJson() {
    }

    /** One trace: {@code {"traceId", "spans":[…]}}, and {@code "truncated"} when spans were left out. */
    public static JsonBody trace(AssembledTrace assembled) {
        return g -> trace(g, assembled);
    }

    static void trace(JsonGenerator g, AssembledTrace assembled) throws IOException {
        Trace trace = assembled.trace();
        String traceId = trace.traceId().toHex();
        g.writeStartObject();
        g.writeStringField("traceId", traceId);
        g.writeArrayFieldStart("spans");
        for (Span s : trace.spans()) {
            // a trace's spans share its id: its hex is made once, not once per span
            span(g, s, assembled.warnings(s), s.traceId().equals(trace.traceId()) ? traceId : s.traceId().toHex());
        }
        g.writeEndArray();
        if (assembled.truncated()) {
            g.writeObjectFieldStart("truncated");
            g.writeNumberField("spanCount", assembled.storedSpans());
            g.writeNumberField("shownSpanCount", trace.spans().size());
            g.writeStringField("message", assembled.truncationWarning());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    static void span(JsonGenerator g, Span s, List<String> warnings, String traceIdHex) throws IOException {
        g.writeStartObject();
        g.writeStringField("traceId", traceIdHex);
        g.writeStringField("spanId", SpanId.toHex(s.spanId()));
        g.writeStringField("parentSpanId", s.parentSpanId() == SpanId.NONE ? "" : SpanId.toHex(s.parentSpanId()));
        if (!s.traceState().isEmpty()) {
            g.writeStringField("traceState", s.traceState());
        }
        g.writeNumberField("flags", s.flags());
        g.writeStringField("name", s.name());
        g.writeStringField("kind", s.kind().name());
        g.writeStringField("serviceName", s.serviceName());
        g.writeStringField("startTimeUnixNano", Long.toUnsignedString(s.startEpochNanos()));
        g.writeStringField("endTimeUnixNano", Long.toUnsignedString(s.endEpochNanos()));
        g.writeStringField("durationNanos", Long.toString(s.durationNanos()));
        attributes(g, "attributes", s.attributes());
        dropped(g, "droppedAttributesCount", s.droppedAttributesCount());
        g.writeArrayFieldStart("events");
        for (SpanEvent e : s.events()) {
            g.writeStartObject();
            g.writeStringField("timeUnixNano", Long.toUnsignedString(e.epochNanos()));
            g.writeStringField("name", e.name());
            attributes(g, "attributes", e.attributes());
            dropped(g, "droppedAttributesCount", e.droppedAttributesCount());
            g.writeEndObject();
        }
        g.writeEndArray();
        dropped(g, "droppedEventsCount", s.droppedEventsCount());
        g.writeArrayFieldStart("links");
        for (SpanLink l : s.links()) {
            g.writeStartObject();
            g.writeStringField("traceId", l.traceId().toHex());
            g.writeStringField("spanId", SpanId.toHex(l.spanId()));
            if (!l.traceState().isEmpty()) {
                g.writeStringField("traceState", l.traceState());
            }
            g.writeNumberField("flags", l.flags());
            attributes(g, "attributes", l.attributes());
            dropped(g, "droppedAttributesCount", l.droppedAttributesCount());
            g.writeEndObject();
        }
        g.writeEndArray();
        dropped(g, "droppedLinksCount", s.droppedLinksCount());
        g.writeObjectFieldStart("status");
        g.writeStringField("code", s.status().code().name());
        g.writeStringField("message", s.status().message());
        g.writeEndObject();
        resource(g, s.resource());
        g.writeObjectFieldStart("scope");
        g.writeStringField("name", s.scope().name());
        g.writeStringField("version", s.scope().version());
        attributes(g, "attributes", s.scope().attributes());
        dropped(g, "droppedAttributesCount", s.scope().droppedAttributesCount());
        g.writeEndObject();
        if (!warnings.isEmpty()) {
            g.writeArrayFieldStart("warnings");
            for (String w : warnings) {
                g.writeString(w);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    public static JsonBody dependencies(List<DependencyLink> links) {
        return g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("dependencies");
            for (DependencyLink l : links) {
                g.writeStartObject();
                g.writeStringField("parent", l.parent());
                g.writeStringField("child", l.child());
                g.writeNumberField("callCount", l.callCount());
                g.writeNumberField("errorCount", l.errorCount());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        };
    }

    private static void resource(JsonGenerator g, Resource r) throws IOException {
        g.writeObjectFieldStart("resource");
        attributes(g, "attributes", r.attributes());
        if (!r.schemaUrl().isEmpty()) {
            g.writeStringField("schemaUrl", r.schemaUrl());
        }
        dropped(g, "droppedAttributesCount", r.droppedAttributesCount());
        g.writeEndObject();
    }

    private static void attributes(JsonGenerator g, String field, Attributes a) throws IOException {
        g.writeFieldName(field);
        OtlpTraceEncoder.writeJsonAttributes(g, a);
    }

    private static void dropped(JsonGenerator g, String field, int count) throws IOException {
        if (count != 0) {
            g.writeNumberField(field, Integer.toUnsignedLong(count)); // uint32 in OTLP
        }
    }

    public static JsonBody summaries(List<TraceSummary> summaries) {
        return g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("traces");
            for (TraceSummary t : summaries) {
                g.writeStartObject();
                g.writeStringField("traceId", t.traceId().toHex());
                g.writeStringField("rootServiceName", t.rootServiceName());
                g.writeStringField("rootSpanName", t.rootSpanName());
                g.writeStringField("startTimeUnixNano", Long.toUnsignedString(t.startEpochNanos()));
                g.writeStringField("durationNanos", Long.toString(t.durationNanos()));
                g.writeNumberField("spanCount", t.spanCount());
                g.writeNumberField("errorCount", t.errorCount());
                g.writeArrayFieldStart("services");
                for (Map.Entry<String, Integer> e : new TreeMap<>(t.spansPerService()).entrySet()) {
                    g.writeStartObject();
                    g.writeStringField("name", e.getKey());
                    g.writeNumberField("spanCount", e.getValue());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        };
    }

    public static JsonBody services(List<String> services) {
        return g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("services");
            for (String s : services) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeEndObject();
        };
    }

    public static JsonBody operations(List<Operation> operations) {
        return g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("operations");
            for (Operation o : operations) {
                g.writeStartObject();
                g.writeStringField("name", o.name());
                g.writeStringField("kind", o.kind().name());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        };
    }
}
