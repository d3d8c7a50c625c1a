package io.spoor.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class PreEncodedBatchTest {

    private static final long NOW = 1_790_000_000_000_000_000L;

    private static List<Span> spans(ExportTraceServiceRequest r) {
        return r.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
                .flatMap(ss -> ss.getSpansList().stream()).toList();
    }

    @Test
    void patchingGivesEveryTraceAFreshIdAndShiftsEveryTimestamp() throws Exception {
        ExportTraceServiceRequest original = new ShopTraceGenerator(1, 0.5).batch(512, NOW);
        PreEncodedBatch batch = PreEncodedBatch.of(original.toByteArray(), false, NOW);
        byte[] buf = new byte[batch.length()];
        long later = NOW + 90_000_000_000L;
        int len = batch.copyInto(buf, new SplittableRandom(3), later);

        ExportTraceServiceRequest patched = ExportTraceServiceRequest.parseFrom(Arrays.copyOf(buf, len));
        List<Span> before = spans(original);
        List<Span> after = spans(patched);
        assertThat(after).hasSize(512);
        assertThat(batch.spanCount()).isEqualTo(512);
        Map<Object, Long> traceSizesBefore = before.stream().collect(Collectors.groupingBy(Span::getTraceId, Collectors.counting()));
        assertThat(batch.traceCount()).isEqualTo(traceSizesBefore.size());
        for (int i = 0; i < before.size(); i++) {
            Span b = before.get(i);
            Span a = after.get(i);
            assertThat(a.getTraceId()).isNotEqualTo(b.getTraceId());
            assertThat(a.getSpanId()).isEqualTo(b.getSpanId());
            assertThat(a.getStartTimeUnixNano()).isEqualTo(b.getStartTimeUnixNano() + 90_000_000_000L);
            assertThat(a.getEndTimeUnixNano()).isEqualTo(b.getEndTimeUnixNano() + 90_000_000_000L);
            for (int e = 0; e < b.getEventsCount(); e++) {
                assertThat(a.getEvents(e).getTimeUnixNano()).isEqualTo(b.getEvents(e).getTimeUnixNano() + 90_000_000_000L);
            }
            assertThat(a.toBuilder().clearTraceId().clearStartTimeUnixNano().clearEndTimeUnixNano().clearEvents().build())
                    .isEqualTo(b.toBuilder().clearTraceId().clearStartTimeUnixNano().clearEndTimeUnixNano().clearEvents().build());
        }
        // spans of one trace still share one (new) id: trace structure survives
        Map<Object, Long> traceSizesAfter = after.stream().collect(Collectors.groupingBy(Span::getTraceId, Collectors.counting()));
        assertThat(traceSizesAfter.values()).containsExactlyInAnyOrderElementsOf(traceSizesBefore.values());
    }

    @Test
    void twoSendsOfOneTemplateShareNoTraceId() throws Exception {
        PreEncodedBatch batch = PreEncodedBatch.of(new ShopTraceGenerator(2, 0.02).batch(512, NOW).toByteArray(), false, NOW);
        SplittableRandom random = new SplittableRandom(9);
        byte[] one = new byte[batch.length()];
        byte[] two = new byte[batch.length()];
        batch.copyInto(one, random, NOW);
        batch.copyInto(two, random, NOW);
        var idsOne = spans(ExportTraceServiceRequest.parseFrom(one)).stream().map(Span::getTraceId).collect(Collectors.toSet());
        var idsTwo = spans(ExportTraceServiceRequest.parseFrom(two)).stream().map(Span::getTraceId).collect(Collectors.toSet());
        assertThat(idsOne).doesNotContainAnyElementsOf(idsTwo);
    }

    @Test
    void grpcFramedDirectBufferCarriesTheSameMessageBehindALengthPrefix() throws Exception {
        byte[] message = new ShopTraceGenerator(3, 0.02).batch(100, NOW).toByteArray();
        PreEncodedBatch batch = PreEncodedBatch.of(message, true, NOW);
        byte[] heap = new byte[batch.length()];
        batch.copyInto(heap, new SplittableRandom(5), NOW + 1);
        ByteBuf direct = Unpooled.directBuffer(batch.length());
        batch.copyInto(direct, new SplittableRandom(5), NOW + 1);
        byte[] fromDirect = new byte[direct.readableBytes()];
        direct.readBytes(fromDirect);
        direct.release();

        assertThat(fromDirect).isEqualTo(heap);
        assertThat(heap[0]).isZero();
        int length = ((heap[1] & 0xff) << 24) | ((heap[2] & 0xff) << 16) | ((heap[3] & 0xff) << 8) | (heap[4] & 0xff);
        assertThat(length).isEqualTo(message.length);
        assertThat(spans(ExportTraceServiceRequest.parseFrom(Arrays.copyOfRange(heap, 5, heap.length)))).hasSize(100);
    }

    @Test
    void generatedTracesLookLikeTheShop() {
        ShopTraceGenerator generator = new ShopTraceGenerator(4, 0.02);
        ExportTraceServiceRequest r = generator.batch(20_000, NOW);
        List<Span> all = spans(r);
        double spansPerTrace = (double) generator.spans() / generator.traces();
        assertThat(spansPerTrace).isBetween(15.0, 25.0);
        assertThat((double) generator.errorTraces() / generator.traces()).isBetween(0.005, 0.04);
        assertThat(all.stream().filter(s -> s.getEventsList().stream().anyMatch(e -> e.getName().equals("exception")))).isNotEmpty();
        double attrs = all.stream().mapToInt(Span::getAttributesCount).average().orElseThrow();
        assertThat(attrs).isBetween(9.0, 13.0);
        assertThat(r.getResourceSpansList()).allSatisfy(rs -> assertThat(rs.getResource().getAttributesList())
                .extracting(kv -> kv.getKey()).contains("service.name", "service.version", "deployment.environment.name",
                        "host.name", "telemetry.sdk.name", "telemetry.sdk.language", "telemetry.sdk.version"));
        Map<String, Long> byService = r.getResourceSpansList().stream().collect(Collectors.groupingBy(
                rs -> rs.getResource().getAttributes(0).getValue().getStringValue(), Collectors.counting()));
        assertThat(byService).containsOnlyKeys("frontend", "order-service", "inventory-service", "payment-service");
        assertThat(all).allSatisfy(s -> assertThat(s.getEndTimeUnixNano()).isGreaterThan(s.getStartTimeUnixNano())
                .isLessThanOrEqualTo(NOW + 1_000_000_000L));
        assertThat(all.stream().map(Span::getName).collect(Collectors.toSet()))
                .contains("POST /api/checkout", "SELECT inventory", "GET", "POST");
        assertThat(all.stream().flatMap(s -> s.getAttributesList().stream()).map(kv -> kv.getKey()).distinct()
                .collect(Collectors.toMap(Function.identity(), k -> 1)).keySet())
                .contains("http.request.method", "url.full", "http.route", "http.response.status_code", "server.address",
                        "db.system.name", "db.query.text", "user.id");
    }
}
