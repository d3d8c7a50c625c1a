package io.spoor.server.storage;

import io.spoor.storage.SpanStore;
import java.nio.file.Path;
import java.util.Objects;

/** The storage engine chosen and its own settings. */
public record EngineConfig<C>(StorageFactory<C> factory, C config) {
    public EngineConfig {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(config, "config");
    }

    public static <C> EngineConfig<C> ofDefaults(StorageFactory<C> factory) {
        return new EngineConfig<>(factory, factory.defaultConfig());
    }

    public String type() {
        return factory.type();
    }

    SpanStore open(StorageConfig storage, Path dataDir) {
        return factory.open(config, storage, dataDir);
    }
}
