package io.spoor.query;

import io.spoor.model.Span;
import io.spoor.model.Trace;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trace as the query APIs show it: the stored spans after query-time adjustment (clock skew), with the warnings
 * each adjustment left on its span (Jaeger's span {@code warnings}).
 */
public record AssembledTrace(Trace trace, Map<Long, List<String>> warnings) {
    public AssembledTrace {
        Objects.requireNonNull(trace, "trace");
        warnings = Map.copyOf(warnings);
    }

    public static AssembledTrace unadjusted(Trace trace) {
        return new AssembledTrace(trace, Map.of());
    }

    /** The warnings of one span, empty when it has none. */
    public List<String> warnings(Span span) {
        return warnings.getOrDefault(span.spanId(), List.of());
    }
}
