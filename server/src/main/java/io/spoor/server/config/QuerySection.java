package io.spoor.server.config;

import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;
import io.spoor.query.QueryService;

/**
 * Reads {@code spoor.query}: {@code adjust_clock_skew}, {@code max_clock_skew}, {@code max_trace_spans},
 * {@code max_search_traces}, {@code cors.allowed_origins}.
 */
public record QuerySection() implements SpoorSection<QueryConfig> {

    @Override
    public String key() {
        return "query";
    }

    @Override
    public QueryConfig defaults() {
        return QueryConfig.DEFAULTS;
    }

    @Override
    public QueryConfig parse(ConfigNode node) {
        Section q = Section.of(node, "spoor.query", "adjust_clock_skew", "max_clock_skew", "max_trace_spans",
                "max_search_traces", "cors");
        Section cors = q.section("cors", "allowed_origins");
        QueryConfig d = QueryConfig.DEFAULTS;
        return new QueryConfig(q.bool("adjust_clock_skew").orElse(d.adjustClockSkew()),
                q.duration("max_clock_skew", true).orElse(d.maxClockSkew()),
                q.whole("max_trace_spans", 1, Integer.MAX_VALUE).map(Long::intValue).orElse(d.maxTraceSpans()),
                q.whole("max_search_traces", 1, QueryService.MAX_LIMIT).map(Long::intValue).orElse(d.maxSearchTraces()),
                cors.strings("allowed_origins"));
    }
}
