package io.spoor.pipeline.sampling.tail;

import io.spoor.model.AttributeValue;
import io.spoor.model.Span;
import io.spoor.model.StatusCode;
import io.spoor.pipeline.sampling.TraceIdRatio;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The Collector's stateless tail-sampling policies, one small record each. */
public final class Policies {
    private Policies() {
    }

    /** {@code always_sample}. */
    public record AlwaysSample() implements Policy {
        @Override
        public Decision evaluate(TraceView trace, long nowNanos) {
            return Decision.SAMPLED;
        }
    }

    /** {@code status_code}: any span whose status is one of {@code codes}. */
    public record StatusCodes(Set<StatusCode> codes) implements Policy {
        @Override
        public Decision evaluate(TraceView trace, long nowNanos) {
            for (Span s : trace.spans()) {
                if (codes.contains(s.status().code())) {
                    return Decision.SAMPLED;
                }
            }
            return Decision.NOT_SAMPLED;
        }
    }

    /** {@code latency}: trace duration at least {@code threshold}, and at most {@code upper} when upper > 0. */
    public record Latency(long thresholdNanos, long upperThresholdNanos) implements Policy {
        @Override
        public Decision evaluate(TraceView trace, long nowNanos) {
            long d = trace.durationNanos();
            boolean slow = d >= thresholdNanos && (upperThresholdNanos <= 0 || d <= upperThresholdNanos);
            return slow ? Decision.SAMPLED : Decision.NOT_SAMPLED;
        }
    }

    /** {@code probabilistic}: the SDKs' TraceIdRatioBased choice, so the same ids as a head sampler at that ratio. */
    public record Probabilistic(TraceIdRatio ratio) implements Policy {
        @Override
        public Decision evaluate(TraceView trace, long nowNanos) {
            return ratio.keeps(trace.traceId()) ? Decision.SAMPLED : Decision.NOT_SAMPLED;
        }
    }

    /** {@code string_attribute}: exact values, or whole-value regular expressions when {@code regex}. */
    public static final class StringAttribute implements Policy {
        private final String key;
        private final Set<String> values;
        private final List<Pattern> patterns;
        private final boolean invert;

        public StringAttribute(String key, List<String> values, boolean regex, boolean invert) {
            this.key = key;
            this.values = regex ? Set.of() : Set.copyOf(values);
            this.patterns = regex ? values.stream().map(Pattern::compile).toList() : List.of();
            this.invert = invert;
        }

        @Override
        public Decision evaluate(TraceView trace, long nowNanos) {
            boolean matched = trace.anyAttribute(key, v -> v instanceof AttributeValue.StringValue s
                    && (values.contains(s.value()) || patterns.stream().anyMatch(p -> p.matcher(s.value()).matches())));
            return Decision.of(matched, invert);
        }
    }

    /** {@code numeric_attribute}: {@code min <= value <= max}. */
    public record NumericAttribute(String key, double min, double max, boolean invert) implements Policy {
        @Override
        public Decision evaluate(TraceView trace, long nowNanos) {
            boolean matched = trace.anyAttribute(key, v -> switch (v) {
                case AttributeValue.LongValue l -> l.value() >= min && l.value() <= max;
                case AttributeValue.DoubleValue d -> d.value() >= min && d.value() <= max;
                default -> false;
            });
            return Decision.of(matched, invert);
        }
    }

    /** {@code boolean_attribute}. */
    public record BooleanAttribute(String key, boolean value, boolean invert) implements Policy {
        @Override
        public Decision evaluate(TraceView trace, long nowNanos) {
            boolean matched = trace.anyAttribute(key, v -> v instanceof AttributeValue.BoolValue b && b.value() == value);
            return Decision.of(matched, invert);
        }
    }

    /** {@code span_count}: at least {@code min} spans, and at most {@code max} when max > 0. */
    public record SpanCount(int min, int max) implements Policy {
        @Override
        public Decision evaluate(TraceView trace, long nowNanos) {
            int n = trace.spanCount();
            return n >= min && (max <= 0 || n <= max) ? Decision.SAMPLED : Decision.NOT_SAMPLED;
        }
    }

    /** {@code and}: every sub-policy samples. */
    public record And(List<NamedPolicy> policies) implements Policy {
        @Override
        public Decision evaluate(TraceView trace, long nowNanos) {
            for (NamedPolicy p : policies) {
                if (!p.policy().evaluate(trace, nowNanos).samples()) {
                    return Decision.NOT_SAMPLED;
                }
            }
            return Decision.SAMPLED;
        }
    }
}
