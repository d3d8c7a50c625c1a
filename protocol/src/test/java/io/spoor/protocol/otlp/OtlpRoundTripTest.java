package io.spoor.protocol.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.spoor.model.Attributes;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpRoundTripTest {
    private static final Resource OTHER_RESOURCE = new Resource(Attributes.of("service.name", "cart"), "");
    private static final InstrumentationScope OTHER_SCOPE = new InstrumentationScope("other", "", Attributes.EMPTY);
    /** A resource and a scope that dropped attributes (the sender's limits or Spoor's); -1 is uint32's maximum. */
    private static final Resource DROPPING_RESOURCE = new Resource(Attributes.of("service.name", "big"), "", 12);
    private static final InstrumentationScope DROPPING_SCOPE = new InstrumentationScope("", "", Attributes.EMPTY, -1);

    private static List<Span> mixedSpans() {
        Span full = TestSpans.fullSpan();
        return List.of(
                full,
                TestSpans.minimalSpan(2),
                full.toBuilder().resource(OTHER_RESOURCE).scope(OTHER_SCOPE).kind(SpanKind.CONSUMER).build(),
                full.toBuilder().scope(OTHER_SCOPE).name("second scope").build(),
                full.toBuilder().parentSpanId(0).name("root").startEpochNanos(-1L).build(), // > 2^63 unsigned
                full.toBuilder().resource(DROPPING_RESOURCE).scope(DROPPING_SCOPE).name("dropping").build());
    }

    @Test
    void protobufRoundTripKeepsEverySpanFieldAndAttributeType() {
        List<Span> spans = mixedSpans();

        DecodedTraces decoded = OtlpTraceDecoder.decodeProtobuf(OtlpTraceEncoder.encodeProtobuf(spans));

        assertThat(decoded.rejectedSpans()).isZero();
        assertThat(decoded.rejectionMessage()).isEmpty();
        assertThat(decoded.spans()).containsExactlyInAnyOrderElementsOf(spans);
        assertThat(decoded.spans().get(0)).isEqualTo(TestSpans.fullSpan());
    }

    @Test
    void jsonRoundTripKeepsEverySpanFieldAndAttributeType() {
        List<Span> spans = mixedSpans();

        DecodedTraces decoded = OtlpTraceDecoder.decodeJson(OtlpTraceEncoder.encodeJson(spans));

        assertThat(decoded.rejectedSpans()).isZero();
        assertThat(decoded.spans()).containsExactlyInAnyOrderElementsOf(spans);
        assertThat(decoded.spans().get(0)).isEqualTo(TestSpans.fullSpan());
    }

    @Test
    void byteBufferDecodingReadsOnlyTheRemainingBytesAndLeavesThePositionAlone() {
        byte[] encoded = OtlpTraceEncoder.encodeProtobuf(List.of(TestSpans.fullSpan()));
        byte[] padded = new byte[encoded.length + 7];
        System.arraycopy(encoded, 0, padded, 3, encoded.length);
        ByteBuffer buffer = ByteBuffer.wrap(padded, 3, encoded.length);
        ByteBuffer direct = ByteBuffer.allocateDirect(encoded.length).put(encoded).flip();

        assertThat(OtlpTraceDecoder.decodeProtobuf(buffer).spans()).containsExactly(TestSpans.fullSpan());
        assertThat(buffer.position()).isEqualTo(3);
        assertThat(OtlpTraceDecoder.decodeProtobuf(direct).spans()).containsExactly(TestSpans.fullSpan());
    }

    @Test
    void encoderGroupsByEqualResourceAndScopeKeepingSpanOrderWithinGroups() {
        Resource copyOfResource = new Resource(TestSpans.RESOURCE.attributes(), TestSpans.RESOURCE.schemaUrl());
        InstrumentationScope copyOfScope = new InstrumentationScope("io.spoor.test", "1.2.3",
                Attributes.of("scope.attr", true));
        Span a = TestSpans.fullSpan().toBuilder().name("a").build();
        Span b = a.toBuilder().name("b").resource(OTHER_RESOURCE).build();
        Span c = a.toBuilder().name("c").resource(copyOfResource).scope(copyOfScope).build();
        Span d = a.toBuilder().name("d").scope(OTHER_SCOPE).build();

        ExportTraceServiceRequest request = OtlpTraceEncoder.toRequest(List.of(a, b, c, d));

        assertThat(request.getResourceSpansCount()).isEqualTo(2);
        var first = request.getResourceSpans(0);
        assertThat(first.getSchemaUrl()).isEqualTo(TestSpans.RESOURCE.schemaUrl());
        assertThat(first.getScopeSpansCount()).isEqualTo(2);
        assertThat(first.getScopeSpans(0).getSpansList()).extracting(s -> s.getName()).containsExactly("a", "c");
        assertThat(first.getScopeSpans(1).getSpansList()).extracting(s -> s.getName()).containsExactly("d");
        assertThat(request.getResourceSpans(1).getScopeSpans(0).getSpansList()).extracting(s -> s.getName())
                .containsExactly("b");
    }

    @Test
    void decoderSharesOneResourceAndOneScopeObjectPerGroup() {
        Span a = TestSpans.fullSpan();
        Span b = a.toBuilder().name("b").build();
        Span c = a.toBuilder().name("c").scope(OTHER_SCOPE).build();

        for (DecodedTraces decoded : List.of(
                OtlpTraceDecoder.decodeProtobuf(OtlpTraceEncoder.encodeProtobuf(List.of(a, b, c))),
                OtlpTraceDecoder.decodeJson(OtlpTraceEncoder.encodeJson(List.of(a, b, c))))) {
            List<Span> spans = decoded.spans();
            assertThat(spans.get(0).resource()).isSameAs(spans.get(1).resource()).isSameAs(spans.get(2).resource());
            assertThat(spans.get(0).scope()).isSameAs(spans.get(1).scope()).isNotSameAs(spans.get(2).scope());
        }
    }

    @Test
    void jsonOutputFollowsTheOtlpJsonMapping() {
        String json = new String(OtlpTraceEncoder.encodeJson(List.of(TestSpans.fullSpan(), TestSpans.minimalSpan(2))),
                StandardCharsets.UTF_8);

        assertThat(json)
                .startsWith("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\"")
                .contains("\"traceId\":\"0af7651916cd43dd8448eb211c80319c\"")
                .contains("\"spanId\":\"b7ad6b7169203331\"", "\"parentSpanId\":\"00f067aa0ba902b7\"")
                .contains("\"kind\":2", "\"flags\":769")
                .contains("\"startTimeUnixNano\":\"1795540999262000000\"")
                .contains("{\"key\":\"int\",\"value\":{\"intValue\":\"123\"}}")
                .contains("{\"key\":\"double.nan\",\"value\":{\"doubleValue\":\"NaN\"}}")
                .contains("{\"key\":\"bytes\",\"value\":{\"bytesValue\":\"AAH+/w==\"}}")
                .contains("\"status\":{\"message\":\"payment declined\",\"code\":2}")
                .contains("\"schemaUrl\":\"https://opentelemetry.io/schemas/1.24.0\"")
                // the minimal span: defaults are left out entirely
                .contains("{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"0000000000000002\"}")
                .doesNotContain("_", "\"kind\":0", "\"droppedLinksCount\":0");
    }

    @Test
    void encodingNoSpansGivesAnEmptyRequestThatDecodesToNoSpans() {
        assertThat(OtlpTraceEncoder.encodeProtobuf(List.of())).isEmpty();
        assertThat(new String(OtlpTraceEncoder.encodeJson(List.of()), StandardCharsets.UTF_8))
                .isEqualTo("{\"resourceSpans\":[]}");
        assertThat(OtlpTraceDecoder.decodeJson(OtlpTraceEncoder.encodeJson(List.of())).spans()).isEmpty();
    }
}
