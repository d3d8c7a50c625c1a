package io.spoor.pipeline.memory;

import java.time.Duration;

/**
 * The Collector's memory_limiter settings: {@code limit_mib} is the hard limit, the soft limit is
 * {@code limit_mib - spike_limit_mib}; above the soft limit new exports are refused retryably.
 */
public record MemoryLimiterSettings(long limitBytes, long spikeLimitBytes, Duration retryAfter) {
    public static final long MIB = 1024L * 1024L;

    public MemoryLimiterSettings {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("memory_limiter: limit_mib must be greater than 0");
        }
        if (spikeLimitBytes < 0 || spikeLimitBytes >= limitBytes) {
            throw new IllegalArgumentException("memory_limiter: spike_limit_mib must be >= 0 and below limit_mib");
        }
    }

    /** Defaults like the Collector's limit_percentage: 80% of the maximum heap, spike 20% of the limit. */
    public static MemoryLimiterSettings forMaxHeap(long maxHeapBytes) {
        long limit = maxHeapBytes / 10 * 8;
        return new MemoryLimiterSettings(limit, limit / 5, Duration.ofSeconds(1));
    }

    public static MemoryLimiterSettings ofMib(long limitMib, long spikeLimitMib) {
        return new MemoryLimiterSettings(limitMib * MIB, spikeLimitMib * MIB, Duration.ofSeconds(1));
    }

    public long softLimitBytes() {
        return limitBytes - spikeLimitBytes;
    }
}
