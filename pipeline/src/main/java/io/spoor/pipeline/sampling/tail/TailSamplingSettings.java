package io.spoor.pipeline.sampling.tail;

import java.time.Duration;

/**
 * The tail sampler's bounds: {@code decision_wait} after a trace's first span its decision is due; at most
 * {@code num_traces} traces are buffered; a trace whose buffered spans exceed {@code maximum_trace_size_bytes}
 * (encoded size, 0 = no limit) is decided at once; the decision caches remember that many decided trace ids so
 * that late spans follow their trace's decision.
 */
public record TailSamplingSettings(Duration decisionWait, int numTraces, int expectedNewTracesPerSec,
                                   int sampledCacheSize, int nonSampledCacheSize, long maximumTraceSizeBytes,
                                   boolean sampleOnFirstMatch) {
    public static final TailSamplingSettings DEFAULTS = new TailSamplingSettings(Duration.ofSeconds(30), 50_000, 0,
            100_000, 100_000, 8L * 1024 * 1024, false);

    public TailSamplingSettings {
        if (decisionWait.isNegative() || decisionWait.isZero()) {
            throw new IllegalArgumentException("tail_sampling: decision_wait must be longer than zero");
        }
        if (numTraces < 1) {
            throw new IllegalArgumentException("tail_sampling: num_traces must be at least 1");
        }
    }
}
