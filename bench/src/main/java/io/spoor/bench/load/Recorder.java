package io.spoor.bench.load;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Outcome counts and latencies of the requests that complete inside the measurement window.
 * Completions outside [windowStart, windowEnd) (warmup, drain) are ignored entirely.
 */
final class Recorder {

    enum Outcome { OK, REFUSED, ERROR }

    private final long windowStart;
    private final long windowEnd;
    private long ok;
    private long refused;
    private long errors;
    private long okSpans;
    private long refusedSpans;
    private long rejectedSpans;
    private long sentBytes;
    private long[] latencies = new long[4096];
    private int n;
    private final Map<String, Long> errorKinds = new TreeMap<>();

    Recorder(long windowStartNanos, long windowEndNanos) {
        this.windowStart = windowStartNanos;
        this.windowEnd = windowEndNanos;
    }

    /** An accepted request; {@code rejectedSpans} from an OTLP partial-success answer. */
    void record(long startNanos, long endNanos, Outcome outcome, int spans, int bytes, long rejectedSpans) {
        record(startNanos, endNanos, outcome, spans, bytes, null, rejectedSpans);
    }

    void record(long startNanos, long endNanos, Outcome outcome, int spans, int bytes, String detail) {
        record(startNanos, endNanos, outcome, spans, bytes, detail, 0);
    }

    private synchronized void record(long startNanos, long endNanos, Outcome outcome, int spans, int bytes,
                                     String detail, long rejected) {
        if (endNanos < windowStart || endNanos >= windowEnd) {
            return;
        }
        switch (outcome) {
            case OK -> { ok++; okSpans += spans - rejected; rejectedSpans += rejected; sentBytes += bytes; }
            case REFUSED -> { refused++; refusedSpans += spans; }
            case ERROR -> errors++;
        }
        if (outcome != Outcome.OK) {
            errorKinds.merge(detail, 1L, Long::sum);
        }
        if (outcome == Outcome.OK) {
            if (n == latencies.length) {
                latencies = Arrays.copyOf(latencies, n * 2);
            }
            latencies[n++] = endNanos - startNanos;
        }
    }

    synchronized Snapshot snapshot() {
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        return new Snapshot(ok, refused, errors, okSpans, refusedSpans, rejectedSpans, sentBytes,
                percentile(sorted, 0.50), percentile(sorted, 0.99), n == 0 ? -1 : sorted[n - 1],
                new TreeMap<>(errorKinds));
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int idx = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    /** Latencies are of accepted (OK) requests only, in nanoseconds; -1 when there were none. */
    record Snapshot(long ok, long refused, long errors, long okSpans, long refusedSpans, long rejectedSpans, long okBytes,
                    long p50Nanos, long p99Nanos, long maxNanos, Map<String, Long> notOkKinds) {
    }
}
