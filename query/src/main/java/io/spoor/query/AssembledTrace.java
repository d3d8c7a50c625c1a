package io.spoor.query;

import io.spoor.model.Span;
import io.spoor.model.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A trace as the query APIs show it: the stored spans after query-time adjustment (clock skew), with the warnings
 * each adjustment left on its span (Jaeger's span {@code warnings}).
 *
 * @param storedSpans how many spans the stored trace has: more than {@code trace.spans()} when the answer was
 *                    truncated to {@link QueryLimits#maxTraceSpans()}
 */
public record AssembledTrace(Trace trace, Map<Long, List<String>> warnings, int storedSpans) {
    public AssembledTrace {
        Objects.requireNonNull(trace, "trace");
        warnings = Map.copyOf(warnings);
        if (storedSpans < trace.spans().size()) {
            throw new IllegalArgumentException("storedSpans below the spans shown");
        }
    }

    public AssembledTrace(Trace trace, Map<Long, List<String>> warnings) {
        this(trace, warnings, trace.spans().size());
    }

    public static AssembledTrace unadjusted(Trace trace) {
        return new AssembledTrace(trace, Map.of());
    }

    /** The warnings of one span, empty when it has none. */
    public List<String> warnings(Span span) {
        return warnings.getOrDefault(span.spanId(), List.of());
    }

    /** Whether spans were left out of this answer ({@link QueryLimits#maxTraceSpans()}). */
    public boolean truncated() {
        return storedSpans > trace.spans().size();
    }

    /** The sentence that says so. */
    public String truncationWarning() {
        return "trace truncated: showing the first " + trace.spans().size() + " of " + storedSpans
                + " spans (spoor.query.max_trace_spans)";
    }

    /**
     * Each span's warnings, and on the root of a truncated trace also {@link #truncationWarning()}: for the APIs
     * whose formats have no trace-level field for it (Jaeger, Zipkin). The root is found once, not once per span.
     */
    public Function<Span, List<String>> warningsWithTruncation() {
        if (!truncated() || trace.spans().isEmpty()) {
            return this::warnings;
        }
        long root = trace.root().orElse(trace.spans().getFirst()).spanId();
        String truncation = truncationWarning();
        return span -> {
            List<String> own = warnings(span);
            if (span.spanId() != root) {
                return own;
            }
            List<String> out = new ArrayList<>(own);
            out.add(truncation);
            return out;
        };
    }
}
