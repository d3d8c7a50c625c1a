package io.spoor.protocol.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanKind;
import io.spoor.model.SpanLink;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import java.util.ArrayList;
import java.util.List;

/** Maps parsed OTLP protobuf messages to the model, rejecting spans with unusable ids. */
final class ProtoToModel {
    private ProtoToModel() {
    }

    static DecodedTraces spans(ExportTraceServiceRequest request) {
        int total = 0;
        for (ResourceSpans rs : request.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                total += ss.getSpansCount();
            }
        }
        List<Span> out = new ArrayList<>(total);
        Rejections rejections = new Rejections();
        for (int r = 0; r < request.getResourceSpansCount(); r++) {
            ResourceSpans rs = request.getResourceSpans(r);
            // One Resource and one scope object per group, shared by reference by all its spans.
            Resource resource = new Resource(attributes(rs.getResource().getAttributesList()), rs.getSchemaUrl(),
                    rs.getResource().getDroppedAttributesCount());
            int spanIndex = 0;
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                InstrumentationScope scope = scope(ss.getScope());
                for (int i = 0; i < ss.getSpansCount(); i++, spanIndex++) {
                    io.opentelemetry.proto.trace.v1.Span s = ss.getSpans(i);
                    String problem = idProblem(s);
                    if (problem != null) {
                        rejections.reject(r, spanIndex, problem);
                    } else {
                        out.add(span(s, resource, scope));
                    }
                }
            }
        }
        return rejections.result(out);
    }

    private static String idProblem(io.opentelemetry.proto.trace.v1.Span s) {
        String problem = Ids.traceIdProblem(s.getTraceId(), "trace_id");
        if (problem == null) {
            problem = Ids.spanIdProblem(s.getSpanId(), "span_id");
        }
        return problem != null ? problem : Ids.parentSpanIdProblem(s.getParentSpanId());
    }

    static Span span(io.opentelemetry.proto.trace.v1.Span s, Resource resource, InstrumentationScope scope) {
        ByteString parent = s.getParentSpanId();
        List<SpanLink> links = List.of();
        int droppedLinks = s.getDroppedLinksCount();
        if (s.getLinksCount() > 0) {
            links = new ArrayList<>(s.getLinksCount());
            for (io.opentelemetry.proto.trace.v1.Span.Link l : s.getLinksList()) {
                if (!Ids.isValidLinkTarget(l.getTraceId(), l.getSpanId())) {
                    droppedLinks++; // a link to nowhere is useless, but the span itself is still good
                    continue;
                }
                links.add(new SpanLink(Ids.traceId(l.getTraceId()), Ids.readLong(l.getSpanId(), 0), l.getTraceState(),
                        attributes(l.getAttributesList()), l.getDroppedAttributesCount(), l.getFlags()));
            }
        }
        return new Span(
                Ids.traceId(s.getTraceId()),
                Ids.readLong(s.getSpanId(), 0),
                parent.isEmpty() ? 0 : Ids.readLong(parent, 0),
                s.getTraceState(),
                s.getFlags(),
                s.getName(),
                SpanKind.fromWire(s.getKindValue()),
                s.getStartTimeUnixNano(),
                s.getEndTimeUnixNano(),
                attributes(s.getAttributesList()),
                s.getDroppedAttributesCount(),
                events(s.getEventsList()),
                s.getDroppedEventsCount(),
                links,
                droppedLinks,
                status(s.getStatus()),
                resource,
                scope);
    }

    private static List<SpanEvent> events(List<io.opentelemetry.proto.trace.v1.Span.Event> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<SpanEvent> out = new ArrayList<>(events.size());
        for (io.opentelemetry.proto.trace.v1.Span.Event e : events) {
            out.add(new SpanEvent(e.getTimeUnixNano(), e.getName(), attributes(e.getAttributesList()),
                    e.getDroppedAttributesCount()));
        }
        return out;
    }

    private static Status status(io.opentelemetry.proto.trace.v1.Status s) {
        StatusCode code = StatusCode.fromWire(s.getCodeValue());
        String message = s.getMessage();
        return code == StatusCode.UNSET && message.isEmpty() ? Status.UNSET : new Status(code, message);
    }

    static InstrumentationScope scope(io.opentelemetry.proto.common.v1.InstrumentationScope s) {
        if (s.getName().isEmpty() && s.getVersion().isEmpty() && s.getAttributesCount() == 0
                && s.getDroppedAttributesCount() == 0) {
            return InstrumentationScope.EMPTY;
        }
        return new InstrumentationScope(s.getName(), s.getVersion(), attributes(s.getAttributesList()),
                s.getDroppedAttributesCount());
    }

    static Attributes attributes(List<KeyValue> kvs) {
        if (kvs.isEmpty()) {
            return Attributes.EMPTY;
        }
        List<Attribute> list = new ArrayList<>(kvs.size());
        for (KeyValue kv : kvs) {
            list.add(new Attribute(kv.getKey(), value(kv.getValue())));
        }
        return new Attributes(list);
    }

    static AttributeValue value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> new AttributeValue.StringValue(v.getStringValue());
            case BOOL_VALUE -> new AttributeValue.BoolValue(v.getBoolValue());
            case INT_VALUE -> new AttributeValue.LongValue(v.getIntValue());
            case DOUBLE_VALUE -> new AttributeValue.DoubleValue(v.getDoubleValue());
            case BYTES_VALUE -> new AttributeValue.BytesValue(v.getBytesValue().toByteArray());
            case ARRAY_VALUE -> array(v.getArrayValue().getValuesList());
            case KVLIST_VALUE -> new AttributeValue.MapValue(attributes(v.getKvlistValue().getValuesList()));
            // An unset value, or a profiles-only string-table reference that means nothing in a trace.
            case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> EMPTY_STRING;
        };
    }

    private static final AttributeValue EMPTY_STRING = new AttributeValue.StringValue("");

    private static AttributeValue array(List<AnyValue> values) {
        List<AttributeValue> list = new ArrayList<>(values.size());
        for (AnyValue v : values) {
            list.add(value(v));
        }
        return new AttributeValue.ArrayValue(list);
    }
}
