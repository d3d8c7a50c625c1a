package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.server.config.ConfigFile;
import io.spoor.server.config.ConfigLoader;
import io.spoor.server.config.SpoorConfig;
import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import io.spoor.server.support.TestSpans;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spoor A forwards with its {@code otlp} exporter to Spoor B, a real server on loopback. B restarts mid-stream:
 * everything A acknowledged reaches B once it is back; when A's queue is full, the export is refused and counted.
 */
class ForwardingTest {
    private static final String PROTO = "application/x-protobuf";

    private static ConfigFile forwardingTo(int grpcPort, int queueSize) {
        return ConfigLoader.parse("""
                processors:
                  memory_limiter: {}
                  batch: {timeout: 5ms}
                exporters:
                  otlp/b:
                    endpoint: 127.0.0.1:%d
                    tls: {insecure: true}
                    retry_on_failure: {initial_interval: 50ms, max_interval: 500ms, max_elapsed_time: 2m}
                    sending_queue: {queue_size: %d, num_consumers: 2}
                service:
                  pipelines:
                    traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [otlp/b]}
                """.formatted(grpcPort, queueSize), Map.<String, String>of()::get);
    }

    private static SpoorConfig bOnPort(Path dir, int grpcPort) {
        return Harness.config(dir).withNetwork(new SpoorConfig.Network("127.0.0.1", grpcPort, 0, 0, 0));
    }

    private static List<TraceId> send(Harness a, String service, int exports) {
        List<TraceId> ids = new ArrayList<>();
        for (int i = 0; i < exports; i++) {
            TraceId id = TestSpans.randomTraceId();
            HttpResponse<byte[]> r = a.http.post(a.otlpHttp("/v1/traces"),
                    TestSpans.protobuf(TestSpans.trace(id, service, 3)), "Content-Type", PROTO);
            assertThat(r.statusCode()).as("export %d accepted by A", i).isEqualTo(200);
            ids.add(id);
        }
        return ids;
    }

    @Test
    void nothingAcceptedByAIsLostWhileBRestartsMidStream(@TempDir Path dirA, @TempDir Path dirB) throws Exception {
        Harness b = Harness.start(bOnPort(dirB, 0));
        int bPort = b.server.otlpGrpcPort();
        try (Harness a = Harness.start(Harness.config(dirA).withFile(forwardingTo(bPort, 1000)))) {
            List<TraceId> sent = new ArrayList<>(send(a, "before", 40));
            b.close();
            sent.addAll(send(a, "while-down", 40)); // acknowledged by A: they wait in its queue
            assertThat(a.server.meterRegistry().get("spoor_exporter_send_retries").tag("exporter", "otlp/b")
                    .counter().count()).isPositive();
            b = Harness.start(bOnPort(dirB, bPort));
            sent.addAll(send(a, "after", 40));
            awaitAll(b, sent);
            assertThat(a.server.meterRegistry().get("spoor_exporter_sent_spans").tag("exporter", "otlp/b")
                    .counter().count()).isEqualTo(sent.size() * 3);
            assertThat(a.server.meterRegistry().get("spoor_exporter_send_failed_spans").tag("exporter", "otlp/b")
                    .counter().count()).isZero();
        } finally {
            b.close();
        }
    }

    @Test
    void aFullSendingQueueRefusesTheExportAndCountsIt(@TempDir Path dirA, @TempDir Path dirB) throws Exception {
        Harness b = Harness.start(bOnPort(dirB, 0));
        int deadPort = b.server.otlpGrpcPort();
        b.close(); // nothing listens there now: every send fails retryably and requests pile up in A's queue
        try (Harness a = Harness.start(Harness.config(dirA).withFile(forwardingTo(deadPort, 4)))) {
            int refusedSpans = 0;
            int accepted = 0;
            for (int i = 0; i < 20; i++) {
                List<Span> trace = TestSpans.trace(TestSpans.randomTraceId(), "overflow", 3);
                HttpResponse<byte[]> r = a.http.post(a.otlpHttp("/v1/traces"), TestSpans.protobuf(trace),
                        "Content-Type", PROTO);
                if (r.statusCode() == 200) {
                    accepted++;
                } else {
                    assertThat(r.statusCode()).isEqualTo(503);
                    assertThat(Http.status(r).getMessage()).contains("sending queue of exporter otlp/b is full");
                    refusedSpans += trace.size();
                }
            }
            // 2 consumers hold a request each while retrying, 4 wait in the queue: the rest is refused
            assertThat(accepted).isBetween(4, 6);
            assertThat(refusedSpans).isPositive();
            assertThat(a.server.meterRegistry().get("spoor_exporter_enqueue_failed_spans").tag("exporter", "otlp/b")
                    .counter().count()).isEqualTo(refusedSpans);
            String metrics = new String(a.http.get(a.api("/metrics")).body());
            assertThat(metrics).contains("spoor_exporter_enqueue_failed_spans_total{exporter=\"otlp/b\"} "
                    + (double) refusedSpans);
        }
    }

    private static void awaitAll(Harness b, List<TraceId> ids) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<TraceId> missing = new ArrayList<>(ids);
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            missing.removeIf(id -> spans(b, id) == 3);
            if (!missing.isEmpty()) {
                Thread.sleep(100);
            }
        }
        assertThat(missing).as("traces acknowledged by A but missing in B").isEmpty();
    }

    private static int spans(Harness b, TraceId id) {
        HttpResponse<byte[]> r = b.http.get(b.api("/api/v1/traces/" + id.toHex()));
        if (r.statusCode() != 200) {
            return 0;
        }
        JsonNode spans = Http.json(r).path("spans");
        return spans.size();
    }
}
