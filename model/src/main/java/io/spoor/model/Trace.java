package io.spoor.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** All stored spans of one trace, ordered by start time (then span id) so output is deterministic. */
public record Trace(TraceId traceId, List<Span> spans) {
    private static final Comparator<Span> ORDER =
            Comparator.comparingLong(Span::startEpochNanos).thenComparingLong(Span::spanId);

    public Trace {
        Objects.requireNonNull(traceId, "traceId");
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(ORDER);
        spans = List.copyOf(sorted);
    }

    /**
     * Builds a trace from spans that may contain duplicates (clients retry exports): one span per span id,
     * the last one given wins.
     */
    public static Trace ofDeduplicated(TraceId traceId, List<Span> spans) {
        Map<Long, Span> byId = new LinkedHashMap<>();
        for (Span s : spans) {
            byId.put(s.spanId(), s);
        }
        return new Trace(traceId, new ArrayList<>(byId.values()));
    }

    /**
     * The root: the earliest span without a parent, or, when the root has not arrived (yet), the earliest
     * span whose parent is not in the trace.
     */
    public Optional<Span> root() {
        Span orphan = null;
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (Span s : spans) {
            ids.add(s.spanId());
        }
        for (Span s : spans) {
            if (s.isRoot()) {
                return Optional.of(s);
            }
            if (orphan == null && !ids.contains(s.parentSpanId())) {
                orphan = s;
            }
        }
        return Optional.ofNullable(orphan != null ? orphan : spans.isEmpty() ? null : spans.get(0));
    }

    public long startEpochNanos() {
        return spans.stream().mapToLong(Span::startEpochNanos).min().orElse(0);
    }

    public long endEpochNanos() {
        return spans.stream().mapToLong(Span::endEpochNanos).max().orElse(0);
    }

    public long durationNanos() {
        return Math.max(0, endEpochNanos() - startEpochNanos());
    }

    public int errorCount() {
        return (int) spans.stream().filter(Span::isError).count();
    }

    /** Span count per service, in order of first appearance. */
    public Map<String, Integer> spansPerService() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Span s : spans) {
            counts.merge(s.serviceName(), 1, Integer::sum);
        }
        return counts;
    }
}
