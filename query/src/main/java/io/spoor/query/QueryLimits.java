package io.spoor.query;

import io.spoor.storage.SpanStore;
import java.time.Duration;
import java.util.Objects;

/**
 * What one query request may load (docs/configuration.md, {@code spoor.query}).
 *
 * @param maxTraceSpans   the most spans one answer carries: a larger trace is answered truncated to its first
 *                        (earliest) {@code maxTraceSpans} spans and says so; a search that returns whole traces
 *                        stops adding traces before its spans would pass this many, and says so
 * @param maxSearchTraces the highest limit a search that returns whole traces accepts (Jaeger's {@code limit} and
 *                        api_v3's {@code search_depth}, Zipkin's {@code limit}, the number of ids of a
 *                        {@code traceMany}); summary searches ({@code /api/v1/traces}) go up to
 *                        {@link QueryService#MAX_LIMIT}
 * @param retention       how far back data is kept: windows that reach further back (dependency lookbacks) are
 *                        cut to it, as nothing older is stored
 */
public record QueryLimits(int maxTraceSpans, int maxSearchTraces, Duration retention) {
    /** Above the 100,000-span traces the web UI is measured with (docs/benchmarks.md). */
    public static final int DEFAULT_MAX_TRACE_SPANS = 200_000;
    /** The Jaeger UI's own largest search (its {@code search.maxLimit}). */
    public static final int DEFAULT_MAX_SEARCH_TRACES = 1_500;
    public static final QueryLimits DEFAULTS =
            new QueryLimits(DEFAULT_MAX_TRACE_SPANS, DEFAULT_MAX_SEARCH_TRACES, SpanStore.DEFAULT_RETENTION);

    public QueryLimits {
        if (maxTraceSpans < 1) {
            throw new IllegalArgumentException("maxTraceSpans must be at least 1, got " + maxTraceSpans);
        }
        if (maxSearchTraces < 1 || maxSearchTraces > QueryService.MAX_LIMIT) {
            throw new IllegalArgumentException("maxSearchTraces must be between 1 and " + QueryService.MAX_LIMIT
                    + ", got " + maxSearchTraces);
        }
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive");
        }
    }

    public QueryLimits withRetention(Duration v) {
        return new QueryLimits(maxTraceSpans, maxSearchTraces, v);
    }
}
