package io.spoor.pipeline.sampling.tail;

import java.util.concurrent.TimeUnit;

/**
 * {@code rate_limiting}: samples traces while the spans sampled in the current second stay within
 * {@code spans_per_second}, as the Collector does (a trace that would cross the limit is not sampled).
 */
public final class RateLimiting implements Policy {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final long spansPerSecond;
    private long windowStart = Long.MIN_VALUE;
    private long spansInWindow;

    public RateLimiting(long spansPerSecond) {
        this.spansPerSecond = spansPerSecond;
    }

    @Override
    public Decision evaluate(TraceView trace, long nowNanos) {
        return tryTake(trace.spanCount(), nowNanos) ? Decision.SAMPLED : Decision.NOT_SAMPLED;
    }

    /** Takes {@code spans} from this second's budget if they fit. */
    boolean tryTake(long spans, long nowNanos) {
        if (windowStart == Long.MIN_VALUE || nowNanos - windowStart >= SECOND) {
            windowStart = nowNanos;
            spansInWindow = 0;
        }
        if (spansInWindow + spans > spansPerSecond) {
            return false;
        }
        spansInWindow += spans;
        return true;
    }
}
