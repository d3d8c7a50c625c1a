package io.spoor.pipeline.sampling.tail.policy;

import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.sampling.tail.Policies;
import io.spoor.pipeline.sampling.tail.Policy;
import java.util.function.Supplier;

/** {@code numeric_attribute}: {@code key}, {@code min_value}, {@code max_value}, {@code invert_match}. */
public record NumericAttributeFactory() implements PolicyFactory {
    @Override
    public String type() {
        return "numeric_attribute";
    }

    @Override
    public Supplier<Policy> parse(Section policy, TailPolicies nested) {
        Section s = policy.section(type(), "key", "min_value", "max_value", "invert_match");
        String key = s.required("key");
        double min = s.number("min_value", -Double.MAX_VALUE, Double.MAX_VALUE).orElse(-Double.MAX_VALUE);
        double max = s.number("max_value", -Double.MAX_VALUE, Double.MAX_VALUE).orElse(Double.MAX_VALUE);
        if (max < min) {
            throw s.invalid("max_value", "must be at least min_value");
        }
        boolean invert = s.bool("invert_match").orElse(false);
        return () -> new Policies.NumericAttribute(key, min, max, invert);
    }
}
