package io.spoor.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanLink;
import io.spoor.protocol.otlp.OtlpTraceDecoder;
import io.spoor.protocol.otlp.OtlpTraceEncoder;
import java.util.List;

/**
 * What every span a decoder hands out must satisfy, whatever the input: usable ids (a trace id and span id that are
 * not zero, links only to real spans), no null anywhere in the value graph, and an exact OTLP round trip (what Spoor
 * stored it would give back unchanged).
 */
final class SpanInvariants {
    private SpanInvariants() {
    }

    static void check(List<Span> spans) {
        for (Span s : spans) {
            assertThat(s.traceId().high() != 0 || s.traceId().low() != 0).as("trace id not zero").isTrue();
            assertThat(s.spanId()).as("span id").isNotZero();
            assertThat(s.name()).isNotNull();
            assertThat(s.traceState()).isNotNull();
            assertThat(s.status().message()).isNotNull();
            attributes(s.attributes());
            attributes(s.resource().attributes());
            assertThat(s.resource().schemaUrl()).isNotNull();
            assertThat(s.scope().name()).isNotNull();
            attributes(s.scope().attributes());
            for (SpanEvent e : s.events()) {
                assertThat(e.name()).isNotNull();
                attributes(e.attributes());
            }
            for (SpanLink l : s.links()) {
                assertThat(l.traceId().high() != 0 || l.traceId().low() != 0).as("link trace id not zero").isTrue();
                assertThat(l.spanId()).as("link span id").isNotZero();
                attributes(l.attributes());
            }
        }
        List<Span> again = OtlpTraceDecoder.decodeProtobuf(OtlpTraceEncoder.encodeProtobuf(spans)).spans();
        assertThat(again).as("an OTLP round trip gives the spans back").containsExactlyInAnyOrderElementsOf(spans);
    }

    /** Zipkin spans also have times that Zipkin can write: microseconds from 0, ending no earlier than they start. */
    static void checkZipkin(List<Span> spans) {
        check(spans);
        for (Span s : spans) {
            assertThat(s.startEpochNanos()).isNotNegative();
            assertThat(s.endEpochNanos()).isGreaterThanOrEqualTo(s.startEpochNanos());
        }
    }

    private static void attributes(Attributes attributes) {
        for (Attribute a : attributes.asList()) {
            assertThat(a.key()).isNotNull();
            value(a.value());
        }
    }

    private static void value(AttributeValue v) {
        assertThat(v).isNotNull();
        switch (v) {
            case AttributeValue.StringValue s -> assertThat(s.value()).isNotNull();
            case AttributeValue.ArrayValue a -> a.values().forEach(SpanInvariants::value);
            case AttributeValue.MapValue m -> attributes(m.values());
            default -> {
            }
        }
    }
}
