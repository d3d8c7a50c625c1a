package io.spoor.pipeline.export;

import io.spoor.pipeline.ExporterFactory;
import io.spoor.pipeline.SpanConsumer;
import io.spoor.pipeline.StageContext;
import io.spoor.pipeline.config.ConfigNode;
import io.spoor.pipeline.config.Section;

/**
 * {@code exporters.spoor}: Spoor's own store (its engine is chosen and set under {@code spoor.storage}). No keys, so
 * a pipeline may name it without defining it. Every batch it made durable goes on to the stage after the store.
 */
public record StoreExporterFactory() implements ExporterFactory<StoreExporterFactory.Config> {
    public static final String TYPE = "spoor";

    /** The exporter has no settings of its own. */
    public record Config() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Config defaultConfig() {
        return new Config();
    }

    @Override
    public Config parse(ConfigNode node) {
        Section.of(node, node.path());
        return new Config();
    }

    @Override
    public SpanConsumer create(String id, Config config, StageContext context) {
        return new StoreExporter(id, context.store(), context.afterStore(), context.registry());
    }
}
