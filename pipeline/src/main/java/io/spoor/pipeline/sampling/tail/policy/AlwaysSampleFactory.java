package io.spoor.pipeline.sampling.tail.policy;

import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.sampling.tail.Policies;
import io.spoor.pipeline.sampling.tail.Policy;
import java.util.function.Supplier;

/** {@code always_sample}: no settings. */
public record AlwaysSampleFactory() implements PolicyFactory {
    @Override
    public String type() {
        return "always_sample";
    }

    @Override
    public Supplier<Policy> parse(Section policy, TailPolicies nested) {
        policy.section(type());
        return Policies.AlwaysSample::new;
    }
}
