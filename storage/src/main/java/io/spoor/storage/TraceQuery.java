package io.spoor.storage;

import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.StatusCode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Search criteria. A trace matches when one of its spans satisfies every criterion at once (the semantics of
 * Jaeger's search): that span belongs to {@code service}, is named {@code operation}, carries every tag
 * (as a span attribute or a resource attribute, compared by string form), has every key of {@code keys} (as a span
 * or resource attribute, or as the name of one of its events), has the {@code status} code, has a duration within
 * the bounds and starts inside the window.
 *
 * <p>{@code keys} and {@code status} serve the Zipkin and Jaeger APIs ({@code annotationQuery=error},
 * {@code tags={"error":"true"}}); engines need not index them: {@link #matches} checks them on the candidates.
 */
public record TraceQuery(
        Optional<String> service,
        Optional<String> operation,
        List<Tag> tags,
        List<String> keys,
        Optional<StatusCode> status,
        long minDurationNanos,
        long maxDurationNanos,
        TimeWindow window,
        int limit) {

    public static final int MAX_LIMIT = 10_000;

    public TraceQuery {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        tags = List.copyOf(tags);
        keys = List.copyOf(keys);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(window, "window");
        if (minDurationNanos < 0 || maxDurationNanos < minDurationNanos) {
            throw new IllegalArgumentException("duration bounds must satisfy 0 <= min <= max");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    /** Without key or status criteria. */
    public TraceQuery(Optional<String> service, Optional<String> operation, List<Tag> tags, long minDurationNanos,
                      long maxDurationNanos, TimeWindow window, int limit) {
        this(service, operation, tags, List.of(), Optional.empty(), minDurationNanos, maxDurationNanos, window, limit);
    }

    public static TraceQuery all(int limit) {
        return new TraceQuery(Optional.empty(), Optional.empty(), List.of(), 0, Long.MAX_VALUE, TimeWindow.ALL, limit);
    }

    /** This query with another window and limit (criteria unchanged). */
    public TraceQuery withWindowAndLimit(TimeWindow w, int l) {
        return new TraceQuery(service, operation, tags, keys, status, minDurationNanos, maxDurationNanos, w, l);
    }

    /** True when this one span satisfies every criterion; engines use it to check index candidates exactly. */
    public boolean matches(Span span) {
        if (service.isPresent() && !service.get().equals(span.serviceName())) {
            return false;
        }
        if (operation.isPresent() && !operation.get().equals(span.name())) {
            return false;
        }
        long d = span.durationNanos();
        if (d < minDurationNanos || d > maxDurationNanos || !window.contains(span.startEpochNanos())) {
            return false;
        }
        if (status.isPresent() && span.status().code() != status.get()) {
            return false;
        }
        for (Tag t : tags) {
            if (!t.matches(span)) {
                return false;
            }
        }
        for (String k : keys) {
            if (!hasKey(span, k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasKey(Span span, String key) {
        if (span.attributes().get(key).isPresent() || span.resource().attributes().get(key).isPresent()) {
            return true;
        }
        for (SpanEvent e : span.events()) {
            if (e.name().equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** {@code key=value}; matches a span attribute or a resource attribute whose string form equals value. */
    public record Tag(String key, String value) {
        public Tag {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        public boolean matches(Span span) {
            return span.attributes().getString(key).map(value::equals).orElse(false)
                    || span.resource().attributes().getString(key).map(value::equals).orElse(false);
        }
    }
}
