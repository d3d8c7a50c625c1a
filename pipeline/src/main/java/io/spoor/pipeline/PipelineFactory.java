package io.spoor.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.pipeline.batch.BatchProcessor;
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
import io.spoor.pipeline.sampling.tail.TailSamplingProcessor;
import io.spoor.storage.SpanWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the traces pipeline a {@link PipelineConfig} describes: the memory limiter (always there: it is Spoor's
 * admission control), then the processors in the configured order, then the exporters. Stages are wired back to
 * front, since each takes the next in its constructor.
 */
public final class PipelineFactory {
    private PipelineFactory() {
    }

    /**
     * @param store      where the {@code spoor} exporter writes
     * @param maxHeap    the JVM's maximum heap, for the memory limiter's defaults and percentages
     */
    public static IngestPipeline build(PipelineConfig config, SpanWriter store, HeapProbe heap, long maxHeap,
                                       MeterRegistry registry) {
        MemoryLimiter limiter = new MemoryLimiter(memoryLimiterSettings(config.memoryLimiter(), maxHeap), heap);
        List<AutoCloseable> closeFirstToLast = new ArrayList<>();
        try {
            List<SpanConsumer> exporters = new ArrayList<>();
            List<AutoCloseable> exporterCloseables = new ArrayList<>();
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
            List<AutoCloseable> processorCloseables = new ArrayList<>();
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
                        List<NamedPolicy> policies = ts.policies().stream()
                                .map(spec -> new NamedPolicy(spec.name(), spec.create().get())).toList();
                        TailSamplingProcessor tail = new TailSamplingProcessor(ts.id(), ts.settings(), policies, next,
                                registry, System::nanoTime, limiter::overSoftLimit).start();
                        processorCloseables.addFirst(tail);
                        next = tail;
                    }
                }
            }
            closeFirstToLast.addAll(processorCloseables);
            closeFirstToLast.addAll(exporterCloseables);
            return new IngestPipeline(limiter, next, closeFirstToLast, registry);
        } catch (RuntimeException e) {
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
