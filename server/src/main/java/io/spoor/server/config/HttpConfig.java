package io.spoor.server.config;

import java.util.List;

/**
 * {@code spoor.http}, for every listener: the {@code Host} names (with any port) Spoor answers. Empty means: the
 * loopback names when bound to a loopback address, any name otherwise.
 */
public record HttpConfig(List<String> allowedHosts) {
    public static final HttpConfig DEFAULTS = new HttpConfig(List.of());

    public HttpConfig {
        allowedHosts = List.copyOf(allowedHosts);
    }
}
