package io.spoor.pipeline.sampling.tail.policy;

import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.sampling.tail.Policies;
import io.spoor.pipeline.sampling.tail.Policy;
import java.util.function.Supplier;

/** {@code span_count}: {@code min_spans}, {@code max_spans} (0 = none). */
public record SpanCountFactory() implements PolicyFactory {
    @Override
    public String type() {
        return "span_count";
    }

    @Override
    public Supplier<Policy> parse(Section policy, TailPolicies nested) {
        Section s = policy.section(type(), "min_spans", "max_spans");
        int min = s.whole("min_spans", 0, Integer.MAX_VALUE).orElse(0L).intValue();
        int max = s.whole("max_spans", 0, Integer.MAX_VALUE).orElse(0L).intValue();
        if (max > 0 && max < min) {
            throw s.invalid("max_spans", "must be 0 or at least min_spans");
        }
        return () -> new Policies.SpanCount(min, max);
    }
}
