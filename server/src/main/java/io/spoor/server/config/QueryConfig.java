package io.spoor.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code spoor.query}: clock-skew adjustment when traces are assembled (on by default; a request can still ask for raw
 * spans) and the largest shift it may apply (zero = no limit).
 */
public record QueryConfig(boolean adjustClockSkew, Duration maxClockSkew) {
    public static final QueryConfig DEFAULTS = new QueryConfig(true, Duration.ZERO);

    public QueryConfig {
        Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    }
}
