package io.spoor.server.config;

import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;

/** Reads {@code spoor.http}: {@code allowed_hosts}. */
public record HttpSection() implements SpoorSection<HttpConfig> {

    @Override
    public String key() {
        return "http";
    }

    @Override
    public HttpConfig defaults() {
        return HttpConfig.DEFAULTS;
    }

    @Override
    public HttpConfig parse(ConfigNode node) {
        Section h = Section.of(node, "spoor.http", "allowed_hosts");
        return new HttpConfig(h.strings("allowed_hosts"));
    }
}
