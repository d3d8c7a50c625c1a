package io.spoor.query;

import io.spoor.model.SharedSpans;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.Operation;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import io.spoor.storage.TraceReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The read side used by every query API: validates what a client asked for (naming the offending parameter),
 * asks the storage engine, and assembles traces: clock-skew adjustment ({@link ClockSkewAdjuster}) unless it is
 * switched off or a request asks for raw spans.
 */
public final class QueryService {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = TraceQuery.MAX_LIMIT;
    static final int MAX_TAGS = 32;

    private final TraceReader reader;
    /** Null when clock-skew adjustment is switched off. */
    private final ClockSkewAdjuster skew;

    /** Without clock-skew adjustment. */
    public QueryService(TraceReader reader) {
        this(reader, null);
    }

    /** {@code skew} null switches clock-skew adjustment off. */
    public QueryService(TraceReader reader, ClockSkewAdjuster skew) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.skew = skew;
    }

    /** The whole trace as the APIs show it: clock skew adjusted unless {@code raw} or switched off. */
    public Optional<AssembledTrace> assembledTrace(TraceId traceId, OptionalLong startEpochNanos,
                                                   OptionalLong endEpochNanos, boolean raw) {
        return trace(traceId, startEpochNanos, endEpochNanos).map(t -> assemble(t, raw));
    }

    /**
     * Applies the query-time adjustments to a stored trace: children of a Zipkin shared server half are moved under
     * it ({@link SharedSpans}), then clock skew is adjusted unless {@code raw} or switched off.
     */
    public AssembledTrace assemble(Trace stored, boolean raw) {
        Trace trace = SharedSpans.reparent(stored);
        return raw || skew == null ? AssembledTrace.unadjusted(trace) : skew.adjust(trace);
    }

    /** A validated search whose results are whole, assembled traces (the Jaeger and Zipkin APIs return those). */
    public List<AssembledTrace> searchTraces(TraceQuery query, boolean raw) {
        List<AssembledTrace> out = new ArrayList<>();
        for (TraceSummary s : reader.findTraces(query)) {
            reader.trace(s.traceId(), TimeWindow.ALL).ifPresent(t -> out.add(assemble(t, raw)));
        }
        return out;
    }

    /** Summaries for an already built query (the limit and criteria were validated by whoever built it). */
    public List<TraceSummary> search(TraceQuery query) {
        return reader.findTraces(query);
    }

    /** The whole trace; {@code start}/{@code end} optionally narrow the lookup. */
    public Optional<Trace> trace(TraceId traceId, OptionalLong startEpochNanos, OptionalLong endEpochNanos) {
        if (!traceId.isValid()) {
            throw new InvalidQueryException("traceId", "traceId: an all-zero trace id is invalid");
        }
        return reader.trace(traceId, window(startEpochNanos, endEpochNanos));
    }

    /** Parses a hex trace id (32 hex characters, or 16 for 64-bit ids) with a message naming the problem. */
    public static TraceId parseTraceId(String hex) {
        try {
            TraceId id = TraceId.fromHex(hex);
            if (!id.isValid()) {
                throw new InvalidQueryException("traceId", "traceId: an all-zero trace id is invalid");
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("traceId", "traceId '" + abbreviate(hex) + "' is malformed: "
                    + e.getMessage());
        }
    }

    /**
     * Summaries of those of {@code traceIds} that are stored, in the order asked, each once: lets a client learn
     * which traces exist (a span link's target, say) without a failed request per missing one.
     */
    public List<TraceSummary> summaries(List<TraceId> traceIds) {
        List<TraceSummary> out = new ArrayList<>();
        for (TraceId id : new java.util.LinkedHashSet<>(traceIds)) {
            reader.trace(id, TimeWindow.ALL).ifPresent(t -> out.add(TraceSummary.of(t)));
        }
        return out;
    }

    public List<TraceSummary> search(SearchRequest request) {
        return reader.findTraces(toQuery(request));
    }

    /** Validates a search and builds the storage query; throws {@link InvalidQueryException}. */
    public static TraceQuery toQuery(SearchRequest r) {
        Optional<String> service = nonBlank("service", r.service());
        Optional<String> operation = nonBlank("operation", r.operation());
        if (r.tags().size() > MAX_TAGS) {
            throw new InvalidQueryException("tag", "tag: at most " + MAX_TAGS + " tags per search");
        }
        List<TraceQuery.Tag> tags = new ArrayList<>();
        for (String t : r.tags()) {
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new InvalidQueryException("tag", "tag '" + abbreviate(t) + "' must be key=value");
            }
            tags.add(new TraceQuery.Tag(t.substring(0, eq), t.substring(eq + 1)));
        }
        long min = r.minDurationNanos().orElse(0);
        long max = r.maxDurationNanos().orElse(Long.MAX_VALUE);
        if (min < 0) {
            throw new InvalidQueryException("minDuration", "minDuration must not be negative");
        }
        if (max < min) {
            throw new InvalidQueryException("maxDuration", "maxDuration must not be below minDuration");
        }
        int limit = r.limit().orElse(DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidQueryException("limit", "limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        return new TraceQuery(service, operation, tags, min, max, window(r.startEpochNanos(), r.endEpochNanos()),
                limit);
    }

    /** Service names, sorted. */
    public List<String> services() {
        return reader.services();
    }

    /** Operations of one service, sorted by name. */
    public List<Operation> operations(String service) {
        if (service == null || service.isBlank()) {
            throw new InvalidQueryException("service", "service must not be empty");
        }
        return reader.operations(service);
    }

    private static TimeWindow window(OptionalLong start, OptionalLong end) {
        long s = start.orElse(0);
        long e = end.orElse(Long.MAX_VALUE);
        if (s < 0) {
            throw new InvalidQueryException("start", "start must not be before 1970");
        }
        if (e < s) {
            throw new InvalidQueryException("end", "end must not be before start");
        }
        return new TimeWindow(s, e);
    }

    private static Optional<String> nonBlank(String parameter, Optional<String> value) {
        if (value.isPresent() && value.get().isBlank()) {
            throw new InvalidQueryException(parameter, parameter + " must not be empty");
        }
        return value;
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
