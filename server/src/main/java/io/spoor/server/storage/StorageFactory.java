package io.spoor.server.storage;

import io.spoor.pipeline.config.Section;
import io.spoor.storage.SpanStore;
import java.nio.file.Path;
import java.util.List;

/**
 * A storage engine, chosen by {@code spoor.storage.type}: the keys it adds to {@code spoor.storage} (beside the ones
 * every engine has, {@link StorageConfig}), its settings when none are written, the reading of them, and opening the
 * engine. Registered in {@link io.spoor.server.config.SpoorComponents#builtIn()}.
 *
 * <p>An engine's keys sit beside the common ones ({@code spoor.storage.max_disk_mib}); an engine with many may
 * instead claim one key named after its type and read a nested section from it ({@code spoor.storage.cassandra}).
 */
public interface StorageFactory<C> {

    /** The value of {@code spoor.storage.type} that selects this engine. */
    String type();

    /** The keys of {@code spoor.storage} this engine reads. */
    List<String> keys();

    C defaultConfig();

    /** Reads this engine's keys from {@code storage}, which holds only known keys (checked before). */
    C parse(Section storage);

    /** Opens the engine; it keeps its files (if any) under {@code dataDir}. */
    SpanStore open(C config, StorageConfig storage, Path dataDir);
}
