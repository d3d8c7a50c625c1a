package io.spoor.pipeline.sampling.tail.policy;

import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.sampling.TraceIdRatio;
import io.spoor.pipeline.sampling.tail.Policies;
import io.spoor.pipeline.sampling.tail.Policy;
import java.util.function.Supplier;

/** {@code probabilistic}: {@code sampling_percentage} (required); {@code hash_salt} is refused. */
public record ProbabilisticFactory() implements PolicyFactory {
    @Override
    public String type() {
        return "probabilistic";
    }

    @Override
    public Supplier<Policy> parse(Section policy, TailPolicies nested) {
        Section s = policy.section(type(), "sampling_percentage", "hash_salt");
        if (s.has("hash_salt")) {
            throw s.invalid("hash_salt", "is not supported: Spoor chooses by trace id as the SDKs' "
                    + "TraceIdRatioBased sampler does; remove it");
        }
        double pct = s.number("sampling_percentage", 0, 100).orElseThrow(() -> new ConfigException(
                "'" + s.child("sampling_percentage") + "' must be set (0-100)"));
        return () -> new Policies.Probabilistic(TraceIdRatio.ofPercentage(pct));
    }
}
