package io.spoor.pipeline;

import io.spoor.pipeline.batch.BatchProcessorFactory;
import io.spoor.pipeline.export.OtlpExporterFactory;
import io.spoor.pipeline.export.OtlpHttpExporterFactory;
import io.spoor.pipeline.export.StoreExporterFactory;
import io.spoor.pipeline.memory.MemoryLimiterFactory;
import io.spoor.pipeline.sampling.ProbabilisticSamplerFactory;
import io.spoor.pipeline.sampling.tail.TailSamplingProcessorFactory;
import io.spoor.pipeline.sampling.tail.policy.TailPolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The processor and exporter types of the traces pipeline, by factory: {@link #builtIn()} is the one place a new
 * one is registered. The memory limiter is a processor type in the file but not a stage (it is the admission
 * control in front of every stage), so it has a slot of its own.
 */
public record PipelineComponents(MemoryLimiterFactory memoryLimiter, List<ProcessorFactory<?>> processors,
                                 List<ExporterFactory<?>> exporters) {

    public PipelineComponents {
        processors = List.copyOf(processors);
        exporters = List.copyOf(exporters);
    }

    public static PipelineComponents builtIn() {
        return new PipelineComponents(new MemoryLimiterFactory(),
                List.of(new BatchProcessorFactory(), new ProbabilisticSamplerFactory(),
                        new TailSamplingProcessorFactory(TailPolicies.builtIn())),
                List.of(new StoreExporterFactory(), new OtlpExporterFactory(), new OtlpHttpExporterFactory()));
    }

    public Optional<ProcessorFactory<?>> processor(String type) {
        return processors.stream().filter(f -> f.type().equals(type)).findFirst();
    }

    public Optional<ExporterFactory<?>> exporter(String type) {
        return exporters.stream().filter(f -> f.type().equals(type)).findFirst();
    }

    /** Every processor type the file may use, the memory limiter first. */
    public List<String> processorTypes() {
        List<String> out = new ArrayList<>();
        out.add(memoryLimiter.type());
        processors.forEach(f -> out.add(f.type()));
        return out;
    }

    public List<String> exporterTypes() {
        return exporters.stream().map(ExporterFactory::type).toList();
    }
}
