package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spoor.model.TraceId;
import io.spoor.server.support.ChildSpoor;
import io.spoor.server.support.CrashLoad;
import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import io.spoor.server.support.RawGrpc;
import io.spoor.server.support.TestSpans;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What was acknowledged survives a restart, a SIGTERM and a {@code kill -9}. */
class DurabilityTest {
    private static final int SPANS_PER_EXPORT = 20;

    @Test
    void aRestartOnTheSameDataDirKeepsEverything(@TempDir Path dir) throws Exception {
        List<TraceId> ids = new ArrayList<>();
        try (Harness first = Harness.start(Harness.config(dir))) {
            for (int i = 0; i < 30; i++) {
                TraceId id = TestSpans.randomTraceId();
                ids.add(id);
                byte[] body = TestSpans.protobuf(TestSpans.trace(id, "restart-" + (i % 3), 5));
                if (i % 2 == 0) {
                    assertThat(first.http.post(first.otlpHttp("/v1/traces"), body,
                            "Content-Type", "application/x-protobuf").statusCode()).isEqualTo(200);
                } else {
                    assertThat(first.grpc().call(RawGrpc.TRACES, body, false).status()).isZero();
                }
            }
        }
        try (Harness second = Harness.start(Harness.config(dir))) {
            for (TraceId id : ids) {
                assertThat(spanCount(second.http, second.api("/api/v1/traces/" + id.toHex()))).isEqualTo(5);
            }
            JsonNode services = Http.json(second.http.get(second.api("/api/v1/services")));
            assertThat(services.path("services").toString()).contains("restart-0", "restart-1", "restart-2");
            JsonNode found = Http.json(second.http.get(second.api("/api/v1/traces?service=restart-1&limit=100")));
            assertThat(found.path("traces")).hasSize(10);
        }
    }

    /** Waits out the store's refresh delay; -1 when the trace never shows up. */
    static int spanCount(Http http, URI uri) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            HttpResponse<byte[]> r = http.get(uri);
            if (r.statusCode() == 200) {
                return Http.json(r).path("spans").size();
            }
            Thread.sleep(100);
        }
        return -1;
    }

    @Test
    void everyAcknowledgedSpanSurvivesKillMinus9(@TempDir Path dir) throws Exception {
        CrashLoad<Boolean> load;
        try (ChildSpoor child = ChildSpoor.start(dir, "512m", null)) {
            load = CrashLoad.start(child, i -> {
                TraceId id = TestSpans.randomTraceId();
                return new CrashLoad.Export<>(id, true, TestSpans.protobuf(TestSpans.trace(id, "crash",
                        SPANS_PER_EXPORT)));
            });
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (load.acknowledged.size() < 300 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            child.kill(); // mid-stream: the loaders are still sending
            load.stop();
        }
        Map<TraceId, Boolean> acknowledged = load.acknowledged;
        System.out.printf("kill -9 after %d acknowledged exports (%d requests died with the server)%n",
                acknowledged.size(), load.failures.get());
        assertThat(acknowledged).hasSizeGreaterThan(50);
        try (Harness after = Harness.start(Harness.config(dir))) {
            List<TraceId> missing = new ArrayList<>();
            for (TraceId id : acknowledged.keySet()) {
                if (spanCount(after.http, after.api("/api/v1/traces/" + id.toHex())) != SPANS_PER_EXPORT) {
                    missing.add(id);
                }
            }
            assertThat(missing).as("acknowledged traces lost or incomplete after kill -9 (of %d)",
                    acknowledged.size()).isEmpty();
        }
    }

    @Test
    void stopsCleanlyOnSigtermAndKeepsWhatItAcknowledged(@TempDir Path dir) throws Exception {
        TraceId id = TestSpans.randomTraceId();
        ChildSpoor child = ChildSpoor.start(dir, "256m", null);
        try {
            HttpResponse<byte[]> r = new Http().post(
                    URI.create("http://127.0.0.1:" + child.otlpHttpPort + "/v1/traces"),
                    TestSpans.protobuf(TestSpans.trace(id, "sigterm", 3)), "Content-Type", "application/x-protobuf");
            assertThat(r.statusCode()).isEqualTo(200);
            // 143 = 128 + SIGTERM: how every JVM reports an exit by signal, after the shutdown hooks ran
            assertThat(child.terminate()).isIn(0, 143);
            assertThat(child.output()).contains("spoor: shutting down", "spoor: stopped");
        } finally {
            child.close();
        }
        try (Harness after = Harness.start(Harness.config(dir))) {
            assertThat(spanCount(after.http, after.api("/api/v1/traces/" + id.toHex()))).isEqualTo(3);
        }
    }
}
