package io.spoor.protocol.otlp;

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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Spans exercising every field and attribute type, and access to the recorded SDK samples. */
final class TestSpans {
    static final TraceId TRACE = TraceId.fromHex("0af7651916cd43dd8448eb211c80319c");
    static final Resource RESOURCE = new Resource(
            Attributes.of("service.name", "checkout", "process.pid", 4242L), "https://opentelemetry.io/schemas/1.24.0");
    static final InstrumentationScope SCOPE = new InstrumentationScope("io.spoor.test", "1.2.3",
            Attributes.of("scope.attr", true));

    private TestSpans() {
    }

    /** Every attribute type OTLP has, nested ones included, plus edge values. */
    static Attributes everyAttributeType() {
        return Attributes.of(
                "string", "héllo \"wörld\"",
                "empty", "",
                "bool", true,
                "int", 123L,
                "int.min", Long.MIN_VALUE,
                "double", 3.25,
                "double.nan", Double.NaN,
                "double.inf", Double.NEGATIVE_INFINITY,
                "bytes", new AttributeValue.BytesValue(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff}),
                "array", new AttributeValue.ArrayValue(List.of(AttributeValue.of("a"), AttributeValue.of(2L),
                        AttributeValue.of(false), new AttributeValue.ArrayValue(List.of()))),
                "map", new AttributeValue.MapValue(Attributes.of("nested", "x",
                        "deeper", new AttributeValue.MapValue(Attributes.of("n", 1.5)))),
                "empty.map", new AttributeValue.MapValue(Attributes.EMPTY));
    }

    /** A span with every field set away from its default. */
    static Span fullSpan() {
        return Span.builder(TRACE, 0xb7ad6b7169203331L)
                .parentSpanId(0x00f067aa0ba902b7L)
                .traceState("congo=t61rcWkgMzE")
                .flags(0x301)
                .name("GET /checkout")
                .kind(SpanKind.SERVER)
                .startEpochNanos(1_795_540_999_262_000_000L)
                .endEpochNanos(1_795_540_999_572_971_160L)
                .attributes(everyAttributeType())
                .droppedAttributesCount(2)
                .events(List.of(
                        new SpanEvent(1_795_540_999_300_000_000L, "exception",
                                Attributes.of("exception.type", "java.lang.IllegalStateException"), 1),
                        new SpanEvent(1_795_540_999_400_000_000L, "retry", Attributes.EMPTY, 0)))
                .droppedEventsCount(3)
                .links(List.of(new SpanLink(TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736"), 0x1111111111111111L,
                        "rojo=00f067aa0ba902b7", Attributes.of("link.kind", "follows"), 4, 1)))
                .droppedLinksCount(5)
                .status(new Status(StatusCode.ERROR, "payment declined"))
                .resource(RESOURCE)
                .scope(SCOPE)
                .build();
    }

    /** A span with nothing but its ids, everything else at the OTLP default. */
    static Span minimalSpan(long spanId) {
        return Span.builder(TRACE, spanId).build();
    }

    static byte[] sample(String name) {
        try (InputStream in = TestSpans.class.getResourceAsStream("/samples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
