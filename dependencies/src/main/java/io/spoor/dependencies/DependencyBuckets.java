package io.spoor.dependencies;

import java.time.Duration;

/**
 * The grid of dependency buckets: time is cut into {@link #WIDTH} buckets, bucket {@code i} holds the calls whose
 * time lies in {@code [i × W, (i + 1) × W)}. Indices rather than start times are what the bookkeeping counts with, so
 * that no timestamp, however far in the past or future, can overflow it.
 */
public final class DependencyBuckets {
    public static final Duration WIDTH = Duration.ofSeconds(10);
    /** {@link #WIDTH} in nanoseconds. */
    public static final long W = WIDTH.toNanos();

    private DependencyBuckets() {
    }

    /** The index of the bucket that holds {@code epochNanos} (any long, negative ones too). */
    public static long index(long epochNanos) {
        return Math.floorDiv(epochNanos, W);
    }

    /** The start of the bucket that holds {@code epochNanos}. */
    public static long bucketOf(long epochNanos) {
        return index(epochNanos) * W;
    }

    /** The start of bucket {@code index} (for indices of real times: no overflow within ±292 years of 1970). */
    public static long start(long index) {
        return index * W;
    }
}
