package io.spoor.pipeline.sampling.tail.policy;

import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.sampling.tail.Policy;
import io.spoor.pipeline.sampling.tail.RateLimiting;
import java.util.function.Supplier;

/** {@code rate_limiting}: {@code spans_per_second} (required). */
public record RateLimitingFactory() implements PolicyFactory {
    @Override
    public String type() {
        return "rate_limiting";
    }

    @Override
    public Supplier<Policy> parse(Section policy, TailPolicies nested) {
        Section s = policy.section(type(), "spans_per_second");
        long sps = s.whole("spans_per_second", 1, Long.MAX_VALUE).orElseThrow(() -> new ConfigException(
                "'" + s.child("spans_per_second") + "' must be set"));
        return () -> new RateLimiting(sps);
    }
}
