package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.TraceId;
import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import io.spoor.server.support.TestSpans;
import io.spoor.spanlog.testing.SmallDisk;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server on a real full disk (a 64 MiB tmpfs, {@link SmallDisk}): exports are refused retryably while it is full
 * and {@code /health} says why; it recovers by itself when room returns, and it starts on a full disk; nothing
 * acknowledged is lost.
 */
class DiskFullTest {
    private static final String PROTOBUF = "application/x-protobuf";

    @TempDir
    Path tmp;

    private static int export(Harness spoor, TraceId id) {
        return spoor.http.post(spoor.otlpHttp("/v1/traces"), TestSpans.protobuf(TestSpans.trace(id, "disk", 5)),
                "Content-Type", PROTOBUF).statusCode();
    }

    private static HttpResponse<byte[]> awaitHealth(Harness spoor, int status) throws InterruptedException {
        HttpResponse<byte[]> h = spoor.http.get(spoor.api("/health"));
        for (int i = 0; i < 300 && h.statusCode() != status; i++) {
            Thread.sleep(50);
            h = spoor.http.get(spoor.api("/health"));
        }
        assertThat(h.statusCode()).as(new String(h.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        return h;
    }

    /**
     * Exports while the disk is full: refused with a status a client retries, within seconds — except the first few,
     * which may still fit in the last, partly used pages of the log's file (those are acknowledged and owed).
     */
    private static void assertRefused(Harness spoor, List<TraceId> acknowledged) {
        int refused = 0;
        for (int i = 0; i < 30 && refused < 5; i++) {
            TraceId id = TestSpans.randomTraceId();
            long start = System.nanoTime();
            int status = export(spoor, id);
            if (status == 200) {
                acknowledged.add(id);
                continue;
            }
            assertThat(status).isIn(429, 503);
            assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
            refused++;
        }
        assertThat(refused).isEqualTo(5);
    }

    @Test
    void refusesExportsReportsDegradedAndRecoversWhenRoomReturnsAlsoAfterARestartOnAFullDisk() throws Exception {
        List<TraceId> acknowledged = new ArrayList<>();
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), 64)) {
            Path data = disk.root().resolve("data");
            try (Harness spoor = Harness.start(Harness.config(data))) {
                for (int i = 0; i < 10; i++) {
                    TraceId id = TestSpans.randomTraceId();
                    assertThat(export(spoor, id)).isEqualTo(200);
                    acknowledged.add(id);
                }
                awaitHealth(spoor, 200);

                disk.fill();
                assertRefused(spoor, acknowledged);
                HttpResponse<byte[]> degraded = awaitHealth(spoor, 503);
                assertThat(new String(degraded.body(), StandardCharsets.UTF_8))
                        .contains("\"status\":\"degraded\"", "storage: ", "No space left on device");

                disk.free();
                awaitHealth(spoor, 200);
                for (int i = 0; i < 10; i++) {
                    TraceId id = TestSpans.randomTraceId();
                    assertThat(export(spoor, id)).isEqualTo(200);
                    acknowledged.add(id);
                }
                assertAllReadable(spoor, acknowledged);
            }

            disk.fill();
            try (Harness restarted = Harness.start(Harness.config(data))) { // starts on the full disk
                // opening frees what the last run no longer needs (log segments behind its last commit): take that too
                disk.fill();
                assertRefused(restarted, acknowledged);
                assertThat(new String(awaitHealth(restarted, 503).body(), StandardCharsets.UTF_8))
                        .contains("No space left on device");
                disk.free();
                awaitHealth(restarted, 200);
                TraceId id = TestSpans.randomTraceId();
                assertThat(export(restarted, id)).isEqualTo(200);
                acknowledged.add(id);
                assertAllReadable(restarted, acknowledged);
            }
        }
    }

    private static void assertAllReadable(Harness spoor, List<TraceId> ids) throws InterruptedException {
        for (TraceId id : ids) {
            assertThat(DurabilityTest.spanCount(spoor.http, spoor.api("/api/v1/traces/" + id.toHex())))
                    .as("trace %s", id.toHex()).isEqualTo(5);
        }
    }
}
