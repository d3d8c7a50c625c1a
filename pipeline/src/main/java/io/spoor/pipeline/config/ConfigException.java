package io.spoor.pipeline.config;

/**
 * A configuration that cannot be used. The message names the key (as a dotted path) and, when it came from a
 * file, its line: it is printed as the one startup error.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
