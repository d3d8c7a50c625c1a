package io.spoor.pipeline.memory;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * {@code processors.memory_limiter} as written; empty values mean 80 % of the max heap, spike 20 % of the limit
 * (the Collector's {@code limit_percentage} defaults). {@link #settings(long)} turns it into bytes for one heap.
 */
public record MemoryLimiterConfig(OptionalLong limitMib, OptionalLong spikeLimitMib, OptionalInt limitPercentage,
                                  OptionalInt spikeLimitPercentage) {
    public static final MemoryLimiterConfig DEFAULTS = new MemoryLimiterConfig(OptionalLong.empty(),
            OptionalLong.empty(), OptionalInt.empty(), OptionalInt.empty());

    public static MemoryLimiterConfig ofMib(long limitMib, long spikeLimitMib) {
        return new MemoryLimiterConfig(OptionalLong.of(limitMib), OptionalLong.of(spikeLimitMib),
                OptionalInt.empty(), OptionalInt.empty());
    }

    /** The limits in bytes for a JVM whose maximum heap is {@code maxHeap}. */
    public MemoryLimiterSettings settings(long maxHeap) {
        long limit;
        if (limitMib.isPresent()) {
            limit = limitMib.getAsLong() * MemoryLimiterSettings.MIB;
        } else if (limitPercentage.isPresent()) {
            limit = maxHeap / 100 * limitPercentage.getAsInt();
        } else {
            return MemoryLimiterSettings.forMaxHeap(maxHeap);
        }
        long spike;
        if (spikeLimitMib.isPresent()) {
            spike = spikeLimitMib.getAsLong() * MemoryLimiterSettings.MIB;
        } else if (spikeLimitPercentage.isPresent()) {
            spike = maxHeap / 100 * spikeLimitPercentage.getAsInt();
        } else {
            spike = limit / 5;
        }
        return new MemoryLimiterSettings(limit, Math.min(spike, limit - 1), Duration.ofSeconds(1));
    }
}
