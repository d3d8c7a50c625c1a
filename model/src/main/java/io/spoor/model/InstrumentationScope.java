package io.spoor.model;

import java.util.Objects;

/**
 * The instrumentation library that produced a span. {@code droppedAttributesCount} is OTLP's
 * {@code InstrumentationScope.dropped_attributes_count} (unsigned).
 */
public record InstrumentationScope(String name, String version, Attributes attributes, int droppedAttributesCount) {
    public static final InstrumentationScope EMPTY = new InstrumentationScope("", "", Attributes.EMPTY);

    public InstrumentationScope {
        name = name == null ? "" : name;
        version = version == null ? "" : version;
        Objects.requireNonNull(attributes, "attributes");
    }

    /** A scope with nothing dropped. */
    public InstrumentationScope(String name, String version, Attributes attributes) {
        this(name, version, attributes, 0);
    }

    /** True for the scope of spans that name none (what {@link #EMPTY} is). */
    public boolean isEmpty() {
        return name.isEmpty() && version.isEmpty() && attributes.isEmpty() && droppedAttributesCount == 0;
    }
}
