package io.spoor.server.config;

import io.spoor.pipeline.PipelineComponents;
import io.spoor.pipeline.PipelineConfig;
import io.spoor.server.receiver.ReceiverConfig;
import io.spoor.server.receiver.ReceiverFactory;
import io.spoor.server.receiver.otlp.OtlpReceiverFactory;
import io.spoor.server.receiver.zipkin.ZipkinReceiverFactory;
import io.spoor.server.storage.LuceneStorageFactory;
import io.spoor.server.storage.StorageFactory;
import io.spoor.server.storage.StorageSection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a configuration file can name, by factory: receivers, the pipeline's processors and exporters
 * ({@link PipelineComponents}, with the tail-sampling policies), storage engines and the {@code spoor:} sections.
 * {@link #builtIn()} is the one place the server's are registered (the pipeline's are in
 * {@link PipelineComponents#builtIn()}); docs/architecture.md has the recipe for adding one.
 */
public record SpoorComponents(List<ReceiverFactory<?>> receivers, PipelineComponents pipeline,
                              List<StorageFactory<?>> storageEngines, List<SpoorSection<?>> sections) {

    public SpoorComponents {
        receivers = List.copyOf(receivers);
        storageEngines = List.copyOf(storageEngines);
        sections = List.copyOf(sections);
    }

    public static SpoorComponents builtIn() {
        List<StorageFactory<?>> engines = List.of(new LuceneStorageFactory()); // the first is the default
        return new SpoorComponents(
                List.of(new OtlpReceiverFactory(), new ZipkinReceiverFactory()),
                PipelineComponents.builtIn(),
                engines,
                List.of(new StorageSection(engines), new QuerySection(), new HttpSection(),
                        new LimitsSection()));
    }

    public List<String> receiverTypes() {
        return receivers.stream().map(ReceiverFactory::type).toList();
    }

    public Optional<ReceiverFactory<?>> receiver(String type) {
        return receivers.stream().filter(f -> f.type().equals(type)).findFirst();
    }

    public List<String> sectionKeys() {
        return sections.stream().map(SpoorSection::key).toList();
    }

    /** What Spoor runs without a file. */
    public ConfigFile defaults() {
        Map<String, Object> spoor = new LinkedHashMap<>();
        sections.forEach(s -> spoor.put(s.key(), s.defaults()));
        return new ConfigFile(receivers.stream().<ReceiverConfig<?>>map(ReceiverConfig::ofDefaults).toList(),
                PipelineConfig.defaults(), spoor);
    }
}
