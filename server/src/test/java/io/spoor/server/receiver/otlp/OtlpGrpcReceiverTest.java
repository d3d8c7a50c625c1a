package io.spoor.server.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.spoor.model.TraceId;
import io.spoor.server.SpoorServer;
import io.spoor.server.support.Harness;
import io.spoor.server.support.FailingSpanStore;
import io.spoor.server.support.RawGrpc;
import io.spoor.server.support.TestSpans;
import io.spoor.storage.TimeWindow;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OTLP/gRPC with hand-made frames, so that exactly the bytes under test reach the server. */
class OtlpGrpcReceiverTest {
    @TempDir
    static Path dir;
    static FailingSpanStore store;
    static Harness spoor;
    static RawGrpc grpc;

    @BeforeAll
    static void start() {
        store = new FailingSpanStore();
        spoor = Harness.start(Harness.config(dir), c -> store);
        grpc = spoor.grpc();
    }

    @AfterAll
    static void stop() {
        spoor.close();
    }

    @Test
    void storesAnExportAndAnswersOk() throws Exception {
        TraceId id = TestSpans.randomTraceId();
        RawGrpc.Reply r = grpc.call(RawGrpc.TRACES, TestSpans.protobuf(TestSpans.trace(id, "grpc-shop", 3)), false);
        assertThat(r.status()).isZero();
        assertThat(ExportTraceServiceResponse.parseFrom(r.message0()).hasPartialSuccess()).isFalse();
        assertThat(store.trace(id, TimeWindow.ALL)).hasValueSatisfying(t -> assertThat(t.spans()).hasSize(3));
    }

    @Test
    void acceptsGzipCompressedMessages() {
        TraceId id = TestSpans.randomTraceId();
        RawGrpc.Reply r = grpc.call(RawGrpc.TRACES, TestSpans.protobuf(TestSpans.trace(id, "grpc-gz", 2)), true);
        assertThat(r.status()).isZero();
        assertThat(store.trace(id, TimeWindow.ALL)).isPresent();
    }

    @Test
    void acceptsAnEmptyRequest() {
        assertThat(grpc.call(RawGrpc.TRACES, new byte[0], false).status()).isZero();
    }

    @Test
    void answersPartialSuccessForInvalidIds() throws Exception {
        TraceId good = TestSpans.randomTraceId();
        RawGrpc.Reply r = grpc.call(RawGrpc.TRACES, TestSpans.withInvalidIds(good, 3).toByteArray(), false);
        assertThat(r.status()).isZero();
        var ps = ExportTraceServiceResponse.parseFrom(r.message0()).getPartialSuccess();
        assertThat(ps.getRejectedSpans()).isEqualTo(3);
        assertThat(ps.getErrorMessage()).contains("trace_id");
        assertThat(store.trace(good, TimeWindow.ALL)).isPresent();
    }

    @Test
    void answersInvalidArgumentWhenEverySpanIsRejected() {
        RawGrpc.Reply r = grpc.call(RawGrpc.TRACES, TestSpans.allInvalid(2).toByteArray(), false);
        assertThat(r.status()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(r.message()).contains("trace_id");
    }

    @Test
    void answersInvalidArgumentForATruncatedMessage() {
        byte[] full = TestSpans.protobuf(TestSpans.trace(TestSpans.randomTraceId(), "cut", 4));
        int before = store.spanCount();
        RawGrpc.Reply r = grpc.call(RawGrpc.TRACES, Arrays.copyOf(full, full.length - 7), false);
        assertThat(r.status()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(r.message()).startsWith("invalid protobuf");
        assertThat(store.spanCount()).isEqualTo(before);
    }

    @Test
    void answersInvalidArgumentForAnotherMessageType() {
        byte[] metrics = metrics(2).toByteArray();
        RawGrpc.Reply r = grpc.call(RawGrpc.TRACES, metrics, false);
        assertThat(r.status()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(r.message()).isNotBlank();
    }

    @Test
    void answersResourceExhaustedAboveFourMiB() {
        byte[] big = new byte[SpoorServer.MAX_GRPC_MESSAGE_BYTES + 1];
        ThreadLocalRandom.current().nextBytes(big);
        RawGrpc.Reply r = grpc.call(RawGrpc.TRACES, big, false);
        assertThat(r.status()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
        // compressed small, but over the limit once inflated
        RawGrpc.Reply bomb = grpc.call(RawGrpc.TRACES, new byte[16 * 1024 * 1024], true);
        assertThat(bomb.status()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
        assertThat(grpc.call(RawGrpc.TRACES, new byte[0], false).status()).isZero();
    }

    @Test
    void answersMetricsAndLogsWithPartialSuccess() throws Exception {
        RawGrpc.Reply m = grpc.call(RawGrpc.METRICS, metrics(3).toByteArray(), false);
        assertThat(m.status()).isZero();
        var mps = ExportMetricsServiceResponse.parseFrom(m.message0()).getPartialSuccess();
        assertThat(mps.getRejectedDataPoints()).isEqualTo(3);
        assertThat(mps.getErrorMessage()).contains("does not store metrics");

        byte[] logs = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder().setTimeUnixNano(5))))
                .build().toByteArray();
        RawGrpc.Reply l = grpc.call(RawGrpc.LOGS, logs, false);
        assertThat(l.status()).isZero();
        assertThat(ExportLogsServiceResponse.parseFrom(l.message0()).getPartialSuccess().getRejectedLogRecords())
                .isEqualTo(1);
        assertThat(grpc.call(RawGrpc.LOGS, new byte[] {(byte) 0xff}, false).status())
                .isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    }

    @Test
    void answersUnavailableWhenStorageFails() throws Exception {
        store.failWrites.set(true);
        try {
            RawGrpc.Reply r = grpc.call(RawGrpc.TRACES,
                    TestSpans.protobuf(TestSpans.trace(TestSpans.randomTraceId(), "doomed", 1)), false);
            assertThat(r.status()).isEqualTo(Status.Code.UNAVAILABLE.value());
            assertThat(r.message()).contains("could not be stored").doesNotContain("disk on fire");
            assertThat(r.statusDetails().getDetailsList()).as("RetryInfo").isNotEmpty();
        } finally {
            store.failWrites.set(false);
        }
    }

    private static ExportMetricsServiceRequest metrics(int points) {
        Gauge.Builder g = Gauge.newBuilder();
        for (int i = 0; i < points; i++) {
            g.addDataPoints(NumberDataPoint.newBuilder().setAsInt(i).setTimeUnixNano(i + 1));
        }
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("queue.depth")
                        .setGauge(g)))).build();
    }
}
