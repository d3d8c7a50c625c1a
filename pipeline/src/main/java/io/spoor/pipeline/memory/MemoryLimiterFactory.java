package io.spoor.pipeline.memory;

import io.spoor.pipeline.config.ComponentFactory;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * {@code processors.memory_limiter}. Not a stage: it is Spoor's admission control, which always runs (with its
 * defaults when the pipeline does not name it) and refuses exports before they are decoded, so the pipeline
 * builder puts it in front of everything rather than where it is listed.
 */
public record MemoryLimiterFactory() implements ComponentFactory<MemoryLimiterConfig> {
    public static final String TYPE = "memory_limiter";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public MemoryLimiterConfig defaultConfig() {
        return MemoryLimiterConfig.DEFAULTS;
    }

    @Override
    public MemoryLimiterConfig parse(ConfigNode node) {
        Section s = Section.of(node, node.path(), "check_interval", "limit_mib", "spike_limit_mib",
                "limit_percentage", "spike_limit_percentage");
        s.duration("check_interval", false); // accepted for Collector files; the limiter reads the heap after each GC
        OptionalLong limit = optional(s.whole("limit_mib", 1, Integer.MAX_VALUE));
        OptionalLong spike = optional(s.whole("spike_limit_mib", 0, Integer.MAX_VALUE));
        OptionalInt limitPct = optionalInt(s.whole("limit_percentage", 1, 100));
        OptionalInt spikePct = optionalInt(s.whole("spike_limit_percentage", 0, 99));
        if (limit.isPresent() && spike.isPresent() && spike.getAsLong() >= limit.getAsLong()) {
            throw s.invalid("spike_limit_mib", "must be below limit_mib");
        }
        if (limitPct.isPresent() && spikePct.isPresent() && spikePct.getAsInt() >= limitPct.getAsInt()) {
            throw s.invalid("spike_limit_percentage", "must be below limit_percentage");
        }
        return new MemoryLimiterConfig(limit, spike, limitPct, spikePct);
    }

    private static OptionalLong optional(Optional<Long> v) {
        return v.map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    private static OptionalInt optionalInt(Optional<Long> v) {
        return v.map(x -> OptionalInt.of(x.intValue())).orElse(OptionalInt.empty());
    }
}
