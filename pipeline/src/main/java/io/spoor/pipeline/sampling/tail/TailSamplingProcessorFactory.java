package io.spoor.pipeline.sampling.tail;

import io.spoor.pipeline.ProcessorFactory;
import io.spoor.pipeline.SpanConsumer;
import io.spoor.pipeline.StageContext;
import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.sampling.tail.policy.TailPolicies;
import io.spoor.spanlog.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code processors.tail_sampling}: the Collector's keys, its policies (read with {@link TailPolicies}) and Spoor's
 * {@code wal} (the sampler's write-ahead log).
 */
public record TailSamplingProcessorFactory(TailPolicies policies) implements ProcessorFactory<TailSamplingConfig> {
    public static final String TYPE = "tail_sampling";
    private static final Logger LOG = LoggerFactory.getLogger(TailSamplingProcessorFactory.class);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public TailSamplingConfig defaultConfig() {
        return TailSamplingConfig.DEFAULTS;
    }

    @Override
    public TailSamplingConfig parse(ConfigNode node) {
        Section s = Section.of(node, node.path(), "decision_wait", "num_traces", "expected_new_traces_per_sec",
                "decision_cache", "maximum_trace_size_bytes", "sample_on_first_match", "policies", "wal");
        TailSamplingSettings d = TailSamplingSettings.DEFAULTS;
        Section cache = s.section("decision_cache", "sampled_cache_size", "non_sampled_cache_size");
        TailSamplingSettings settings = new TailSamplingSettings(
                s.duration("decision_wait", false).orElse(d.decisionWait()),
                s.whole("num_traces", 1, Integer.MAX_VALUE).orElse((long) d.numTraces()).intValue(),
                s.whole("expected_new_traces_per_sec", 0, Integer.MAX_VALUE)
                        .orElse((long) d.expectedNewTracesPerSec()).intValue(),
                cache.whole("sampled_cache_size", 0, Integer.MAX_VALUE).orElse((long) d.sampledCacheSize())
                        .intValue(),
                cache.whole("non_sampled_cache_size", 0, Integer.MAX_VALUE)
                        .orElse((long) d.nonSampledCacheSize()).intValue(),
                s.whole("maximum_trace_size_bytes", 0, Long.MAX_VALUE).orElse(d.maximumTraceSizeBytes()),
                s.bool("sample_on_first_match").orElse(d.sampleOnFirstMatch()));
        List<PolicySpec> read = policies.read(s, "policies");
        Section wal = s.section("wal", "enabled", "directory");
        Optional<String> directory = wal.string("directory").map(String::strip);
        if (directory.isPresent() && directory.get().isEmpty()) {
            throw wal.invalid("directory", "must not be empty (leave it out for the default under the data dir)");
        }
        return new TailSamplingConfig(settings, read, new TailWal(wal.bool("enabled").orElse(true), directory));
    }

    @Override
    public SpanConsumer create(String id, TailSamplingConfig config, SpanConsumer next, StageContext context) {
        warnIfAnUnusedLogHoldsSpans(id, config.wal(), context.dataDir());
        List<NamedPolicy> instances = config.policies().stream().map(PolicySpec::instantiate).toList();
        TailLogSettings log = logSettings(id, config.wal(), context.logFsync(), context.logFsyncInterval(),
                context.dataDir(), context::claimDirectory);
        return new TailSamplingProcessor(id, config.settings(), instances, next, context.registry(), System::nanoTime,
                context.limiter()::overSoftLimit, log, System::currentTimeMillis).start();
    }

    /**
     * The log of processor {@code id}: in {@code wal.directory}, else {@code <data-dir>/tail_sampling/<id>}; synced as
     * the store's log is. Null when {@code wal.enabled: false}. {@code claim} refuses a directory another processor
     * already logs to.
     */
    public static TailLogSettings logSettings(String id, TailWal wal, FsyncPolicy fsync, Duration fsyncInterval,
                                              Path dataDir, Predicate<Path> claim) {
        if (!wal.enabled()) {
            return null;
        }
        Path dir;
        if (wal.directory().isPresent()) {
            dir = Path.of(wal.directory().get());
        } else if (dataDir != null) {
            dir = defaultLogDir(dataDir, id);
        } else {
            throw new ConfigException("processors." + id + ".wal.directory: the tail-sampling log needs a "
                    + "directory here (no data directory to put it under); set it, or wal.enabled: false");
        }
        if (!claim.test(dir)) {
            throw new ConfigException("processors." + id + ": another tail_sampling processor already logs to "
                    + dir + "; give each its own wal.directory");
        }
        return TailLogSettings.of(dir, fsync, fsyncInterval);
    }

    private static Path defaultLogDir(Path dataDir, String processorId) {
        return dataDir.resolve("tail_sampling").resolve(processorId.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /** With the log turned off, spans a previous run logged under the default directory are not replayed: say so. */
    private static void warnIfAnUnusedLogHoldsSpans(String id, TailWal wal, Path dataDir) {
        if (wal.enabled() || dataDir == null) {
            return;
        }
        Path dir = wal.directory().map(Path::of).orElse(defaultLogDir(dataDir, id));
        try (Stream<Path> files = Files.list(dir)) {
            if (files.anyMatch(f -> f.getFileName().toString().endsWith(".wal"))) {
                LOG.warn("processors.{}: wal.enabled is false, but {} holds a tail-sampling log of an earlier run; "
                        + "its spans are not replayed (turn the log on once to decide them, or delete the directory)",
                        id, dir);
            }
        } catch (IOException e) {
            // no such directory: nothing was logged there
        }
    }
}
