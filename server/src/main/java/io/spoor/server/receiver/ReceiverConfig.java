package io.spoor.server.receiver;

import java.util.Objects;

/** A receiver as configured: its id (its type), its factory and the settings the factory read. */
public record ReceiverConfig<C>(String id, ReceiverFactory<C> factory, C config) {
    public ReceiverConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(config, "config");
    }

    public static <C> ReceiverConfig<C> ofDefaults(ReceiverFactory<C> factory) {
        return new ReceiverConfig<>(factory.type(), factory, factory.defaultConfig());
    }

    public String type() {
        return factory.type();
    }

    public void create(ReceiverContext context) {
        factory.create(id, config, context);
    }
}
