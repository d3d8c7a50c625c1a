package io.spoor.pipeline.sampling.tail;

import java.util.List;

/**
 * {@code composite}: sub-policies tried in {@code policy_order}; a trace is sampled by the first one that samples
 * it and still has room in its share of {@code max_total_spans_per_second} ({@code rate_allocation} percent;
 * a sub-policy without an allocation may use whatever of the total is left this second).
 */
public final class Composite implements Policy {
    private final List<Member> members;
    private final RateLimiting total;

    public Composite(long maxTotalSpansPerSecond, List<Member> members) {
        this.members = List.copyOf(members);
        this.total = new RateLimiting(maxTotalSpansPerSecond);
    }

    /** A sub-policy with its own per-second budget ({@code null} = only the total applies). */
    public record Member(NamedPolicy policy, RateLimiting budget) {
    }

    @Override
    public Decision evaluate(TraceView trace, long nowNanos) {
        for (Member m : members) {
            if (!m.policy().policy().evaluate(trace, nowNanos).samples()) {
                continue;
            }
            if (m.budget() != null && !m.budget().tryTake(trace.spanCount(), nowNanos)) {
                continue;
            }
            if (total.tryTake(trace.spanCount(), nowNanos)) {
                return Decision.SAMPLED;
            }
        }
        return Decision.NOT_SAMPLED;
    }
}
