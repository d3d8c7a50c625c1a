package io.spoor.server.support;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.spoor.model.Attributes;
import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import io.spoor.model.TraceId;
import io.spoor.protocol.otlp.OtlpTraceEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Spans and OTLP requests for tests. */
public final class TestSpans {
    private TestSpans() {
    }

    public static TraceId randomTraceId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new TraceId(r.nextLong() | 1, r.nextLong() | 1);
    }

    /** One trace of {@code n} spans of service {@code service}: a root and its children. */
    public static List<Span> trace(TraceId id, String service, int n) {
        io.spoor.model.Resource resource = new io.spoor.model.Resource(Attributes.of("service.name", service), "");
        long now = System.currentTimeMillis() * 1_000_000L;
        List<Span> spans = new ArrayList<>();
        long root = ThreadLocalRandom.current().nextLong() | 1;
        for (int i = 0; i < n; i++) {
            long spanId = i == 0 ? root : (ThreadLocalRandom.current().nextLong() | 1);
            spans.add(Span.builder(id, spanId).parentSpanId(i == 0 ? 0 : root).name(i == 0 ? "GET /checkout" : "work-" + i)
                    .kind(i == 0 ? SpanKind.SERVER : SpanKind.INTERNAL).startEpochNanos(now + i * 1000L)
                    .endEpochNanos(now + 5_000_000L).attributes(Attributes.of("i", i, "load", "test"))
                    .resource(resource).build());
        }
        return spans;
    }

    public static byte[] protobuf(List<Span> spans) {
        return OtlpTraceEncoder.encodeProtobuf(spans);
    }

    public static byte[] json(List<Span> spans) {
        return OtlpTraceEncoder.encodeJson(spans);
    }

    /** One valid span plus {@code invalid} spans with an all-zero trace id. */
    public static ExportTraceServiceRequest withInvalidIds(TraceId good, int invalid) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        long now = System.currentTimeMillis() * 1_000_000L;
        scope.addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(ByteString.copyFrom(good.toBytes()))
                .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})).setName("valid")
                .setStartTimeUnixNano(now).setEndTimeUnixNano(now + 1000));
        for (int i = 0; i < invalid; i++) {
            scope.addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(new byte[i % 2 == 0 ? 16 : 5]))
                    .setSpanId(ByteString.copyFrom(new byte[] {9, 9, 9, 9, 9, 9, 9, (byte) i})).setName("invalid")
                    .setStartTimeUnixNano(now).setEndTimeUnixNano(now + 1000));
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("partial"))))
                .addScopeSpans(scope)).build();
    }

    /** Only spans with all-zero or short trace ids. */
    public static ExportTraceServiceRequest allInvalid(int n) {
        ExportTraceServiceRequest r = withInvalidIds(randomTraceId(), n);
        ScopeSpans scope = r.getResourceSpans(0).getScopeSpans(0);
        ScopeSpans onlyInvalid = scope.toBuilder().removeSpans(0).build();
        return r.toBuilder().setResourceSpans(0, r.getResourceSpans(0).toBuilder().setScopeSpans(0, onlyInvalid)).build();
    }
}
