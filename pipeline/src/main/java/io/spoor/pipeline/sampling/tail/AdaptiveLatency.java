package io.spoor.pipeline.sampling.tail;

import io.spoor.model.Span;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Spoor's {@code adaptive_latency} policy: samples a trace when its root span is slower than the running
 * {@code percentile} of the same root operation (service + span name), so "slow" needs no hand-set threshold per
 * endpoint. Each operation has a {@link QuantileSketch}; the trace's root duration is compared with the sketch
 * first and then added to it. Until an operation has {@code min_samples} roots its percentile is not trusted and
 * the policy does not sample (other policies, e.g. a probabilistic share, cover new operations). At most
 * {@code max_operations} operations are tracked; roots of further operations are not judged (and counted).
 */
public final class AdaptiveLatency implements Policy {
    private final double quantile;
    private final long minSamples;
    private final int maxOperations;
    private final long halfLife;
    private final Map<String, QuantileSketch> sketches = new HashMap<>();
    private long untracked;

    public AdaptiveLatency(double percentile, long minSamples, int maxOperations, long halfLife) {
        this.quantile = percentile / 100.0;
        this.minSamples = minSamples;
        this.maxOperations = maxOperations;
        this.halfLife = halfLife;
    }

    @Override
    public Decision evaluate(TraceView trace, long nowNanos) {
        Optional<Span> root = trace.root();
        if (root.isEmpty()) {
            return Decision.NOT_SAMPLED;
        }
        Span r = root.get();
        String operation = r.serviceName() + "\u0000" + r.name();
        QuantileSketch sketch = sketches.get(operation);
        if (sketch == null) {
            if (sketches.size() >= maxOperations) {
                untracked++;
                return Decision.NOT_SAMPLED;
            }
            sketch = new QuantileSketch(halfLife);
            sketches.put(operation, sketch);
        }
        long duration = r.durationNanos();
        boolean slow = sketch.observations() >= minSamples && duration > sketch.quantileUpperBound(quantile);
        sketch.add(duration);
        return slow ? Decision.SAMPLED : Decision.NOT_SAMPLED;
    }

    public int operations() {
        return sketches.size();
    }

    public long untrackedRoots() {
        return untracked;
    }
}
