package io.spoor.pipeline;

import io.spoor.pipeline.batch.BatchProcessorFactory;
import io.spoor.pipeline.export.StoreExporterFactory;
import io.spoor.pipeline.memory.MemoryLimiterConfig;
import java.util.List;
import java.util.Objects;

/**
 * The traces pipeline as configured ({@code service.pipelines.traces} with the definitions it names): the memory
 * limiter (admission, always there), the processors in order, the exporters. {@link #defaults()} is what Spoor
 * runs with no file: memory_limiter → batch → spoor. Read by {@link PipelineReader}, built by
 * {@link PipelineFactory}.
 */
public record PipelineConfig(MemoryLimiterConfig memoryLimiter, List<ProcessorConfig<?>> processors,
                             List<ExporterConfig<?>> exporters) {

    public PipelineConfig {
        Objects.requireNonNull(memoryLimiter, "memoryLimiter");
        processors = List.copyOf(processors);
        exporters = List.copyOf(exporters);
        if (exporters.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs at least one exporter");
        }
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(MemoryLimiterConfig.DEFAULTS,
                List.of(ProcessorConfig.ofDefaults(BatchProcessorFactory.TYPE, new BatchProcessorFactory())),
                List.of(ExporterConfig.ofDefaults(StoreExporterFactory.TYPE, new StoreExporterFactory())));
    }

    public PipelineConfig withMemoryLimiter(MemoryLimiterConfig v) {
        return new PipelineConfig(v, processors, exporters);
    }

    public PipelineConfig withProcessors(List<ProcessorConfig<?>> v) {
        return new PipelineConfig(memoryLimiter, v, exporters);
    }

    /** Whether the spans reach Spoor's own store (an exporter of type {@code spoor}). */
    public boolean stores() {
        return exporters.stream().anyMatch(e -> e.factory() instanceof StoreExporterFactory);
    }
}
