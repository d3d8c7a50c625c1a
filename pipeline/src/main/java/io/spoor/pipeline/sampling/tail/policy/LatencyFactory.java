package io.spoor.pipeline.sampling.tail.policy;

import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.sampling.tail.Policies;
import io.spoor.pipeline.sampling.tail.Policy;
import java.util.function.Supplier;

/** {@code latency}: {@code threshold_ms}, {@code upper_threshold_ms} (0 = none). */
public record LatencyFactory() implements PolicyFactory {
    @Override
    public String type() {
        return "latency";
    }

    @Override
    public Supplier<Policy> parse(Section policy, TailPolicies nested) {
        Section s = policy.section(type(), "threshold_ms", "upper_threshold_ms");
        long low = s.whole("threshold_ms", 0, Long.MAX_VALUE / 1_000_000).orElse(0L);
        long high = s.whole("upper_threshold_ms", 0, Long.MAX_VALUE / 1_000_000).orElse(0L);
        if (high > 0 && high < low) {
            throw s.invalid("upper_threshold_ms", "must be 0 or at least threshold_ms");
        }
        return () -> new Policies.Latency(low * 1_000_000, high * 1_000_000);
    }
}
