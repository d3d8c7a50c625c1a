package io.spoor.pipeline;

import io.spoor.pipeline.export.FanOut;
import io.spoor.pipeline.memory.MemoryLimiter;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the traces pipeline a {@link PipelineConfig} describes: the memory limiter (always there: it is Spoor's
 * admission control), then the processors in the configured order, then the exporters, each made by its factory.
 * Stages are wired back to front, since each takes the next in its constructor.
 */
public final class PipelineFactory {
    private PipelineFactory() {
    }

    public static IngestPipeline build(PipelineConfig config, PipelineContext context) {
        MemoryLimiter limiter = new MemoryLimiter(config.memoryLimiter().settings(context.maxHeap()), context.heap());
        StageContext stages = new StageContext(context, limiter);
        List<AutoCloseable> processorCloseables = new ArrayList<>();
        List<AutoCloseable> exporterCloseables = new ArrayList<>();
        try {
            List<SpanConsumer> exporters = new ArrayList<>();
            for (ExporterConfig<?> e : config.exporters()) {
                SpanConsumer exporter = e.create(stages);
                exporters.add(exporter);
                if (exporter instanceof AutoCloseable c) {
                    exporterCloseables.add(c);
                }
            }
            SpanConsumer next = new FanOut(exporters);
            List<ProcessorConfig<?>> processors = config.processors();
            for (int i = processors.size() - 1; i >= 0; i--) {
                next = processors.get(i).create(next, stages);
                if (next instanceof AutoCloseable c) {
                    processorCloseables.addFirst(c);
                }
            }
            List<AutoCloseable> closeFirstToLast = new ArrayList<>(processorCloseables);
            closeFirstToLast.addAll(exporterCloseables);
            return new IngestPipeline(limiter, next, closeFirstToLast, context.registry());
        } catch (RuntimeException e) {
            List<AutoCloseable> built = new ArrayList<>(processorCloseables);
            built.addAll(exporterCloseables);
            for (AutoCloseable c : built) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // already failing
                }
            }
            throw e;
        }
    }
}
