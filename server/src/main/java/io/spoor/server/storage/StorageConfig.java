package io.spoor.server.storage;

import io.spoor.spanlog.wal.FsyncPolicy;
import io.spoor.storage.SpanStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code spoor.storage}: what every engine has — how long spans are kept ({@code retention}, which also bounds how far
 * back service dependencies are aggregated) and how Spoor's logs are synced ({@code fsync}, {@code fsync_interval}:
 * the embedded engine's write-ahead log and the tail sampler's log make the same promise) — and the engine chosen by
 * {@code type} with its own settings.
 */
public record StorageConfig(Duration retention, FsyncPolicy fsync, Duration fsyncInterval, EngineConfig<?> engine) {

    public StorageConfig {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(fsync, "fsync");
        Objects.requireNonNull(fsyncInterval, "fsyncInterval");
        Objects.requireNonNull(engine, "engine");
    }

    /** The defaults with {@code engine}'s default settings. */
    public static StorageConfig defaults(StorageFactory<?> engine) {
        return new StorageConfig(SpanStore.DEFAULT_RETENTION, FsyncPolicy.DEFAULT, FsyncPolicy.DEFAULT_INTERVAL,
                EngineConfig.ofDefaults(engine));
    }

    /** Opens the configured engine with its files under {@code dataDir}. */
    public SpanStore open(Path dataDir) {
        return engine.open(this, dataDir);
    }
}
