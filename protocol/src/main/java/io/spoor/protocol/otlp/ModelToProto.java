package io.spoor.protocol.otlp;

import com.google.protobuf.UnsafeByteOperations;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanLink;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import java.util.List;

/** Builds OTLP protobuf messages from model spans. */
final class ModelToProto {
    private ModelToProto() {
    }

    static ExportTraceServiceRequest request(List<Span> spans) {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        for (SpanGroups.ResourceGroup rg : SpanGroups.of(spans).resources()) {
            ResourceSpans.Builder rs = ResourceSpans.newBuilder()
                    .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                            .addAllAttributes(keyValues(rg.resource().attributes()))
                            .setDroppedAttributesCount(rg.resource().droppedAttributesCount()))
                    .setSchemaUrl(rg.resource().schemaUrl());
            for (SpanGroups.ScopeGroup sg : rg.scopes()) {
                ScopeSpans.Builder ss = ScopeSpans.newBuilder().setScope(scope(sg.scope()));
                for (Span span : sg.spans()) {
                    ss.addSpans(span(span));
                }
                rs.addScopeSpans(ss);
            }
            request.addResourceSpans(rs);
        }
        return request.build();
    }

    private static io.opentelemetry.proto.common.v1.InstrumentationScope scope(InstrumentationScope s) {
        return io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                .setName(s.name())
                .setVersion(s.version())
                .addAllAttributes(keyValues(s.attributes()))
                .setDroppedAttributesCount(s.droppedAttributesCount())
                .build();
    }

    static io.opentelemetry.proto.trace.v1.Span span(Span s) {
        io.opentelemetry.proto.trace.v1.Span.Builder b = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(Ids.traceIdBytes(s.traceId()))
                .setSpanId(Ids.spanIdBytes(s.spanId()))
                .setTraceState(s.traceState())
                .setFlags(s.flags())
                .setName(s.name())
                .setKindValue(s.kind().wireValue())
                .setStartTimeUnixNano(s.startEpochNanos())
                .setEndTimeUnixNano(s.endEpochNanos())
                .addAllAttributes(keyValues(s.attributes()))
                .setDroppedAttributesCount(s.droppedAttributesCount())
                .setDroppedEventsCount(s.droppedEventsCount())
                .setDroppedLinksCount(s.droppedLinksCount());
        if (s.parentSpanId() != 0) {
            b.setParentSpanId(Ids.spanIdBytes(s.parentSpanId()));
        }
        for (SpanEvent e : s.events()) {
            b.addEvents(io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
                    .setTimeUnixNano(e.epochNanos())
                    .setName(e.name())
                    .addAllAttributes(keyValues(e.attributes()))
                    .setDroppedAttributesCount(e.droppedAttributesCount()));
        }
        for (SpanLink l : s.links()) {
            b.addLinks(io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
                    .setTraceId(Ids.traceIdBytes(l.traceId()))
                    .setSpanId(Ids.spanIdBytes(l.spanId()))
                    .setTraceState(l.traceState())
                    .addAllAttributes(keyValues(l.attributes()))
                    .setDroppedAttributesCount(l.droppedAttributesCount())
                    .setFlags(l.flags()));
        }
        Status status = s.status();
        if (status.code() != StatusCode.UNSET || !status.message().isEmpty()) {
            b.setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder()
                    .setCodeValue(status.code().wireValue())
                    .setMessage(status.message()));
        }
        return b.build();
    }

    static List<KeyValue> keyValues(Attributes attributes) {
        if (attributes.isEmpty()) {
            return List.of();
        }
        KeyValue[] out = new KeyValue[attributes.size()];
        List<Attribute> list = attributes.asList();
        for (int i = 0; i < out.length; i++) {
            Attribute a = list.get(i);
            out[i] = KeyValue.newBuilder().setKey(a.key()).setValue(anyValue(a.value())).build();
        }
        return java.util.Arrays.asList(out);
    }

    static AnyValue anyValue(AttributeValue v) {
        AnyValue.Builder b = AnyValue.newBuilder();
        switch (v) {
            case AttributeValue.StringValue s -> b.setStringValue(s.value());
            case AttributeValue.BoolValue x -> b.setBoolValue(x.value());
            case AttributeValue.LongValue x -> b.setIntValue(x.value());
            case AttributeValue.DoubleValue x -> b.setDoubleValue(x.value());
            // value() hands out a private copy, so it can be wrapped as is.
            case AttributeValue.BytesValue x -> b.setBytesValue(UnsafeByteOperations.unsafeWrap(x.value()));
            case AttributeValue.ArrayValue x -> {
                ArrayValue.Builder array = ArrayValue.newBuilder();
                for (AttributeValue e : x.values()) {
                    array.addValues(anyValue(e));
                }
                b.setArrayValue(array);
            }
            case AttributeValue.MapValue x ->
                    b.setKvlistValue(KeyValueList.newBuilder().addAllValues(keyValues(x.values())));
        }
        return b.build();
    }
}
