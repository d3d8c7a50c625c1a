package io.spoor.pipeline.config;

import io.spoor.model.GoDuration;
import java.time.Duration;

/** Durations as the Collector writes them (Go's {@code time.ParseDuration}, plus {@code d}): see {@link GoDuration}. */
public final class Durations {
    private Durations() {
    }

    public static Duration parse(String text) {
        try {
            return Duration.ofNanos(GoDuration.parseNanos(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be a duration like 200ms, 5s or 7d: '" + text.strip() + "' "
                    + e.getMessage());
        }
    }
}
