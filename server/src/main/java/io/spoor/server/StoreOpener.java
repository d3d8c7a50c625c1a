package io.spoor.server;

import io.spoor.server.config.SpoorConfig;
import io.spoor.storage.SpanStore;

/** Opens the storage engine the configuration asks for. Tests may pass their own. */
@FunctionalInterface
public interface StoreOpener {
    SpanStore open(SpoorConfig config);
}
