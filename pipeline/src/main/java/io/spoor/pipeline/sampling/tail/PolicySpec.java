package io.spoor.pipeline.sampling.tail;

import java.util.function.Supplier;

/** A configured policy; {@code create} makes a fresh instance (some policies keep state). */
public record PolicySpec(String name, String type, Supplier<Policy> create) {

    public NamedPolicy instantiate() {
        return new NamedPolicy(name, create.get());
    }
}
