package io.spoor.server.config;

import io.spoor.pipeline.config.ConfigNode;

/**
 * One section of the file's {@code spoor:} part ({@code spoor.storage}, {@code spoor.query}, …): its key, its
 * settings when it is not written, and the reading of it. Registered in {@link SpoorComponents#builtIn()}; read
 * back with {@link ConfigFile#spoor(SpoorSection)}.
 */
public interface SpoorSection<C> {

    /** The key under {@code spoor}. */
    String key();

    C defaults();

    /**
     * Reads the section; {@code node} is null when the file does not have it (then the defaults are expected). Unknown
     * keys and bad values are a {@link io.spoor.pipeline.config.ConfigException} naming the key and its line.
     */
    C parse(ConfigNode node);
}
