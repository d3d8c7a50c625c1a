package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.TraceId;
import io.spoor.server.config.ConfigLoader;
import io.spoor.server.support.Harness;
import io.spoor.server.support.TestSpans;
import io.spoor.spanlog.testing.SmallDisk;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With tail sampling, traces acknowledged into the sampler's log before the disk filled are decided while it is full:
 * the hand-off to the store fails, the sampler keeps them and retries, {@code /health} names both failures, new
 * exports are refused, and once room returns every kept trace is stored — none dropped for having failed once.
 */
class TailSamplingDiskFullTest {
    private static final String CONFIG = """
            processors:
              tail_sampling:
                decision_wait: 3s
                policies:
                  - name: keep-the-keep-service
                    type: string_attribute
                    string_attribute: {key: service.name, values: [keep]}
              batch: {}
            exporters:
              spoor: {}
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  processors: [tail_sampling, batch]
                  exporters: [spoor]
            """;

    @TempDir
    Path tmp;

    @Test
    void keptTracesDecidedWhileTheDiskIsFullAreStoredOnceRoomReturns() throws Exception {
        Path config = tmp.resolve("tail.yaml");
        Files.writeString(config, CONFIG);
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), 64);
             Harness spoor = Harness.start(Harness.config(disk.root().resolve("data"))
                     .withFile(ConfigLoader.load(config)))) {
            List<TraceId> kept = new ArrayList<>();
            List<TraceId> dropped = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                TraceId id = TestSpans.randomTraceId();
                boolean keep = i % 2 == 0;
                (keep ? kept : dropped).add(id);
                assertThat(spoor.http.post(spoor.otlpHttp("/v1/traces"), TestSpans.protobuf(TestSpans.trace(id,
                        keep ? "keep" : "drop", 6)), "Content-Type", "application/x-protobuf").statusCode())
                        .isEqualTo(200);
            }
            disk.fill(); // before their decision_wait is over

            HttpResponse<byte[]> degraded = awaitHealth(spoor, 503, "tail sampling");
            assertThat(new String(degraded.body(), StandardCharsets.UTF_8))
                    .contains("does not take sampled spans", "No space left on device");
            assertThat(spoor.http.post(spoor.otlpHttp("/v1/traces"), TestSpans.protobuf(TestSpans.trace(
                    TestSpans.randomTraceId(), "keep", 6)), "Content-Type", "application/x-protobuf").statusCode())
                    .isIn(429, 503);

            disk.free();
            awaitHealth(spoor, 200, "");
            for (TraceId id : kept) {
                assertThat(DurabilityTest.spanCount(spoor.http, spoor.api("/api/v1/traces/" + id.toHex())))
                        .as("kept trace %s", id.toHex()).isEqualTo(6);
            }
            for (TraceId id : dropped) {
                assertThat(spoor.http.get(spoor.api("/api/v1/traces/" + id.toHex())).statusCode()).isEqualTo(404);
            }
            spoor.close(); // before the disk goes
        }
    }

    private static HttpResponse<byte[]> awaitHealth(Harness spoor, int status, String containing)
            throws InterruptedException {
        HttpResponse<byte[]> h = spoor.http.get(spoor.api("/health"));
        for (int i = 0; i < 400 && !(h.statusCode() == status
                && new String(h.body(), StandardCharsets.UTF_8).contains(containing)); i++) {
            Thread.sleep(50);
            h = spoor.http.get(spoor.api("/health"));
        }
        assertThat(h.statusCode()).as(new String(h.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        return h;
    }
}
