package io.spoor.protocol.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.spoor.model.AttributeValue;
import io.spoor.model.Span;
import io.spoor.model.SpanId;
import io.spoor.model.SpanKind;
import io.spoor.model.SpanLink;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OtlpProtobufDecodingTest {
    private static final ByteString TRACE_ID = ByteString.fromHex("0af7651916cd43dd8448eb211c80319c");
    private static final ByteString SPAN_ID = ByteString.fromHex("b7ad6b7169203331");

    private static io.opentelemetry.proto.trace.v1.Span.Builder protoSpan(String name) {
        return io.opentelemetry.proto.trace.v1.Span.newBuilder().setTraceId(TRACE_ID).setSpanId(SPAN_ID).setName(name);
    }

    private static ExportTraceServiceRequest request(io.opentelemetry.proto.trace.v1.Span.Builder... spans) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        Arrays.stream(spans).forEach(scope::addSpans);
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope)).build();
    }

    @Test
    void decodesTheJavaScriptSdkSampleWithIdsKindsAndTypedAttributes() {
        DecodedTraces decoded = OtlpTraceDecoder.decodeProtobuf(TestSpans.sample("otlp-traces-from-js-sdk.pb"));

        assertThat(decoded.rejectedSpans()).isZero();
        assertThat(decoded.spans()).hasSize(16).allSatisfy(s -> assertThat(s.serviceName()).isEqualTo("payment-service"));
        Span first = decoded.spans().get(0);
        assertThat(first.traceId().toHex()).isEqualTo("7a1547b4409aa3059ea7114878d44d4d");
        assertThat(SpanId.toHex(first.spanId())).isEqualTo("ac2f96944a8f093c");
        assertThat(SpanId.toHex(first.parentSpanId())).isEqualTo("1841974ab86c4219");
        assertThat(first.name()).isEqualTo("middleware - jsonParser");
        assertThat(first.kind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(first.flags()).isEqualTo(257);
        assertThat(first.startEpochNanos()).isEqualTo(1_795_540_979_519_000_000L);
        assertThat(first.scope().name()).isEqualTo("@opentelemetry/instrumentation-express");
        assertThat(first.scope().version()).isEqualTo("0.71.1");
        assertThat(first.resource().attributes().get("process.command_args").orElseThrow())
                .isInstanceOf(AttributeValue.ArrayValue.class);
        assertThat(first.resource().attributes().get("process.pid")).contains(AttributeValue.of(23276L));
        // The JS SDK sends a JavaScript number as int or double depending on its value: both types survive.
        assertThat(decoded.spans()).extracting(s -> s.attributes().get("payment.amount").orElse(null))
                .contains(AttributeValue.of(0L), AttributeValue.of(42.5));

        Span root = decoded.spans().stream().filter(Span::isRoot).findFirst().orElseThrow();
        assertThat(root.name()).isEqualTo("POST /payments");
        assertThat(root.kind()).isEqualTo(SpanKind.SERVER);
        assertThat(root.attributes().get("http.response.status_code")).contains(AttributeValue.of(200L));
        assertThat(decoded.spans()).extracting(s -> s.scope().name()).containsOnly(
                "@opentelemetry/instrumentation-express", "payment-service", "@opentelemetry/instrumentation-http");
        assertThat(decoded.spans()).extracting(Span::flags).containsOnly(257, 769);
    }

    @Test
    void emptyBodyAndEmptyRequestAreSuccessfulWithNoSpans() {
        assertThat(OtlpTraceDecoder.decodeProtobuf(new byte[0])).isEqualTo(DecodedTraces.empty());
        assertThat(OtlpTraceDecoder.decodeProtobuf(ByteBuffer.allocate(0))).isEqualTo(DecodedTraces.empty());
        assertThat(OtlpTraceDecoder.fromRequest(ExportTraceServiceRequest.getDefaultInstance()))
                .isEqualTo(DecodedTraces.empty());
        byte[] emptyGroups = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.getDefaultInstance()))
                .build().toByteArray();
        assertThat(OtlpTraceDecoder.decodeProtobuf(emptyGroups).spans()).isEmpty();
    }

    @Test
    void truncatedProtobufIsMalformedAndTheMessageSaysWhere() {
        byte[] whole = TestSpans.sample("otlp-traces-from-js-sdk.pb");
        byte[] truncated = Arrays.copyOf(whole, 1234);

        assertThatThrownBy(() -> OtlpTraceDecoder.decodeProtobuf(truncated))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("invalid protobuf: truncated message at byte ")
                .hasMessageEndingWith("(body is 1234 bytes)");
    }

    @Test
    void garbageBytesAreMalformed() {
        byte[] garbage = "this is not protobuf".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> OtlpTraceDecoder.decodeProtobuf(garbage))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("invalid protobuf")
                .hasMessageContaining("at byte");
        assertThatThrownBy(() -> OtlpTraceDecoder.decodeProtobuf(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}))
                .isInstanceOf(OtlpDecodeException.class);
    }

    @Test
    void rejectsSpanWithAllZeroTraceIdButKeepsTheRest() {
        ExportTraceServiceRequest request = request(
                protoSpan("good"),
                protoSpan("zero trace").setTraceId(ByteString.copyFrom(new byte[16])),
                protoSpan("also good"));

        DecodedTraces decoded = OtlpTraceDecoder.fromRequest(request);

        assertThat(decoded.spans()).extracting(Span::name).containsExactly("good", "also good");
        assertThat(decoded.rejectedSpans()).isEqualTo(1);
        assertThat(decoded.rejectionMessage())
                .isEqualTo("1 span rejected: span 1 of resource 0: trace_id must not be all zero");
    }

    @Test
    void rejectsSpansWithWrongIdLengthsAndNamesTheFirstProblem() {
        ExportTraceServiceRequest request = request(
                protoSpan("good"),
                protoSpan("no trace id").clearTraceId(),
                protoSpan("zero span id").setSpanId(ByteString.copyFrom(new byte[8])),
                protoSpan("short span id").setSpanId(ByteString.fromHex("0102")),
                protoSpan("bad parent").setParentSpanId(ByteString.fromHex("010203")));

        DecodedTraces decoded = OtlpTraceDecoder.decodeProtobuf(request.toByteArray());

        assertThat(decoded.spans()).extracting(Span::name).containsExactly("good");
        assertThat(decoded.rejectedSpans()).isEqualTo(4);
        assertThat(decoded.rejectionMessage())
                .isEqualTo("4 spans rejected: span 1 of resource 0: trace_id must be 16 bytes, got 0");
    }

    @Test
    void allZeroParentSpanIdMeansNoParent() {
        DecodedTraces decoded = OtlpTraceDecoder.fromRequest(
                request(protoSpan("root").setParentSpanId(ByteString.copyFrom(new byte[8]))));

        assertThat(decoded.rejectedSpans()).isZero();
        assertThat(decoded.spans().get(0).isRoot()).isTrue();
    }

    @Test
    void dropsLinksWithBadIdsAndCountsThemButKeepsTheSpan() {
        var goodLink = io.opentelemetry.proto.trace.v1.Span.Link.newBuilder().setTraceId(TRACE_ID).setSpanId(SPAN_ID);
        var zeroTrace = goodLink.clone().setTraceId(ByteString.copyFrom(new byte[16]));
        var shortSpan = goodLink.clone().setSpanId(ByteString.fromHex("01"));

        DecodedTraces decoded = OtlpTraceDecoder.fromRequest(request(
                protoSpan("linked").addLinks(goodLink).addLinks(zeroTrace).addLinks(shortSpan).setDroppedLinksCount(1)));

        Span span = decoded.spans().get(0);
        assertThat(decoded.rejectedSpans()).isZero();
        assertThat(span.links()).extracting(SpanLink::traceId)
                .containsExactly(TraceId.fromHex("0af7651916cd43dd8448eb211c80319c"));
        assertThat(span.droppedLinksCount()).isEqualTo(3);
    }

    @Test
    void unknownKindAndStatusNumbersMapToTheirDefaults() {
        DecodedTraces decoded = OtlpTraceDecoder.fromRequest(request(protoSpan("future")
                .setKindValue(42)
                .setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder().setCodeValue(9).setMessage("?"))));

        Span span = decoded.spans().get(0);
        assertThat(span.kind()).isEqualTo(SpanKind.UNSPECIFIED);
        assertThat(span.status().code()).isEqualTo(StatusCode.UNSET);
        assertThat(span.status().message()).isEqualTo("?");
    }

    @Test
    void unsetAttributeValueBecomesEmptyString() {
        DecodedTraces decoded = OtlpTraceDecoder.fromRequest(request(protoSpan("s")
                .addAttributes(KeyValue.newBuilder().setKey("unset"))
                .addAttributes(KeyValue.newBuilder().setKey("also").setValue(AnyValue.getDefaultInstance()))));

        assertThat(decoded.spans().get(0).attributes().asList())
                .allSatisfy(a -> assertThat(a.value()).isEqualTo(AttributeValue.of("")));
    }

    @Test
    void unknownFieldsInProtobufAreIgnored() {
        byte[] known = request(protoSpan("s")).toByteArray();
        // Field 99 (varint) appended at top level: a newer sender's field this version does not know.
        byte[] withUnknown = Arrays.copyOf(known, known.length + 3);
        withUnknown[known.length] = (byte) 0x98;
        withUnknown[known.length + 1] = 0x06;
        withUnknown[known.length + 2] = 0x01;

        assertThat(OtlpTraceDecoder.decodeProtobuf(withUnknown).spans()).extracting(Span::name).containsExactly("s");
    }

    @Test
    void resourceSchemaUrlIsKept() {
        ExportTraceServiceRequest request = request(protoSpan("s")).toBuilder()
                .setResourceSpans(0, request(protoSpan("s")).getResourceSpans(0).toBuilder().setSchemaUrl("https://x/1.0"))
                .build();

        assertThat(OtlpTraceDecoder.fromRequest(request).spans().get(0).resource().schemaUrl())
                .isEqualTo("https://x/1.0");
    }

    @Test
    void protobufNestedBeyondTheRecursionLimitIsMalformed() {
        AnyValue value = AnyValue.newBuilder().setIntValue(1).build();
        for (int i = 0; i < 60; i++) {
            value = AnyValue.newBuilder().setArrayValue(
                    io.opentelemetry.proto.common.v1.ArrayValue.newBuilder().addValues(value)).build();
        }
        byte[] body = request(protoSpan("deep").addAttributes(KeyValue.newBuilder().setKey("k").setValue(value)))
                .toByteArray();

        assertThatThrownBy(() -> OtlpTraceDecoder.decodeProtobuf(body))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("invalid protobuf: message nested too deeply at byte ");
    }
}
