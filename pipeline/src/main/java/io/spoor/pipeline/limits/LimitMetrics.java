package io.spoor.pipeline.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The limits' meters, all registered up front so that /metrics shows them at zero:
 * <ul>
 *   <li>{@code spoor_limits_refused_spans_total{reason}}: spans refused (answered in partial success), by
 *       {@link Refusal};</li>
 *   <li>{@code spoor_limits_truncated_values_total{field}}: strings cut to a length limit ({@code attribute_value},
 *       {@code attribute_key}, {@code span_name}, {@code service_name}, {@code event_name}, {@code other});</li>
 *   <li>{@code spoor_limits_dropped_attributes_total{of}}: attributes dropped by a count limit ({@code span},
 *       {@code resource}, {@code scope}, {@code event}, {@code link});</li>
 *   <li>{@code spoor_limits_dropped_events_total}, {@code spoor_limits_dropped_links_total};</li>
 *   <li>{@code spoor_limits_trace_budget_evictions_total}: traces the byte budget forgot before their window ended
 *       because its table was full (each makes {@code max_bytes_per_trace} lenient for that trace).</li>
 * </ul>
 */
final class LimitMetrics {
    private final Counter[] refused = new Counter[Refusal.values().length];
    private final Counter[] truncated = new Counter[LimitTally.Field.values().length];
    private final Counter[] droppedAttributes = new Counter[LimitTally.Owner.values().length];
    private final Counter droppedEvents;
    private final Counter droppedLinks;

    LimitMetrics(MeterRegistry registry, TraceByteBudget budget) {
        for (Refusal r : Refusal.values()) {
            refused[r.ordinal()] = Counter.builder("spoor.limits.refused.spans").tag("reason", r.tag())
                    .description("Spans refused by spoor.limits (answered in partial success)").register(registry);
        }
        for (LimitTally.Field f : LimitTally.Field.values()) {
            truncated[f.ordinal()] = Counter.builder("spoor.limits.truncated.values").tag("field", f.tag())
                    .description("Strings cut to a spoor.limits length limit").register(registry);
        }
        for (LimitTally.Owner o : LimitTally.Owner.values()) {
            droppedAttributes[o.ordinal()] = Counter.builder("spoor.limits.dropped.attributes").tag("of", o.tag())
                    .description("Attributes dropped by a spoor.limits count limit").register(registry);
        }
        droppedEvents = Counter.builder("spoor.limits.dropped.events")
                .description("Span events dropped by spoor.limits.event_count_limit").register(registry);
        droppedLinks = Counter.builder("spoor.limits.dropped.links")
                .description("Span links dropped by spoor.limits.link_count_limit").register(registry);
        FunctionCounter.builder("spoor.limits.trace.budget.evictions", budget, TraceByteBudget::evictions)
                .description("Traces forgotten by the max_bytes_per_trace table before their window ended")
                .register(registry);
    }

    void record(LimitTally t) {
        t.refused.forEach((reason, n) -> refused[reason.ordinal()].increment(n));
        for (int i = 0; i < truncated.length; i++) {
            if (t.truncated[i] > 0) {
                truncated[i].increment(t.truncated[i]);
            }
        }
        for (int i = 0; i < droppedAttributes.length; i++) {
            if (t.droppedAttributes[i] > 0) {
                droppedAttributes[i].increment(t.droppedAttributes[i]);
            }
        }
        if (t.droppedEvents > 0) {
            droppedEvents.increment(t.droppedEvents);
        }
        if (t.droppedLinks > 0) {
            droppedLinks.increment(t.droppedLinks);
        }
    }
}
