package io.spoor.pipeline.limits;

import io.spoor.model.TraceId;

/**
 * {@code max_bytes_per_trace}: how many bytes each recent trace received in its current window, in a table of fixed
 * size, so that the bookkeeping itself has bounded memory (~40 bytes per slot, allocated once) whatever the number of
 * traces. Thread-safe: the table is cut into sets of {@value #WAYS} slots, each set guarded by one of
 * {@value #STRIPES} locks, so concurrent receivers rarely wait on each other.
 *
 * <p>A trace's window starts with its first span seen; once it has passed, the trace starts a new window with a
 * fresh budget. When all slots of a trace's set are taken by traces still in their window, the one touched longest ago
 * is forgotten to make room (counted as an eviction). A forgotten trace starts again from zero if it comes back, so
 * overflow makes the limit lenient (a trace may then receive more than its budget), never strict: a trace within its
 * budget is never refused. A trace that is still being written to is touched all the time and so stays.
 */
final class TraceByteBudget {
    static final int WAYS = 8;
    private static final int STRIPES = 64;

    private final long maxBytes;
    private final long windowNanos;
    private final int setMask;
    private final long[] high;
    private final long[] low;
    private final long[] bytes;
    /** When the slot's window started (nanos of the caller's clock); {@link Long#MIN_VALUE}: free. */
    private final long[] windowStart;
    private final long[] touched;
    private final Object[] locks = new Object[STRIPES];
    private final java.util.concurrent.atomic.LongAdder evictions = new java.util.concurrent.atomic.LongAdder();

    TraceByteBudget(long maxBytes, long windowNanos, int maxTraces) {
        this.maxBytes = maxBytes;
        this.windowNanos = windowNanos;
        int sets = Integer.highestOneBit(Math.max(1, (maxTraces + WAYS - 1) / WAYS));
        if (sets * WAYS < maxTraces && sets < (1 << 26)) {
            sets <<= 1;
        }
        this.setMask = sets - 1;
        int slots = sets * WAYS;
        high = new long[slots];
        low = new long[slots];
        bytes = new long[slots];
        windowStart = new long[slots];
        touched = new long[slots];
        java.util.Arrays.fill(windowStart, Long.MIN_VALUE);
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** Slots in the table (the configured number rounded up to a power of two sets of {@value #WAYS}). */
    int capacity() {
        return high.length;
    }

    long evictions() {
        return evictions.sum();
    }

    /**
     * Adds {@code spanBytes} to the trace's count at time {@code now} (nanos) if that keeps it within the budget.
     * False, and nothing counted, if it would not.
     */
    boolean tryAdd(TraceId trace, long spanBytes, long now) {
        long h = trace.high();
        long l = trace.low();
        long mix = (h * 0x9E3779B97F4A7C15L) ^ l;
        mix ^= mix >>> 29;
        mix *= 0xBF58476D1CE4E5B9L;
        mix ^= mix >>> 32;
        int set = (int) mix & setMask;
        int base = set * WAYS;
        synchronized (locks[set & (STRIPES - 1)]) {
            int victim = -1;
            for (int i = base; i < base + WAYS; i++) {
                boolean free = windowStart[i] == Long.MIN_VALUE || now - windowStart[i] >= windowNanos;
                if (!free && high[i] == h && low[i] == l) {
                    if (bytes[i] + spanBytes > maxBytes) {
                        touched[i] = now;
                        return false;
                    }
                    bytes[i] += spanBytes;
                    touched[i] = now;
                    return true;
                }
                if (free) {
                    if (victim < 0 || windowStart[victim] != Long.MIN_VALUE
                            && now - windowStart[victim] < windowNanos) {
                        victim = i;
                    }
                } else if (victim < 0 || windowStart[victim] != Long.MIN_VALUE
                        && now - windowStart[victim] < windowNanos && touched[i] < touched[victim]) {
                    victim = i; // no free slot yet: the least recently touched trace
                }
            }
            if (spanBytes > maxBytes) {
                return false;
            }
            if (windowStart[victim] != Long.MIN_VALUE && now - windowStart[victim] < windowNanos) {
                evictions.increment();
            }
            high[victim] = h;
            low[victim] = l;
            bytes[victim] = spanBytes;
            windowStart[victim] = now;
            touched[victim] = now;
            return true;
        }
    }
}
