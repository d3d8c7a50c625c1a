package io.spoor.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.pipeline.batch.BatchProcessor;
import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.PipelineConfig;
import io.spoor.pipeline.config.PipelineConfig.ExporterConfig;
import io.spoor.pipeline.config.PipelineConfig.MemoryLimiterConfig;
import io.spoor.pipeline.config.PipelineConfig.ProcessorConfig;
import io.spoor.pipeline.export.FanOut;
import io.spoor.pipeline.export.OtlpExporter;
import io.spoor.pipeline.export.StoreExporter;
import io.spoor.pipeline.memory.HeapProbe;
import io.spoor.pipeline.memory.MemoryLimiter;
import io.spoor.pipeline.memory.MemoryLimiterSettings;
import io.spoor.pipeline.sampling.ProbabilisticSampler;
import io.spoor.pipeline.sampling.tail.NamedPolicy;
import io.spoor.pipeline.sampling.tail.TailLogSettings;
import io.spoor.pipeline.sampling.tail.TailSamplingProcessor;
import io.spoor.storage.SpanWriter;
import io.spoor.spanlog.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the traces pipeline a {@link PipelineConfig} describes: the memory limiter (always there: it is Spoor's
 * admission control), then the processors in the configured order, then the exporters. Stages are wired back to
 * front, since each takes the next in its constructor.
 */
public final class PipelineFactory {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineFactory.class);
    private PipelineFactory() {
    }

    /**
     * @param store      where the {@code spoor} exporter writes
     * @param dataDir    the server's data directory: the tail sampler's log lives under it unless configured
     *                   elsewhere (null: no default, so a tail sampler with its log on must name a directory)
     * @param maxHeap    the JVM's maximum heap, for the memory limiter's defaults and percentages
     */
    public static IngestPipeline build(PipelineConfig config, SpanWriter store, Path dataDir, HeapProbe heap,
                                       long maxHeap, MeterRegistry registry) {
        MemoryLimiter limiter = new MemoryLimiter(memoryLimiterSettings(config.memoryLimiter(), maxHeap), heap);
        List<AutoCloseable> closeFirstToLast = new ArrayList<>();
        List<AutoCloseable> processorCloseables = new ArrayList<>();
        List<AutoCloseable> exporterCloseables = new ArrayList<>();
        try {
            List<SpanConsumer> exporters = new ArrayList<>();
            for (ExporterConfig e : config.exporters()) {
                switch (e) {
                    case ExporterConfig.Store s -> exporters.add(new StoreExporter(s.id(), store, registry));
                    case ExporterConfig.Otlp o -> {
                        OtlpExporter exporter = new OtlpExporter(o.id(), o.settings(), registry);
                        exporters.add(exporter);
                        exporterCloseables.add(exporter);
                    }
                }
            }
            SpanConsumer next = new FanOut(exporters);
            List<ProcessorConfig> processors = config.processors();
            Set<Path> logDirs = new HashSet<>();
            for (int i = processors.size() - 1; i >= 0; i--) {
                ProcessorConfig p = processors.get(i);
                switch (p) {
                    case ProcessorConfig.Batch b -> {
                        BatchProcessor batch = new BatchProcessor(b.id(), b.settings(), next, registry);
                        processorCloseables.addFirst(batch);
                        next = batch;
                    }
                    case ProcessorConfig.ProbabilisticSampler ps ->
                            next = new ProbabilisticSampler(ps.id(), ps.samplingPercentage(), next, registry);
                    case ProcessorConfig.TailSampling ts -> {
                        warnIfAnUnusedLogHoldsSpans(ts, dataDir);
                        List<NamedPolicy> policies = ts.policies().stream()
                                .map(spec -> new NamedPolicy(spec.name(), spec.create().get())).toList();
                        TailSamplingProcessor tail = new TailSamplingProcessor(ts.id(), ts.settings(), policies, next,
                                registry, System::nanoTime, limiter::overSoftLimit,
                                tailLogSettings(ts, config.storage(), dataDir, logDirs), System::currentTimeMillis)
                                .start();
                        processorCloseables.addFirst(tail);
                        next = tail;
                    }
                }
            }
            closeFirstToLast.addAll(processorCloseables);
            closeFirstToLast.addAll(exporterCloseables);
            return new IngestPipeline(limiter, next, closeFirstToLast, registry);
        } catch (RuntimeException e) {
            closeFirstToLast.clear();
            closeFirstToLast.addAll(processorCloseables);
            closeFirstToLast.addAll(exporterCloseables);
            for (AutoCloseable c : closeFirstToLast) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // already failing
                }
            }
            throw e;
        }
    }

    /**
     * The tail sampler's log: in {@code wal.directory}, else {@code <data-dir>/tail_sampling/<id>}; fsynced as the
     * store's log is ({@code spoor.storage.fsync}, {@code fsync_interval}). Null when {@code wal.enabled: false}.
     */
    static TailLogSettings tailLogSettings(ProcessorConfig.TailSampling ts, PipelineConfig.StorageConfig storage,
                                           Path dataDir, Set<Path> taken) {
        PipelineConfig.TailWal wal = ts.wal();
        if (!wal.enabled()) {
            return null;
        }
        Path dir;
        if (wal.directory().isPresent()) {
            dir = Path.of(wal.directory().get());
        } else if (dataDir != null) {
            dir = defaultLogDir(dataDir, ts.id());
        } else {
            throw new ConfigException("processors." + ts.id() + ".wal.directory: the tail-sampling log needs a "
                    + "directory here (no data directory to put it under); set it, or wal.enabled: false");
        }
        if (!taken.add(dir.toAbsolutePath().normalize())) {
            throw new ConfigException("processors." + ts.id() + ": another tail_sampling processor already logs to "
                    + dir + "; give each its own wal.directory");
        }
        FsyncPolicy fsync = storage.fsync().map(f -> FsyncPolicy.valueOf(f.toUpperCase(Locale.ROOT)))
                .orElse(FsyncPolicy.DEFAULT);
        return TailLogSettings.of(dir, fsync, storage.fsyncInterval().orElse(FsyncPolicy.DEFAULT_INTERVAL));
    }

    private static Path defaultLogDir(Path dataDir, String processorId) {
        return dataDir.resolve("tail_sampling").resolve(processorId.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /** With the log turned off, spans a previous run logged under the default directory are not replayed: say so. */
    private static void warnIfAnUnusedLogHoldsSpans(ProcessorConfig.TailSampling ts, Path dataDir) {
        if (ts.wal().enabled() || dataDir == null) {
            return;
        }
        Path dir = ts.wal().directory().map(Path::of).orElse(defaultLogDir(dataDir, ts.id()));
        try (Stream<Path> files = Files.list(dir)) {
            if (files.anyMatch(f -> f.getFileName().toString().endsWith(".wal"))) {
                LOG.warn("processors.{}: wal.enabled is false, but {} holds a tail-sampling log of an earlier run; "
                        + "its spans are not replayed (turn the log on once to decide them, or delete the directory)",
                        ts.id(), dir);
            }
        } catch (IOException e) {
            // no such directory: nothing was logged there
        }
    }

    public static MemoryLimiterSettings memoryLimiterSettings(MemoryLimiterConfig m, long maxHeap) {
        long limit;
        if (m.limitMib().isPresent()) {
            limit = m.limitMib().getAsLong() * MemoryLimiterSettings.MIB;
        } else if (m.limitPercentage().isPresent()) {
            limit = maxHeap / 100 * m.limitPercentage().getAsInt();
        } else {
            return MemoryLimiterSettings.forMaxHeap(maxHeap);
        }
        long spike;
        if (m.spikeLimitMib().isPresent()) {
            spike = m.spikeLimitMib().getAsLong() * MemoryLimiterSettings.MIB;
        } else if (m.spikeLimitPercentage().isPresent()) {
            spike = maxHeap / 100 * m.spikeLimitPercentage().getAsInt();
        } else {
            spike = limit / 5;
        }
        return new MemoryLimiterSettings(limit, Math.min(spike, limit - 1), java.time.Duration.ofSeconds(1));
    }
}
