package io.spoor.query;

import io.spoor.model.SharedSpans;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.Operation;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import io.spoor.storage.TraceReader;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The read side used by every query API. The APIs parse their parameters into a {@link SearchRequest}; this
 * validates it (naming the offending parameter), builds the one storage {@link TraceQuery}, asks the storage engine
 * and assembles traces: clock-skew adjustment ({@link ClockSkewAdjuster}) unless it is switched off or a request
 * asks for raw spans. It also keeps each request within {@link QueryLimits}: the largest trace it returns, the
 * largest whole-trace search, and how far back a window reaches.
 */
public final class QueryService {
    public static final int DEFAULT_LIMIT = 20;
    /** The largest summary search ({@code /api/v1/traces}); searches that return whole traces stop lower. */
    public static final int MAX_LIMIT = TraceQuery.MAX_LIMIT;
    /** Criteria per search (tags and keys each): more is a scan in disguise. */
    public static final int MAX_TAGS = 32;

    private final TraceReader reader;
    /** Null when clock-skew adjustment is switched off. */
    private final ClockSkewAdjuster skew;
    private final QueryLimits limits;
    private final Clock clock;

    /** Without clock-skew adjustment, with the default limits. */
    public QueryService(TraceReader reader) {
        this(reader, null);
    }

    /** {@code skew} null switches clock-skew adjustment off; the default limits. */
    public QueryService(TraceReader reader, ClockSkewAdjuster skew) {
        this(reader, skew, QueryLimits.DEFAULTS, Clock.systemUTC());
    }

    public QueryService(TraceReader reader, ClockSkewAdjuster skew, QueryLimits limits, Clock clock) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.skew = skew;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public QueryLimits limits() {
        return limits;
    }

    /**
     * The whole trace as the APIs show it: clock skew adjusted unless {@code raw} or switched off, truncated to
     * {@link QueryLimits#maxTraceSpans()} (then {@link AssembledTrace#truncated()} says so).
     */
    public Optional<AssembledTrace> assembledTrace(TraceId traceId, OptionalLong startEpochNanos,
                                                   OptionalLong endEpochNanos, boolean raw) {
        return trace(traceId, startEpochNanos, endEpochNanos).map(t -> assemble(t, raw));
    }

    /**
     * Applies the query-time adjustments to a stored trace: spans past {@link QueryLimits#maxTraceSpans()} are
     * left out (the earliest are kept: the root and the start of the story), children of a Zipkin shared server half
     * are moved under it ({@link SharedSpans}), then clock skew is adjusted unless {@code raw} or switched off.
     */
    public AssembledTrace assemble(Trace stored, boolean raw) {
        int total = stored.spans().size();
        Trace kept = total <= limits.maxTraceSpans() ? stored
                : new Trace(stored.traceId(), stored.spans().subList(0, limits.maxTraceSpans()));
        Trace trace = SharedSpans.reparent(kept);
        AssembledTrace a = raw || skew == null ? AssembledTrace.unadjusted(trace) : skew.adjust(trace);
        return total == a.trace().spans().size() ? a : new AssembledTrace(a.trace(), a.warnings(), total);
    }

    /** Summaries of the newest traces that match, newest first (limit up to {@link #MAX_LIMIT}). */
    public List<TraceSummary> search(SearchRequest request) {
        return reader.findTraces(query(request, MAX_LIMIT));
    }

    /**
     * Whole, assembled traces of a search, read while the answer is written (limit up to
     * {@link QueryLimits#maxSearchTraces()}; the answer stops before {@link QueryLimits#maxTraceSpans()} spans).
     */
    public TraceResults searchTraces(SearchRequest request, boolean raw) {
        List<TraceResults.Entry> entries = new ArrayList<>();
        for (TraceSummary s : reader.findTraces(query(request, limits.maxSearchTraces()))) {
            entries.add(new TraceResults.Entry(s.traceId(), s.spanCount()));
        }
        return new TraceResults(entries, id -> reader.trace(id, TimeWindow.ALL).map(t -> assemble(t, raw)),
                limits.maxTraceSpans());
    }

    /**
     * Whole traces by id, each once, in the order asked; those not stored are left out. At most
     * {@link QueryLimits#maxSearchTraces()} ids ({@code parameter} names them in the error).
     */
    public TraceResults traces(String parameter, Collection<TraceId> traceIds, boolean raw) {
        LinkedHashSet<TraceId> ids = new LinkedHashSet<>(traceIds);
        if (ids.size() > limits.maxSearchTraces()) {
            throw new InvalidQueryException(parameter, parameter + ": at most " + limits.maxSearchTraces()
                    + " trace ids per request (spoor.query.max_search_traces), got " + ids.size());
        }
        for (TraceId id : ids) {
            checkValid(id);
        }
        List<TraceResults.Entry> entries = ids.stream().map(id -> new TraceResults.Entry(id, -1)).toList();
        return new TraceResults(entries, id -> reader.trace(id, TimeWindow.ALL).map(t -> assemble(t, raw)),
                limits.maxTraceSpans());
    }

    /** The whole stored trace; {@code start}/{@code end} optionally narrow the lookup. */
    public Optional<Trace> trace(TraceId traceId, OptionalLong startEpochNanos, OptionalLong endEpochNanos) {
        checkValid(traceId);
        return reader.trace(traceId, window(startEpochNanos, endEpochNanos));
    }

    /**
     * Summaries of those of {@code traceIds} that are stored, in the order asked, each once: lets a client learn
     * which traces exist (a span link's target, say) without a failed request per missing one.
     */
    public List<TraceSummary> summaries(List<TraceId> traceIds) {
        List<TraceSummary> out = new ArrayList<>();
        for (TraceId id : new LinkedHashSet<>(traceIds)) {
            checkValid(id);
            reader.trace(id, TimeWindow.ALL).ifPresent(t -> out.add(TraceSummary.of(t)));
        }
        return out;
    }

    /**
     * A window over recent data, e.g. for service dependencies: its start is moved up to the retention horizon
     * ({@link QueryLimits#retention()} before now), since nothing older is kept, so that a lookback of decades
     * costs what one of the retention does.
     */
    public TimeWindow recentWindow(long startEpochNanos, long endEpochNanos) {
        if (endEpochNanos < startEpochNanos) {
            throw new InvalidQueryException("end", "end must not be before start");
        }
        long horizon = Math.max(0, nowNanos() - limits.retention().toNanos());
        long start = Math.max(startEpochNanos, horizon);
        return start <= endEpochNanos ? new TimeWindow(start, endEpochNanos)
                : new TimeWindow(endEpochNanos, endEpochNanos);
    }

    public long nowNanos() {
        Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** Validates a search and builds the storage query; throws {@link InvalidQueryException}. */
    static TraceQuery query(SearchRequest r, int maxLimit) {
        Optional<String> service = nonBlank("service", r.service());
        Optional<String> operation = nonBlank("operation", r.operation());
        if (r.tags().size() > MAX_TAGS) {
            throw new InvalidQueryException("tag", "tag: at most " + MAX_TAGS + " tags per search");
        }
        if (r.keys().size() > MAX_TAGS) {
            throw new InvalidQueryException("annotationQuery", "at most " + MAX_TAGS + " keys per search");
        }
        for (TraceQuery.Tag t : r.tags()) {
            if (t.key().isEmpty()) {
                throw new InvalidQueryException("tag", "tag keys must not be empty");
            }
        }
        long min = r.minDurationNanos().orElse(0);
        long max = r.maxDurationNanos().orElse(Long.MAX_VALUE);
        if (min < 0) {
            throw new InvalidQueryException("minDuration", "minDuration must not be negative");
        }
        if (max < min) {
            throw new InvalidQueryException("maxDuration", "maxDuration must not be below minDuration");
        }
        int limit = r.limit().orElse(Math.min(DEFAULT_LIMIT, maxLimit));
        if (limit < 1 || limit > maxLimit) {
            throw new InvalidQueryException("limit", "limit must be between 1 and " + maxLimit + ", got " + limit);
        }
        return new TraceQuery(service, operation, r.tags(), r.keys(), r.status(), min, max,
                window(r.startEpochNanos(), r.endEpochNanos()), limit);
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

    private static void checkValid(TraceId id) {
        if (!id.isValid()) {
            throw new InvalidQueryException("traceId", "traceId: an all-zero trace id is invalid");
        }
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
}
