package io.spoor.model;

import java.util.List;
import java.util.Objects;

/**
 * One span, immutable. Times are epoch nanoseconds; ids follow {@link TraceId} and {@link SpanId}.
 * {@code resource} and {@code scope} are usually shared by reference among the spans of one export.
 */
public record Span(
        TraceId traceId,
        long spanId,
        long parentSpanId,
        String traceState,
        int flags,
        String name,
        SpanKind kind,
        long startEpochNanos,
        long endEpochNanos,
        Attributes attributes,
        int droppedAttributesCount,
        List<SpanEvent> events,
        int droppedEventsCount,
        List<SpanLink> links,
        int droppedLinksCount,
        Status status,
        Resource resource,
        InstrumentationScope scope) {

    public Span {
        Objects.requireNonNull(traceId, "traceId");
        traceState = traceState == null ? "" : traceState;
        name = name == null ? "" : name;
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(attributes, "attributes");
        events = List.copyOf(events);
        links = List.copyOf(links);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(scope, "scope");
    }

    public long durationNanos() {
        return Math.max(0, endEpochNanos - startEpochNanos);
    }

    public String serviceName() {
        return resource.serviceName();
    }

    public boolean isRoot() {
        return parentSpanId == SpanId.NONE;
    }

    public boolean isError() {
        return status.isError();
    }

    public static Builder builder(TraceId traceId, long spanId) {
        return new Builder(traceId, spanId);
    }

    public Builder toBuilder() {
        Builder b = new Builder(traceId, spanId);
        b.parentSpanId = parentSpanId;
        b.traceState = traceState;
        b.flags = flags;
        b.name = name;
        b.kind = kind;
        b.start = startEpochNanos;
        b.end = endEpochNanos;
        b.attributes = attributes;
        b.droppedAttributes = droppedAttributesCount;
        b.events = events;
        b.droppedEvents = droppedEventsCount;
        b.links = links;
        b.droppedLinks = droppedLinksCount;
        b.status = status;
        b.resource = resource;
        b.scope = scope;
        return b;
    }

    /** Convenience for codecs and tests; every field has the OTLP default. */
    public static final class Builder {
        private final TraceId traceId;
        private final long spanId;
        private long parentSpanId;
        private String traceState = "";
        private int flags;
        private String name = "";
        private SpanKind kind = SpanKind.UNSPECIFIED;
        private long start;
        private long end;
        private Attributes attributes = Attributes.EMPTY;
        private int droppedAttributes;
        private List<SpanEvent> events = List.of();
        private int droppedEvents;
        private List<SpanLink> links = List.of();
        private int droppedLinks;
        private Status status = Status.UNSET;
        private Resource resource = Resource.EMPTY;
        private InstrumentationScope scope = InstrumentationScope.EMPTY;

        private Builder(TraceId traceId, long spanId) {
            this.traceId = traceId;
            this.spanId = spanId;
        }

        public Builder parentSpanId(long v) { parentSpanId = v; return this; }
        public Builder traceState(String v) { traceState = v; return this; }
        public Builder flags(int v) { flags = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder kind(SpanKind v) { kind = v; return this; }
        public Builder startEpochNanos(long v) { start = v; return this; }
        public Builder endEpochNanos(long v) { end = v; return this; }
        public Builder attributes(Attributes v) { attributes = v; return this; }
        public Builder droppedAttributesCount(int v) { droppedAttributes = v; return this; }
        public Builder events(List<SpanEvent> v) { events = v; return this; }
        public Builder droppedEventsCount(int v) { droppedEvents = v; return this; }
        public Builder links(List<SpanLink> v) { links = v; return this; }
        public Builder droppedLinksCount(int v) { droppedLinks = v; return this; }
        public Builder status(Status v) { status = v; return this; }
        public Builder resource(Resource v) { resource = v; return this; }
        public Builder scope(InstrumentationScope v) { scope = v; return this; }

        public Span build() {
            return new Span(traceId, spanId, parentSpanId, traceState, flags, name, kind, start, end, attributes,
                    droppedAttributes, events, droppedEvents, links, droppedLinks, status, resource, scope);
        }
    }
}
