package io.spoor.pipeline.sampling.tail;

import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.Span;
import io.spoor.model.TraceId;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The spans of one trace as the policies see them when its decision is due (decoded from the buffer). */
public final class TraceView {
    private final TraceId traceId;
    private final List<Span> spans;

    public TraceView(TraceId traceId, List<Span> spans) {
        this.traceId = traceId;
        this.spans = spans;
    }

    public TraceId traceId() {
        return traceId;
    }

    public List<Span> spans() {
        return spans;
    }

    public int spanCount() {
        return spans.size();
    }

    /** The Collector's trace duration: latest end minus earliest start over the spans that arrived. */
    public long durationNanos() {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (Span s : spans) {
            start = Math.min(start, s.startEpochNanos());
            end = Math.max(end, s.endEpochNanos());
        }
        return spans.isEmpty() ? 0 : Math.max(0, end - start);
    }

    public Optional<Span> root() {
        for (Span s : spans) {
            if (s.isRoot()) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** True when a value of {@code key} on any span or on any span's resource satisfies {@code test}. */
    public boolean anyAttribute(String key, Predicate<AttributeValue> test) {
        for (Span s : spans) {
            if (matches(s.attributes(), key, test) || matches(s.resource().attributes(), key, test)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Attributes attributes, String key, Predicate<AttributeValue> test) {
        Optional<AttributeValue> v = attributes.get(key);
        return v.isPresent() && test.test(v.get());
    }
}
