package io.spoor.model;

import java.util.Objects;

/** A link from a span to a span of this or another trace. */
public record SpanLink(TraceId traceId, long spanId, String traceState, Attributes attributes,
                       int droppedAttributesCount, int flags) {
    public SpanLink {
        Objects.requireNonNull(traceId, "traceId");
        traceState = traceState == null ? "" : traceState;
        Objects.requireNonNull(attributes, "attributes");
    }
}
