package io.spoor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.pipeline.memory.HeapProbe;
import io.spoor.pipeline.sampling.tail.TailLogSettings;
import io.spoor.pipeline.sampling.tail.TailSamplingConfig;
import io.spoor.pipeline.sampling.tail.TailSamplingProcessorFactory;
import io.spoor.spanlog.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PipelineFactoryTest {

    private static TailLogSettings logOf(PipelineConfig c, int i, FsyncPolicy fsync, Duration interval, Path dataDir,
                                         Set<Path> taken) {
        ProcessorConfig<?> p = c.processors().get(i);
        return TailSamplingProcessorFactory.logSettings(p.id(), ((TailSamplingConfig) p.config()).wal(), fsync,
                interval, dataDir, taken::add);
    }

    @Test
    void theTailSamplingLogLivesUnderTheDataDirAndIsFsyncedAsTheStoresLog() {
        PipelineConfig c = PipelineYaml.parse("""
                processors:
                  tail_sampling/fast: {}
                exporters: {spoor: {}}
                service: {pipelines: {traces: {receivers: [otlp], processors: [tail_sampling/fast], exporters: [spoor]}}}
                """);
        TailLogSettings s = logOf(c, 0, FsyncPolicy.EVERY_BATCH, Duration.ofMillis(250), Path.of("/data"),
                new HashSet<>());
        assertThat(s.dir()).isEqualTo(Path.of("/data/tail_sampling/tail_sampling_fast"));
        assertThat(s.fsyncPolicy()).isEqualTo(FsyncPolicy.EVERY_BATCH);
        assertThat(s.fsyncInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void theTailSamplingLogCanBeMovedOrTurnedOffButNotShared() {
        PipelineConfig c = PipelineYaml.parse("""
                processors:
                  tail_sampling/a: {wal: {directory: /ssd/tail}}
                  tail_sampling/b: {wal: {enabled: false}}
                  tail_sampling/c: {wal: {directory: /ssd/tail/}}
                exporters: {spoor: {}}
                service:
                  pipelines:
                    traces:
                      receivers: [otlp]
                      processors: [tail_sampling/a, tail_sampling/b, tail_sampling/c]
                      exporters: [spoor]
                """);
        Set<Path> taken = new HashSet<>();
        FsyncPolicy f = FsyncPolicy.DEFAULT;
        Duration i = FsyncPolicy.DEFAULT_INTERVAL;
        assertThat(logOf(c, 0, f, i, null, taken).dir()).isEqualTo(Path.of("/ssd/tail"));
        assertThat(logOf(c, 1, f, i, null, taken)).isNull();
        assertThatThrownBy(() -> logOf(c, 2, f, i, null, taken))
                .hasMessageContaining("another tail_sampling processor already logs to");

        PipelineConfig noDir = PipelineYaml.parse("processors:\n  tail_sampling: {}\nexporters: {spoor: {}}\n"
                + "service: {pipelines: {traces: {receivers: [otlp], processors: [tail_sampling], exporters: [spoor]}}}\n");
        assertThatThrownBy(() -> logOf(noDir, 0, f, i, null, new HashSet<>()))
                .hasMessageContaining("processors.tail_sampling.wal.directory");
    }

    /** A store that keeps what it is given and fails writes while told to. */
    private static final class Store {
        final List<Span> stored = new CopyOnWriteArrayList<>();
        volatile boolean failing;

        CompletableFuture<Void> write(List<Span> spans) {
            if (failing) {
                return CompletableFuture.failedFuture(new IOException("disk on fire (test)"));
            }
            stored.addAll(spans);
            return CompletableFuture.completedFuture(null);
        }
    }

    private static final HeapProbe NO_HEAP_USED = () -> 0;

    @Test
    void handsEveryBatchTheStoreMadeDurableToTheStageAfterTheStoreAndNoOther() throws Exception {
        Store store = new Store();
        List<Span> after = new CopyOnWriteArrayList<>();
        SpanConsumer afterStore = spans -> {
            after.addAll(spans);
            return CompletableFuture.completedFuture(null);
        };
        PipelineContext context = new PipelineContext(store::write, afterStore, null, FsyncPolicy.NONE,
                Duration.ofSeconds(1), NO_HEAP_USED, 1L << 30, new SimpleMeterRegistry());
        try (IngestPipeline pipeline = PipelineFactory.build(PipelineConfig.defaults(), context)) {
            Span a = Span.builder(new TraceId(1, 1), 1).name("a").build();
            ((Admission.Admitted) pipeline.admit(100)).submit(List.of(a)).get(10, TimeUnit.SECONDS);
            store.failing = true;
            Span b = Span.builder(new TraceId(1, 2), 2).name("b").build();
            CompletableFuture<Void> refused = ((Admission.Admitted) pipeline.admit(100)).submit(List.of(b));
            assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("disk on fire (test)");
            assertThat(store.stored).containsExactly(a);
            assertThat(after).containsExactly(a);
        }
    }

    @Test
    void aFailingStageAfterTheStoreDoesNotFailTheStoredExport() throws Exception {
        Store store = new Store();
        SpanConsumer afterStore = spans -> {
            throw new IllegalStateException("aggregation broke (test)");
        };
        PipelineContext context = new PipelineContext(store::write, afterStore, null, FsyncPolicy.NONE,
                Duration.ofSeconds(1), NO_HEAP_USED, 1L << 30, new SimpleMeterRegistry());
        try (IngestPipeline pipeline = PipelineFactory.build(PipelineConfig.defaults(), context)) {
            Span a = Span.builder(new TraceId(1, 1), 1).name("a").build();
            ((Admission.Admitted) pipeline.admit(100)).submit(List.of(a)).get(10, TimeUnit.SECONDS);
            assertThat(store.stored).containsExactly(a);
        }
    }
}
