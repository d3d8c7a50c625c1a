package io.spoor.model;

import java.util.Objects;

/** The instrumentation library that produced a span. */
public record InstrumentationScope(String name, String version, Attributes attributes) {
    public static final InstrumentationScope EMPTY = new InstrumentationScope("", "", Attributes.EMPTY);

    public InstrumentationScope {
        name = name == null ? "" : name;
        version = version == null ? "" : version;
        Objects.requireNonNull(attributes, "attributes");
    }
}
