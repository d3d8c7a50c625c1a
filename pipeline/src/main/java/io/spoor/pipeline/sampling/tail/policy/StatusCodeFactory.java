package io.spoor.pipeline.sampling.tail.policy;

import io.spoor.model.StatusCode;
import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.sampling.tail.Policies;
import io.spoor.pipeline.sampling.tail.Policy;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/** {@code status_code}: {@code status_codes}, a non-empty list of OK, ERROR, UNSET. */
public record StatusCodeFactory() implements PolicyFactory {
    @Override
    public String type() {
        return "status_code";
    }

    @Override
    public Supplier<Policy> parse(Section policy, TailPolicies nested) {
        Section s = policy.section(type(), "status_codes");
        EnumSet<StatusCode> codes = EnumSet.noneOf(StatusCode.class);
        for (String c : s.strings("status_codes")) {
            try {
                codes.add(StatusCode.valueOf(c.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw s.invalid("status_codes", "must list OK, ERROR or UNSET");
            }
        }
        if (codes.isEmpty()) {
            throw new ConfigException("'" + s.child("status_codes") + "' must list at least one of OK, ERROR, UNSET");
        }
        Set<StatusCode> frozen = Set.copyOf(codes);
        return () -> new Policies.StatusCodes(frozen);
    }
}
