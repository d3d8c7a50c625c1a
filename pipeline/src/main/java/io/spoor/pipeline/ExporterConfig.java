package io.spoor.pipeline;

import java.util.Objects;

/** An exporter as the file configures it: its id, its factory and the settings the factory read. */
public record ExporterConfig<C>(String id, ExporterFactory<C> factory, C config) {
    public ExporterConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(config, "config");
    }

    /** Exporter {@code id} with its factory's default settings. */
    public static <C> ExporterConfig<C> ofDefaults(String id, ExporterFactory<C> factory) {
        return new ExporterConfig<>(id, factory, factory.defaultConfig());
    }

    SpanConsumer create(StageContext context) {
        return factory.create(id, config, context);
    }
}
