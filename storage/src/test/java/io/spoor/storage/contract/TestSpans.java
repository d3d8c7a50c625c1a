package io.spoor.storage.contract;

import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanKind;
import io.spoor.model.SpanLink;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import java.util.List;

/** Span factories for the contract suite and engine tests. */
public final class TestSpans {
    public static final long MS = 1_000_000L;
    private static final InstrumentationScope SCOPE = new InstrumentationScope("io.spoor.test", "1.0", Attributes.EMPTY);

    private TestSpans() {
    }

    public static Resource resource(String service, Object... extraKeyValues) {
        Object[] kv = new Object[extraKeyValues.length + 2];
        kv[0] = Resource.SERVICE_NAME;
        kv[1] = service;
        System.arraycopy(extraKeyValues, 0, kv, 2, extraKeyValues.length);
        return new Resource(Attributes.of(kv), "");
    }

    /** A plain span: service, name, start and duration, optional span attributes. */
    public static Span span(TraceId trace, long spanId, long parentId, String service, String name, long startNanos,
                            long durationNanos, Object... attributes) {
        return Span.builder(trace, spanId)
                .parentSpanId(parentId)
                .name(name)
                .kind(parentId == 0 ? SpanKind.SERVER : SpanKind.CLIENT)
                .startEpochNanos(startNanos)
                .endEpochNanos(startNanos + durationNanos)
                .attributes(Attributes.of(attributes))
                .resource(resource(service))
                .scope(SCOPE)
                .build();
    }

    /** A span that uses every field of the model, with every attribute value type. */
    public static Span everyField(TraceId trace, long spanId, long parentId, long startNanos) {
        Attributes nested = Attributes.of("inner.s", "x", "inner.n", 7L);
        Attributes attributes = new Attributes(List.of(
                new io.spoor.model.Attribute("s", AttributeValue.of("välue ünïcode ✓")),
                new io.spoor.model.Attribute("b", AttributeValue.of(true)),
                new io.spoor.model.Attribute("f", AttributeValue.of(false)),
                new io.spoor.model.Attribute("l", AttributeValue.of(-1234567890123L)),
                new io.spoor.model.Attribute("d", AttributeValue.of(3.25)),
                new io.spoor.model.Attribute("nan", AttributeValue.of(Double.NaN)),
                new io.spoor.model.Attribute("bytes", new AttributeValue.BytesValue(new byte[] {0, 1, -1, 42})),
                new io.spoor.model.Attribute("arr", new AttributeValue.ArrayValue(
                        List.of(AttributeValue.of("a"), AttributeValue.of(2L), AttributeValue.of(false)))),
                new io.spoor.model.Attribute("map", new AttributeValue.MapValue(nested)),
                new io.spoor.model.Attribute("long.string", AttributeValue.of("x".repeat(5000)))));
        Resource resource = new Resource(Attributes.of(Resource.SERVICE_NAME, "every-field", "host.name", "h1",
                "process.pid", 4242L), "https://opentelemetry.io/schemas/1.21.0");
        InstrumentationScope scope = new InstrumentationScope("io.spoor.scope", "2.3.4", Attributes.of("scope.k", "v"));
        return Span.builder(trace, spanId)
                .parentSpanId(parentId)
                .traceState("vendor=abc,other=1")
                .flags(0x301)
                .name("GET /everything/{id}")
                .kind(SpanKind.PRODUCER)
                .startEpochNanos(startNanos)
                .endEpochNanos(startNanos + 12_345_678)
                .attributes(attributes)
                .droppedAttributesCount(3)
                .events(List.of(
                        new SpanEvent(startNanos + 5, "exception", Attributes.of("exception.type", "IOException",
                                "exception.message", "boom"), 1),
                        new SpanEvent(startNanos - 3, "before-start", Attributes.EMPTY, 0)))
                .droppedEventsCount(2)
                .links(List.of(new SpanLink(new TraceId(-1L, 99L), 0xFEEDL, "k=v", Attributes.of("link.k", 1L), 4, 1)))
                .droppedLinksCount(5)
                .status(new Status(StatusCode.ERROR, "it failed"))
                .resource(resource)
                .scope(scope)
                .build();
    }

    public static Span withStatus(Span s, StatusCode code) {
        return s.toBuilder().status(new Status(code, "")).build();
    }
}
