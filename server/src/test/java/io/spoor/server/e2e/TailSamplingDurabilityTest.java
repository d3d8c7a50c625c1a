package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.TraceId;
import io.spoor.server.config.ConfigLoader;
import io.spoor.server.support.ChildSpoor;
import io.spoor.server.support.CrashLoad;
import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import io.spoor.server.support.TestSpans;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With tail sampling on, what was acknowledged survives a {@code kill -9} too: the spans are in the tail sampler's
 * write-ahead log before the acknowledgement, and after the restart the kept traces are decided and stored — whole,
 * once — while the dropped ones stay dropped.
 */
class TailSamplingDurabilityTest {
    private static final int SPANS_PER_TRACE = 6;
    private static final String CONFIG = """
            processors:
              memory_limiter: {}
              tail_sampling:
                decision_wait: 2s
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
                  processors: [memory_limiter, tail_sampling, batch]
                  exporters: [spoor]
            """;

    @Test
    void acknowledgedSpansOfKeptTracesSurviveKillMinus9WithTailSamplingOn(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("tail.yaml");
        Files.writeString(config, CONFIG);
        Path data = dir.resolve("data");
        CrashLoad<Boolean> load; // trace id -> kept by the policy
        try (ChildSpoor child = ChildSpoor.start(data, "512m", config)) {
            load = CrashLoad.start(child, i -> {
                TraceId id = TestSpans.randomTraceId();
                boolean keep = i % 4 == 0;
                return new CrashLoad.Export<>(id, keep,
                        TestSpans.protobuf(TestSpans.trace(id, keep ? "keep" : "drop", SPANS_PER_TRACE)));
            });
            // long enough that some traces were decided and stored before the kill, and some were not
            long deadline = System.nanoTime() + 20_000_000_000L;
            long minimum = System.nanoTime() + 3_000_000_000L;
            while ((load.acknowledged.size() < 400 || System.nanoTime() < minimum) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            child.kill(); // mid-stream, with the last decision_wait of traffic only in the log
            load.stop();
        }
        Map<TraceId, Boolean> acknowledged = load.acknowledged;
        List<TraceId> kept = acknowledged.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                .toList();
        List<TraceId> dropped = acknowledged.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey)
                .toList();
        System.out.printf("kill -9 after %d acknowledged exports, %d of kept traces (%d requests died with it)%n",
                acknowledged.size(), kept.size(), load.failures.get());
        assertThat(kept).hasSizeGreaterThan(20);
        assertThat(Files.list(data.resolve("tail_sampling").resolve("tail_sampling")).toList())
                .as("the log lives under the data dir").isNotEmpty();

        try (Harness after = Harness.start(Harness.config(data).withFile(ConfigLoader.load(config)))) {
            // replayed traces are past their decision_wait: decided within a tick, then stored and searchable
            List<TraceId> missing = new ArrayList<>(kept);
            List<String> wrongCount = new ArrayList<>();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                for (java.util.Iterator<TraceId> it = missing.iterator(); it.hasNext(); ) {
                    TraceId id = it.next();
                    HttpResponse<byte[]> r = after.http.get(after.api("/api/v1/traces/" + id.toHex()));
                    if (r.statusCode() == 200) {
                        it.remove();
                        int n = Http.json(r).path("spans").size();
                        if (n != SPANS_PER_TRACE) {
                            wrongCount.add(id.toHex() + ": " + n);
                        }
                    }
                }
                Thread.sleep(200);
            }
            assertThat(missing).as("acknowledged kept traces lost after kill -9 (of %d)", kept.size()).isEmpty();
            assertThat(wrongCount).as("kept traces stored incomplete or with duplicate spans").isEmpty();
            int leaked = 0;
            for (TraceId id : dropped) {
                if (after.http.get(after.api("/api/v1/traces/" + id.toHex())).statusCode() == 200) {
                    leaked++;
                }
            }
            assertThat(leaked).as("dropped traces stored after the restart").isZero();
        }
    }
}
