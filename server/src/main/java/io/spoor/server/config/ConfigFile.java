package io.spoor.server.config;

import io.spoor.pipeline.PipelineConfig;
import io.spoor.pipeline.limits.SpanLimitsSettings;
import io.spoor.server.receiver.ReceiverConfig;
import io.spoor.server.receiver.ReceiverFactory;
import io.spoor.server.storage.StorageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A configuration file as read ({@link ConfigLoader}): the receivers Spoor runs (each with the file's settings or its
 * defaults), the traces pipeline, and the {@code spoor:} sections by key ({@link #spoor(SpoorSection)}; storage,
 * query, http and limits have their own accessors). {@link #defaults()} is what Spoor runs with no file.
 */
public record ConfigFile(List<ReceiverConfig<?>> receivers, PipelineConfig pipeline, Map<String, Object> sections) {

    public ConfigFile {
        receivers = List.copyOf(receivers);
        Objects.requireNonNull(pipeline, "pipeline");
        sections = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sections));
    }

    public static ConfigFile defaults() {
        return SpoorComponents.builtIn().defaults();
    }

    /** The settings of {@code spoor.<section.key()>}; the section's defaults if this file has none. */
    @SuppressWarnings("unchecked")
    public <C> C spoor(SpoorSection<C> section) {
        Object v = sections.get(section.key());
        return v != null ? (C) v : section.defaults();
    }

    public StorageConfig storage() {
        return (StorageConfig) Objects.requireNonNull(sections.get("storage"), "spoor.storage");
    }

    public QueryConfig query() {
        return spoor(new QuerySection());
    }

    public HttpConfig http() {
        return spoor(new HttpSection());
    }

    public SpanLimitsSettings limits() {
        return spoor(new LimitsSection());
    }

    /** The settings of the receiver of {@code factory}'s type, or its defaults if Spoor does not run it. */
    @SuppressWarnings("unchecked")
    public <C> C receiver(ReceiverFactory<C> factory) {
        return receivers.stream().filter(r -> r.type().equals(factory.type())).findFirst()
                .map(r -> (C) r.config()).orElseGet(factory::defaultConfig);
    }

    public ConfigFile withPipeline(PipelineConfig v) {
        return new ConfigFile(receivers, v, sections);
    }

    public <C> ConfigFile withSpoor(SpoorSection<C> section, C v) {
        Map<String, Object> m = new LinkedHashMap<>(sections);
        m.put(section.key(), v);
        return new ConfigFile(receivers, pipeline, m);
    }

    public ConfigFile withQuery(QueryConfig v) {
        return withSpoor(new QuerySection(), v);
    }

    public ConfigFile withHttp(HttpConfig v) {
        return withSpoor(new HttpSection(), v);
    }

    public ConfigFile withLimits(SpanLimitsSettings v) {
        return withSpoor(new LimitsSection(), v);
    }

    /** With {@code v} in place of the receiver of its type. */
    public ConfigFile withReceiver(ReceiverConfig<?> v) {
        List<ReceiverConfig<?>> out = new ArrayList<>();
        boolean replaced = false;
        for (ReceiverConfig<?> r : receivers) {
            if (r.type().equals(v.type())) {
                out.add(v);
                replaced = true;
            } else {
                out.add(r);
            }
        }
        if (!replaced) {
            out.add(v);
        }
        return new ConfigFile(out, pipeline, sections);
    }
}
