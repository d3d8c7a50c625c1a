package io.spoor.pipeline;

import java.util.Objects;

/**
 * A processor as the file configures it: its id ({@code type} or {@code type/name}), its factory and the settings
 * the factory read.
 */
public record ProcessorConfig<C>(String id, ProcessorFactory<C> factory, C config) {
    public ProcessorConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(config, "config");
    }

    /** Processor {@code id} with its factory's default settings. */
    public static <C> ProcessorConfig<C> ofDefaults(String id, ProcessorFactory<C> factory) {
        return new ProcessorConfig<>(id, factory, factory.defaultConfig());
    }

    SpanConsumer create(SpanConsumer next, StageContext context) {
        return factory.create(id, config, next, context);
    }
}
