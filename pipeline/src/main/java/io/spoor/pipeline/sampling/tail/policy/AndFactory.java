package io.spoor.pipeline.sampling.tail.policy;

import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.sampling.tail.Policies;
import io.spoor.pipeline.sampling.tail.Policy;
import io.spoor.pipeline.sampling.tail.PolicySpec;
import java.util.List;
import java.util.function.Supplier;

/** {@code and}: {@code and_sub_policy}, a non-empty list of policies that must all sample. */
public record AndFactory() implements PolicyFactory {
    @Override
    public String type() {
        return "and";
    }

    @Override
    public Supplier<Policy> parse(Section policy, TailPolicies nested) {
        Section s = policy.section(type(), "and_sub_policy");
        List<PolicySpec> subs = nested.read(s, "and_sub_policy");
        if (subs.isEmpty()) {
            throw new ConfigException("'" + s.child("and_sub_policy") + "' must list sub-policies");
        }
        return () -> new Policies.And(subs.stream().map(PolicySpec::instantiate).toList());
    }
}
