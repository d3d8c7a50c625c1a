package io.spoor.pipeline;

import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.config.Unsupported;
import io.spoor.pipeline.export.StoreExporterFactory;
import io.spoor.pipeline.memory.MemoryLimiterConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the traces pipeline's part of a Collector-shaped file: the definitions under {@code processors} and
 * {@code exporters} (each by its type's factory from {@link PipelineComponents}), then
 * {@code service.pipelines.traces}, which puts them in order. Types Spoor lacks are added to the file reader's list of
 * unsupported components, which reports them all in one error.
 */
public final class PipelineReader {
    private final PipelineComponents components;
    private final List<String> unsupported;
    private final Map<String, ProcessorConfig<?>> processors = new LinkedHashMap<>();
    private final Map<String, ExporterConfig<?>> exporters = new LinkedHashMap<>();
    private MemoryLimiterConfig memoryLimiter = MemoryLimiterConfig.DEFAULTS;
    private String memoryLimiterId;

    public PipelineReader(PipelineComponents components, List<String> unsupported) {
        this.components = components;
        this.unsupported = unsupported;
    }

    /** Reads {@code processors} and {@code exporters} of the file's top level. */
    public void readDefinitions(Section root) {
        Unsupported.readComponents(root, "processors", components.processorTypes(), this::processor, unsupported);
        Unsupported.readComponents(root, "exporters", components.exporterTypes(), this::exporter, unsupported);
    }

    private void processor(String id, ConfigNode node) {
        String type = Unsupported.typeOf(id);
        if (type.equals(components.memoryLimiter().type())) {
            MemoryLimiterConfig parsed = components.memoryLimiter().parse(node);
            if (memoryLimiterId != null) {
                throw new ConfigException(node.where() + ": only one memory_limiter (Spoor's admission control) may "
                        + "be defined");
            }
            memoryLimiterId = id;
            memoryLimiter = parsed;
            return;
        }
        processors.put(id, processorConfig(id, components.processor(type).orElseThrow(), node));
    }

    private static <C> ProcessorConfig<C> processorConfig(String id, ProcessorFactory<C> f, ConfigNode node) {
        return new ProcessorConfig<>(id, f, f.parse(node));
    }

    private void exporter(String id, ConfigNode node) {
        exporters.put(id, exporterConfig(id, components.exporter(Unsupported.typeOf(id)).orElseThrow(), node));
    }

    private static <C> ExporterConfig<C> exporterConfig(String id, ExporterFactory<C> f, ConfigNode node) {
        return new ExporterConfig<>(id, f, f.parse(node));
    }

    /**
     * The pipeline of a file without a {@code service} section: memory_limiter → batch → spoor, with the file's
     * settings for those two.
     */
    public PipelineConfig withoutService() {
        PipelineConfig d = PipelineConfig.defaults();
        ProcessorConfig<?> batch = processors.get(d.processors().getFirst().id());
        return d.withMemoryLimiter(memoryLimiter).withProcessors(batch != null ? List.of(batch) : d.processors());
    }

    /**
     * The pipeline {@code p} ({@code service.pipelines.traces}) describes, by the ids it lists.
     *
     * @param receiverTypes the receivers Spoor runs (a pipeline may list only those)
     */
    public PipelineConfig traces(Section p, List<String> receiverTypes) {
        for (String r : p.strings("receivers")) {
            if (!receiverTypes.contains(r)) {
                throw new ConfigException(p.get("receivers").where() + ": '" + r + "' is not defined under "
                        + "receivers (Spoor has " + (receiverTypes.size() == 1 ? "one receiver, " : "the receivers ")
                        + String.join(", ", receiverTypes) + ")");
            }
        }
        List<ProcessorConfig<?>> chain = new ArrayList<>();
        MemoryLimiterConfig ml = MemoryLimiterConfig.DEFAULTS;
        for (String id : p.strings("processors")) {
            if (id.equals(memoryLimiterId)) {
                ml = memoryLimiter;
            } else if (processors.containsKey(id)) {
                chain.add(processors.get(id));
            } else {
                throw new ConfigException(p.get("processors").where() + ": '" + id
                        + "' is not defined under processors");
            }
        }
        List<ExporterConfig<?>> out = new ArrayList<>();
        for (String id : p.strings("exporters")) {
            if (exporters.containsKey(id)) {
                out.add(exporters.get(id));
            } else if (id.equals(StoreExporterFactory.TYPE)) {
                // the store needs no settings, so no definition either
                out.add(ExporterConfig.ofDefaults(id, components.exporter(id).map(f -> (StoreExporterFactory) f)
                        .orElseThrow()));
            } else {
                throw new ConfigException(p.get("exporters").where() + ": '" + id
                        + "' is not defined under exporters");
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException("'" + p.child("exporters") + "'" + (p.line() > 0 ? " (line " + p.line()
                    + ")" : "") + " must name at least one exporter, e.g. [spoor]");
        }
        return new PipelineConfig(ml, chain, out);
    }
}
