package io.spoor.server;

import io.spoor.server.config.SpoorConfig;
import io.spoor.storage.SpanStore;

/** Opens the storage engine the configuration asks for. Tests may pass their own. */
@FunctionalInterface
public interface StoreOpener {
    SpanStore open(SpoorConfig config);

    /** The engine {@code spoor.storage.type} names, with its files under the data directory. */
    static StoreOpener configured() {
        return config -> config.storage().open(config.dataDir());
    }
}
