package io.spoor.server.storage;

import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;
import io.spoor.server.config.SpoorSection;
import io.spoor.spanlog.wal.FsyncPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code spoor.storage}: {@code type} picks the engine among {@code engines} (the first is the default), the
 * common keys are read here — the one place they are parsed — and the rest by the engine's factory.
 */
public record StorageSection(List<StorageFactory<?>> engines) implements SpoorSection<StorageConfig> {
    private static final List<String> COMMON = List.of("type", "retention", "fsync", "fsync_interval");

    public StorageSection {
        engines = List.copyOf(engines);
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("at least one storage engine");
        }
    }

    @Override
    public String key() {
        return "storage";
    }

    @Override
    public StorageConfig defaults() {
        return StorageConfig.defaults(engines.getFirst());
    }

    @Override
    public StorageConfig parse(ConfigNode node) {
        String path = node == null ? "spoor.storage" : node.path();
        Section head = Section.anyKeys(node, path); // keys are checked once the engine is known
        List<String> types = engines.stream().map(StorageFactory::type).toList();
        String type = head.oneOf("type", types).orElse(types.getFirst());
        StorageFactory<?> engine = engines.stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow();
        List<String> known = new ArrayList<>(COMMON);
        known.addAll(engine.keys());
        for (Map.Entry<String, ConfigNode> e : head.node().entries().entrySet()) {
            String key = e.getKey();
            if (!known.contains(key)) {
                engines.stream().filter(other -> other.keys().contains(key)).findFirst().ifPresent(other -> {
                    throw new ConfigException(e.getValue().where() + " is a setting of storage type "
                            + other.type() + ", not of " + type);
                });
            }
        }
        Section s = Section.of(node, path, known.toArray(String[]::new));
        StorageConfig d = defaults();
        return new StorageConfig(
                s.duration("retention", false).orElse(d.retention()),
                s.oneOf("fsync", fsyncPolicies()).map(f -> FsyncPolicy.valueOf(f.toUpperCase(Locale.ROOT)))
                        .orElse(d.fsync()),
                s.duration("fsync_interval", false).orElse(d.fsyncInterval()),
                engineConfig(engine, s));
    }

    private static <C> EngineConfig<C> engineConfig(StorageFactory<C> engine, Section s) {
        return new EngineConfig<>(engine, engine.parse(s));
    }

    private static List<String> fsyncPolicies() {
        return java.util.Arrays.stream(FsyncPolicy.values()).map(p -> p.name().toLowerCase(Locale.ROOT)).toList();
    }
}
