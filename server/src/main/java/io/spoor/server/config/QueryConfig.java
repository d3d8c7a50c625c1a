package io.spoor.server.config;

import io.spoor.query.QueryLimits;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code spoor.query}: clock-skew adjustment when traces are assembled (on by default; a request can still ask for raw
 * spans) and the largest shift it may apply (zero = no limit); what one request may load (the most spans in one
 * answer, the largest whole-trace search); and which web origins may read the query APIs from a browser
 * ({@code cors.allowed_origins}: none but the UI's own by default, {@code *} for any).
 */
public record QueryConfig(boolean adjustClockSkew, Duration maxClockSkew, int maxTraceSpans, int maxSearchTraces,
                          List<String> corsAllowedOrigins) {
    /** Query limits are the query service's own defaults (declared once, in {@link QueryLimits}). */
    public static final QueryConfig DEFAULTS = new QueryConfig(true, Duration.ZERO,
            QueryLimits.DEFAULT_MAX_TRACE_SPANS, QueryLimits.DEFAULT_MAX_SEARCH_TRACES, List.of());

    public QueryConfig {
        Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
    }

    public QueryConfig withAdjustClockSkew(boolean v) {
        return new QueryConfig(v, maxClockSkew, maxTraceSpans, maxSearchTraces, corsAllowedOrigins);
    }

    public QueryConfig withLimits(int traceSpans, int searchTraces) {
        return new QueryConfig(adjustClockSkew, maxClockSkew, traceSpans, searchTraces, corsAllowedOrigins);
    }

    public QueryConfig withCorsAllowedOrigins(List<String> v) {
        return new QueryConfig(adjustClockSkew, maxClockSkew, maxTraceSpans, maxSearchTraces, v);
    }
}
