package io.spoor.server.config;

import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;

/** Reads {@code spoor.query}: {@code adjust_clock_skew}, {@code max_clock_skew}. */
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
        Section q = Section.of(node, "spoor.query", "adjust_clock_skew", "max_clock_skew");
        return new QueryConfig(q.bool("adjust_clock_skew").orElse(QueryConfig.DEFAULTS.adjustClockSkew()),
                q.duration("max_clock_skew", true).orElse(QueryConfig.DEFAULTS.maxClockSkew()));
    }
}
