package io.spoor.pipeline.sampling.tail.policy;

import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.sampling.tail.AdaptiveLatency;
import io.spoor.pipeline.sampling.tail.Policy;
import java.util.function.Supplier;

/**
 * {@code adaptive_latency} (Spoor's own): {@code percentile} (99), {@code min_samples} (100),
 * {@code max_operations} (10000), {@code half_life_samples} (10000).
 */
public record AdaptiveLatencyFactory() implements PolicyFactory {
    @Override
    public String type() {
        return "adaptive_latency";
    }

    @Override
    public Supplier<Policy> parse(Section policy, TailPolicies nested) {
        Section s = policy.section(type(), "percentile", "min_samples", "max_operations", "half_life_samples");
        double pct = s.number("percentile", 1, 99.999).orElse(99.0);
        long min = s.whole("min_samples", 1, Long.MAX_VALUE).orElse(100L);
        int ops = s.whole("max_operations", 1, 1_000_000).orElse(10_000L).intValue();
        long halfLife = s.whole("half_life_samples", 100, Long.MAX_VALUE).orElse(10_000L);
        return () -> new AdaptiveLatency(pct, min, ops, halfLife);
    }
}
