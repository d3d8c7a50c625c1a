package io.spoor.pipeline.sampling.tail.policy;

import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.sampling.tail.Policies;
import io.spoor.pipeline.sampling.tail.Policy;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code string_attribute}: {@code key}, {@code values}, {@code enabled_regex_matching}, {@code invert_match};
 * {@code cache_max_size} is accepted for Collector files.
 */
public record StringAttributeFactory() implements PolicyFactory {
    @Override
    public String type() {
        return "string_attribute";
    }

    @Override
    public Supplier<Policy> parse(Section policy, TailPolicies nested) {
        Section s = policy.section(type(), "key", "values", "enabled_regex_matching", "cache_max_size",
                "invert_match");
        String key = s.required("key");
        List<String> values = s.strings("values");
        boolean regex = s.bool("enabled_regex_matching").orElse(false);
        s.whole("cache_max_size", 0, Integer.MAX_VALUE);
        boolean invert = s.bool("invert_match").orElse(false);
        if (regex) {
            for (String v : values) {
                try {
                    Pattern.compile(v);
                } catch (PatternSyntaxException e) {
                    throw s.invalid("values", "holds an invalid regular expression '" + v + "'");
                }
            }
        }
        return () -> new Policies.StringAttribute(key, values, regex, invert);
    }
}
