package io.spoor.pipeline.sampling.tail.policy;

import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.sampling.tail.Policies;
import io.spoor.pipeline.sampling.tail.Policy;
import java.util.function.Supplier;

/** {@code boolean_attribute}: {@code key}, {@code value} (required), {@code invert_match}. */
public record BooleanAttributeFactory() implements PolicyFactory {
    @Override
    public String type() {
        return "boolean_attribute";
    }

    @Override
    public Supplier<Policy> parse(Section policy, TailPolicies nested) {
        Section s = policy.section(type(), "key", "value", "invert_match");
        String key = s.required("key");
        boolean value = s.bool("value").orElseThrow(() -> new ConfigException("'" + s.child("value")
                + "' must be set to true or false"));
        boolean invert = s.bool("invert_match").orElse(false);
        return () -> new Policies.BooleanAttribute(key, value, invert);
    }
}
