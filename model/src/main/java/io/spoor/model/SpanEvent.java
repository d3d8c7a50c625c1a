package io.spoor.model;

import java.util.Objects;

/** A timestamped event on a span; exceptions are events named "exception". */
public record SpanEvent(long epochNanos, String name, Attributes attributes, int droppedAttributesCount) {
    public static final String EXCEPTION = "exception";

    public SpanEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(attributes, "attributes");
    }
}
