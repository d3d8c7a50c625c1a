package io.spoor.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spoor.pipeline.config.ConfigLoader;
import io.spoor.pipeline.config.PipelineConfig;
import io.spoor.pipeline.config.PipelineConfig.ProcessorConfig;
import io.spoor.pipeline.sampling.tail.TailLogSettings;
import io.spoor.spanlog.wal.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PipelineFactoryTest {
    private static PipelineConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, Map.<String, String>of()::get);
    }

    private static ProcessorConfig.TailSampling tail(PipelineConfig c, int i) {
        return (ProcessorConfig.TailSampling) c.processors().get(i);
    }

    @Test
    void theTailSamplingLogLivesUnderTheDataDirAndIsFsyncedAsTheStoresLog() {
        PipelineConfig c = parse("""
                processors:
                  tail_sampling/fast: {}
                exporters: {spoor: {}}
                service: {pipelines: {traces: {receivers: [otlp], processors: [tail_sampling/fast], exporters: [spoor]}}}
                spoor:
                  storage: {fsync: every_batch, fsync_interval: 250ms}
                """);
        TailLogSettings s = PipelineFactory.tailLogSettings(tail(c, 0), c.storage(), Path.of("/data"), new HashSet<>());
        assertThat(s.dir()).isEqualTo(Path.of("/data/tail_sampling/tail_sampling_fast"));
        assertThat(s.fsyncPolicy()).isEqualTo(FsyncPolicy.EVERY_BATCH);
        assertThat(s.fsyncInterval()).isEqualTo(Duration.ofMillis(250));

        PipelineConfig plain = parse("processors:\n  tail_sampling: {}\nexporters: {spoor: {}}\n"
                + "service: {pipelines: {traces: {receivers: [otlp], processors: [tail_sampling], exporters: [spoor]}}}\n");
        TailLogSettings d = PipelineFactory.tailLogSettings(tail(plain, 0), plain.storage(), Path.of("/data"),
                new HashSet<>());
        assertThat(d.fsyncPolicy()).isEqualTo(FsyncPolicy.INTERVAL);
        assertThat(d.fsyncInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theTailSamplingLogCanBeMovedOrTurnedOffButNotShared() {
        PipelineConfig c = parse("""
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
        assertThat(PipelineFactory.tailLogSettings(tail(c, 0), c.storage(), null, taken).dir())
                .isEqualTo(Path.of("/ssd/tail"));
        assertThat(PipelineFactory.tailLogSettings(tail(c, 1), c.storage(), null, taken)).isNull();
        assertThatThrownBy(() -> PipelineFactory.tailLogSettings(tail(c, 2), c.storage(), null, taken))
                .hasMessageContaining("another tail_sampling processor already logs to");

        PipelineConfig noDir = parse("processors:\n  tail_sampling: {}\nexporters: {spoor: {}}\n"
                + "service: {pipelines: {traces: {receivers: [otlp], processors: [tail_sampling], exporters: [spoor]}}}\n");
        assertThatThrownBy(() -> PipelineFactory.tailLogSettings(tail(noDir, 0), noDir.storage(), null,
                new HashSet<>())).hasMessageContaining("processors.tail_sampling.wal.directory");
    }
}
