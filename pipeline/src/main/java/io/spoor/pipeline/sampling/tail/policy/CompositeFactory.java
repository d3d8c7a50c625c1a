package io.spoor.pipeline.sampling.tail.policy;

import io.spoor.pipeline.config.ConfigException;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;
import io.spoor.pipeline.sampling.tail.Composite;
import io.spoor.pipeline.sampling.tail.Policy;
import io.spoor.pipeline.sampling.tail.PolicySpec;
import io.spoor.pipeline.sampling.tail.RateLimiting;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code composite}: {@code max_total_spans_per_second} (required), {@code composite_sub_policy},
 * {@code policy_order} (default: the sub-policies' order), {@code rate_allocation: [{policy, percent}]} (at most
 * 100 % in all).
 */
public record CompositeFactory() implements PolicyFactory {
    @Override
    public String type() {
        return "composite";
    }

    @Override
    public Supplier<Policy> parse(Section policy, TailPolicies nested) {
        Section s = policy.section(type(), "max_total_spans_per_second", "policy_order", "composite_sub_policy",
                "rate_allocation");
        long total = s.whole("max_total_spans_per_second", 1, Long.MAX_VALUE).orElseThrow(() ->
                new ConfigException("'" + s.child("max_total_spans_per_second") + "' must be set"));
        List<PolicySpec> subs = nested.read(s, "composite_sub_policy");
        Map<String, PolicySpec> byName = new HashMap<>();
        subs.forEach(x -> byName.put(x.name(), x));
        List<String> order = s.strings("policy_order");
        if (order.isEmpty()) {
            order = subs.stream().map(PolicySpec::name).toList();
        }
        for (String n : order) {
            if (!byName.containsKey(n)) {
                throw s.invalid("policy_order", "names '" + n + "', which is not in composite_sub_policy");
            }
        }
        Map<String, Double> percent = new HashMap<>();
        for (ConfigNode a : s.list("rate_allocation")) {
            Section r = Section.of(a, a.path(), "policy", "percent");
            String n = r.required("policy");
            if (!byName.containsKey(n)) {
                throw r.invalid("policy", "is not in composite_sub_policy");
            }
            percent.put(n, r.number("percent", 0, 100).orElse(0.0));
        }
        if (percent.values().stream().mapToDouble(Double::doubleValue).sum() > 100.0001) {
            throw new ConfigException("'" + s.child("rate_allocation") + "' allocates more than 100 percent");
        }
        List<String> finalOrder = List.copyOf(order);
        return () -> new Composite(total, finalOrder.stream().map(n -> new Composite.Member(
                byName.get(n).instantiate(),
                percent.containsKey(n) ? new RateLimiting(Math.max(1, (long) (total * percent.get(n) / 100)))
                        : null)).toList());
    }
}
