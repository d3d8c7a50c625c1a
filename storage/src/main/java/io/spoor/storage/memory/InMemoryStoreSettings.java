package io.spoor.storage.memory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the in-memory engine.
 *
 * @param maxSpans  the most spans held; beyond it the traces that started first are evicted, whole (Zipkin's
 *                  in-memory storage has the same bound, {@code MEM_MAX_SPANS}, with the same default)
 * @param retention spans that started longer ago than this are deleted by {@code enforceRetention()}
 * @param clock     "now" for age retention
 */
public record InMemoryStoreSettings(int maxSpans, Duration retention, Clock clock) {
    public static final int DEFAULT_MAX_SPANS = 500_000;

    public InMemoryStoreSettings {
        if (maxSpans < 1) {
            throw new IllegalArgumentException("maxSpans must be >= 1");
        }
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
        Objects.requireNonNull(clock, "clock");
    }

    public static InMemoryStoreSettings defaults() {
        return new InMemoryStoreSettings(DEFAULT_MAX_SPANS, Duration.ofDays(7), Clock.systemUTC());
    }

    public InMemoryStoreSettings withMaxSpans(int v) {
        return new InMemoryStoreSettings(v, retention, clock);
    }

    public InMemoryStoreSettings withRetention(Duration v) {
        return new InMemoryStoreSettings(maxSpans, v, clock);
    }

    public InMemoryStoreSettings withClock(Clock v) {
        return new InMemoryStoreSettings(maxSpans, retention, v);
    }
}
