package io.spoor.pipeline.export;

import java.time.Duration;

/**
 * The Collector's {@code retry_on_failure}: after a retryable failure wait {@code initial_interval}, growing by
 * {@code multiplier} up to {@code max_interval}, each wait randomised by ±{@code randomization_factor}; give up
 * after {@code max_elapsed_time} (0 = never).
 */
public record RetrySettings(boolean enabled, Duration initialInterval, Duration maxInterval, Duration maxElapsedTime,
                            double multiplier, double randomizationFactor) {
    public static final RetrySettings DEFAULTS = new RetrySettings(true, Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMinutes(5), 1.5, 0.5);
}
