package io.spoor.protocol.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanId;
import io.spoor.model.SpanKind;
import io.spoor.model.StatusCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpJsonDecodingTest {
    private static final String TRACE = "0AF7651916CD43DD8448EB211C80319C"; // upper case on purpose
    private static final String SPAN = "b7ad6b7169203331";

    private static DecodedTraces decode(String json) {
        return OtlpTraceDecoder.decodeJson(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A request with one resource and one scope holding the given span objects. */
    private static String request(String... spans) {
        return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                + "{\"stringValue\":\"svc\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"lib\"},\"spans\":["
                + String.join(",", spans) + "]}]}]}";
    }

    private static String span(String extraFields) {
        return "{\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + SPAN + "\",\"name\":\"op\""
                + (extraFields.isEmpty() ? "" : "," + extraFields) + "}";
    }

    private static Span only(DecodedTraces decoded) {
        assertThat(decoded.rejectedSpans()).as(decoded.rejectionMessage()).isZero();
        assertThat(decoded.spans()).hasSize(1);
        return decoded.spans().get(0);
    }

    @Test
    void decodesTheJavaScriptSdkSampleWithIdsKindsAndTypedAttributes() {
        DecodedTraces decoded = OtlpTraceDecoder.decodeJson(TestSpans.sample("otlp-traces-from-js-sdk.json"));

        assertThat(decoded.rejectedSpans()).isZero();
        assertThat(decoded.spans()).hasSize(9);
        Span client = decoded.spans().get(0);
        assertThat(client.traceId().toHex()).isEqualTo("a6cfcfeea857f611faa125e8c3bf0b22");
        assertThat(SpanId.toHex(client.spanId())).isEqualTo("19669366c2acb02a");
        assertThat(SpanId.toHex(client.parentSpanId())).isEqualTo("64f624bbce9696d3");
        assertThat(client.name()).isEqualTo("POST");
        assertThat(client.kind()).isEqualTo(SpanKind.CLIENT);
        assertThat(client.flags()).isEqualTo(257);
        assertThat(client.startEpochNanos()).isEqualTo(1_795_540_999_262_000_000L);
        assertThat(client.endEpochNanos()).isEqualTo(1_795_540_999_572_971_160L);
        // intValue arrives as a JSON number from the JS SDK
        assertThat(client.attributes().get("server.port")).contains(AttributeValue.of(3002L));
        assertThat(client.attributes().get("url.full")).contains(AttributeValue.of("http://127.0.0.1:3002/payments"));
        assertThat(client.serviceName()).isEqualTo("order-service");
        assertThat(client.resource().attributes().get("process.command_args").orElseThrow().asString())
                .isEqualTo("[/usr/bin/node,--require,./tracing.cjs,/srv/shop-probe/node/order-service.cjs]");
        assertThat(client.scope().name()).isEqualTo("@opentelemetry/instrumentation-http");
        assertThat(client.scope().version()).isEqualTo("0.223.0");
        assertThat(decoded.spans()).filteredOn(Span::isRoot).extracting(Span::kind, Span::name)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(SpanKind.SERVER, "GET /orders/:id"));
        assertThat(decoded.spans()).filteredOn(s -> s.name().equals("request handler"))
                .hasSize(3).allSatisfy(s -> assertThat(s.kind()).isEqualTo(SpanKind.INTERNAL));
    }

    @Test
    void decodesTheJavaSdkSampleWithIntValueAsStringAndEvents() {
        DecodedTraces decoded = OtlpTraceDecoder.decodeJson(TestSpans.sample("otlp-traces-from-java-sdk.json"));

        assertThat(decoded.rejectedSpans()).isZero();
        assertThat(decoded.spans()).hasSize(2);
        Span db = decoded.spans().get(0);
        assertThat(db.traceId().toHex()).isEqualTo("a488ad6b7aeced5af95dc594aafc3a33");
        assertThat(SpanId.toHex(db.spanId())).isEqualTo("ed9ee9349a4de51e");
        assertThat(SpanId.toHex(db.parentSpanId())).isEqualTo("80cb82b49644f776");
        assertThat(db.kind()).isEqualTo(SpanKind.CLIENT);
        assertThat(db.flags()).isEqualTo(259);
        assertThat(db.serviceName()).isEqualTo("java-probe-http-json-internal");
        assertThat(db.attributes()).isEqualTo(Attributes.of("db.system.name", "postgresql"));
        assertThat(db.events()).containsExactly(
                new SpanEvent(1_795_541_077_051_096_866L, "rows", Attributes.of("count", 3L), 0));
        assertThat(db.status().code()).isEqualTo(StatusCode.UNSET);
        Span server = decoded.spans().get(1);
        assertThat(server.isRoot()).isTrue();
        assertThat(server.kind()).isEqualTo(SpanKind.SERVER);
        assertThat(server.scope().name()).isEqualTo("probe");
    }

    @Test
    void jsonSampleSurvivesReencodingAsProtobufAndAsJson() {
        List<Span> spans = OtlpTraceDecoder.decodeJson(TestSpans.sample("otlp-traces-from-js-sdk.json")).spans();

        assertThat(OtlpTraceDecoder.decodeProtobuf(OtlpTraceEncoder.encodeProtobuf(spans)).spans()).isEqualTo(spans);
        assertThat(OtlpTraceDecoder.decodeJson(OtlpTraceEncoder.encodeJson(spans)).spans()).isEqualTo(spans);
    }

    @Test
    void acceptsIntValueAsNumberAndAsString() {
        Span span = only(decode(request(span("\"attributes\":["
                + "{\"key\":\"n\",\"value\":{\"intValue\":42}},"
                + "{\"key\":\"s\",\"value\":{\"intValue\":\"-9223372036854775808\"}},"
                + "{\"key\":\"f\",\"value\":{\"intValue\":7.0}}]"))));

        assertThat(span.attributes()).isEqualTo(Attributes.of("n", 42L, "s", Long.MIN_VALUE, "f", 7L));
    }

    @Test
    void acceptsTimestampsAndCountsAsNumbersOrStrings() {
        Span span = only(decode(request(span("\"startTimeUnixNano\":1795540999262000000,"
                + "\"endTimeUnixNano\":\"18446744073709551615\",\"droppedAttributesCount\":\"4\",\"flags\":\"257\""))));

        assertThat(span.startEpochNanos()).isEqualTo(1_795_540_999_262_000_000L);
        assertThat(span.endEpochNanos()).isEqualTo(-1L); // 2^64-1 keeps its bits
        assertThat(span.droppedAttributesCount()).isEqualTo(4);
        assertThat(span.flags()).isEqualTo(257);
    }

    @Test
    void acceptsDoubleValueAsNumberOrString() {
        Span span = only(decode(request(span("\"attributes\":["
                + "{\"key\":\"a\",\"value\":{\"doubleValue\":1.5}},{\"key\":\"b\",\"value\":{\"doubleValue\":2}},"
                + "{\"key\":\"c\",\"value\":{\"doubleValue\":\"NaN\"}},"
                + "{\"key\":\"d\",\"value\":{\"doubleValue\":\"-Infinity\"}},"
                + "{\"key\":\"e\",\"value\":{\"doubleValue\":\"2.5e3\"}}]"))));

        assertThat(span.attributes()).isEqualTo(Attributes.of(
                "a", 1.5, "b", 2.0, "c", Double.NaN, "d", Double.NEGATIVE_INFINITY, "e", 2500.0));
    }

    @Test
    void decodesEveryAnyValueTypeIncludingBase64BytesAndNesting() {
        Span span = only(decode(request(span("\"attributes\":["
                + "{\"key\":\"bytes\",\"value\":{\"bytesValue\":\"AAH+/w==\"}},"
                + "{\"key\":\"urlsafe\",\"value\":{\"bytesValue\":\"AAH-_w\"}},"
                + "{\"key\":\"bool\",\"value\":{\"boolValue\":true}},"
                + "{\"key\":\"arr\",\"value\":{\"arrayValue\":{\"values\":[{\"stringValue\":\"x\"},{\"intValue\":\"1\"}]}}},"
                + "{\"key\":\"kv\",\"value\":{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":{\"boolValue\":false}}]}}},"
                + "{\"key\":\"unset\",\"value\":{}},{\"key\":\"novalue\"}]"))));

        AttributeValue bytes = new AttributeValue.BytesValue(new byte[] {0, 1, (byte) 0xfe, (byte) 0xff});
        assertThat(span.attributes()).isEqualTo(Attributes.of(
                "bytes", bytes, "urlsafe", bytes, "bool", true,
                "arr", new AttributeValue.ArrayValue(List.of(AttributeValue.of("x"), AttributeValue.of(1L))),
                "kv", new AttributeValue.MapValue(Attributes.of("k", false)),
                "unset", "", "novalue", ""));
    }

    @Test
    void skipsUnknownFieldsAnywhereIncludingNestedObjectsAndArrays() {
        String json = "{\"future\":{\"a\":[1,{\"b\":null}]},\"resourceSpans\":[{\"entityRefs\":[{\"type\":\"x\"}],"
                + "\"resource\":{\"attributes\":[],\"unknown\":[[{}]]},\"scopeSpans\":[{\"scope\":{\"name\":\"lib\","
                + "\"newField\":{\"x\":1}},\"spans\":[" + span("\"newSpanField\":{\"deep\":[{\"x\":[]}]},"
                + "\"events\":[{\"name\":\"e\",\"extra\":[1,2]}],\"status\":{\"code\":2,\"detail\":{}},"
                + "\"attributes\":[{\"key\":\"k\",\"value\":{\"stringValue\":\"v\",\"hint\":true},\"meta\":{}}]")
                + "],\"extra\":7}],\"more\":\"x\"}],\"trailer\":[]}";

        Span span = only(decode(json));

        assertThat(span.attributes()).isEqualTo(Attributes.of("k", "v"));
        assertThat(span.events()).extracting(SpanEvent::name).containsExactly("e");
        assertThat(span.status().code()).isEqualTo(StatusCode.ERROR);
        assertThat(span.scope().name()).isEqualTo("lib");
    }

    @Test
    void acceptsSnakeCaseFieldNamesAndEnumNames() {
        String json = "{\"resource_spans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                + "{\"string_value\":\"svc\"}}]},\"schema_url\":\"https://s\",\"scope_spans\":[{\"spans\":[{"
                + "\"trace_id\":\"" + TRACE + "\",\"span_id\":\"" + SPAN + "\",\"parent_span_id\":\"00f067aa0ba902b7\","
                + "\"kind\":\"SPAN_KIND_PRODUCER\",\"start_time_unix_nano\":\"5\",\"end_time_unix_nano\":\"9\","
                + "\"trace_state\":\"a=b\",\"dropped_links_count\":2,"
                + "\"status\":{\"code\":\"STATUS_CODE_ERROR\",\"message\":\"boom\"}}]}]}]}";

        Span span = only(decode(json));

        assertThat(span.serviceName()).isEqualTo("svc");
        assertThat(span.resource().schemaUrl()).isEqualTo("https://s");
        assertThat(span.parentSpanId()).isEqualTo(0x00f067aa0ba902b7L);
        assertThat(span.kind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(span.startEpochNanos()).isEqualTo(5);
        assertThat(span.endEpochNanos()).isEqualTo(9);
        assertThat(span.traceState()).isEqualTo("a=b");
        assertThat(span.droppedLinksCount()).isEqualTo(2);
        assertThat(span.status().code()).isEqualTo(StatusCode.ERROR);
        assertThat(span.status().message()).isEqualTo("boom");
    }

    @Test
    void unknownEnumNumbersAndNamesMapToDefaults() {
        Span span = only(decode(request(span("\"kind\":99,\"status\":{\"code\":\"STATUS_CODE_MAYBE\"}"))));

        assertThat(span.kind()).isEqualTo(SpanKind.UNSPECIFIED);
        assertThat(span.status().code()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void nullValuesAreTreatedAsAbsent() {
        Span span = only(decode(request(span("\"parentSpanId\":null,\"attributes\":null,\"events\":null,"
                + "\"status\":null,\"kind\":null,\"startTimeUnixNano\":null"))));

        assertThat(span.isRoot()).isTrue();
        assertThat(span.attributes()).isEqualTo(Attributes.EMPTY);
        assertThat(span.kind()).isEqualTo(SpanKind.UNSPECIFIED);
    }

    @Test
    void emptyParentSpanIdAndAllZeroParentMeanNoParent() {
        DecodedTraces decoded = decode(request(span("\"parentSpanId\":\"\""),
                span("\"parentSpanId\":\"0000000000000000\"")));

        assertThat(decoded.rejectedSpans()).isZero();
        assertThat(decoded.spans()).allSatisfy(s -> assertThat(s.isRoot()).isTrue());
    }

    @Test
    void rejectsSpansWithBadIdsButKeepsTheRest() {
        DecodedTraces decoded = decode(request(
                span("\"name\":\"good\""),
                "{\"spanId\":\"" + SPAN + "\",\"name\":\"no trace id\"}",
                "{\"traceId\":\"0af7651916cd43dd8448eb211c80319\",\"spanId\":\"" + SPAN + "\"}",
                "{\"traceId\":\"00000000000000000000000000000000\",\"spanId\":\"" + SPAN + "\"}",
                "{\"traceId\":\"" + TRACE + "\",\"spanId\":\"zzzzzzzzzzzzzzzz\"}",
                "{\"traceId\":\"" + TRACE + "\",\"spanId\":\"" + SPAN + "\",\"parentSpanId\":\"abc\"}",
                "{\"traceId\":\"\",\"spanId\":\"" + SPAN + "\"}",
                span("\"name\":\"also good\"")));

        assertThat(decoded.spans()).extracting(Span::name).containsExactly("good", "also good");
        assertThat(decoded.rejectedSpans()).isEqualTo(6);
        assertThat(decoded.rejectionMessage())
                .isEqualTo("6 spans rejected: span 1 of resource 0: traceId must be 32 hex characters, got 0");
    }

    @Test
    void rejectionMessageNamesTheFirstBadSpanAndItsProblem() {
        assertThat(decode(request(span(""), "{\"traceId\":\"" + TRACE + "\",\"spanId\":\"0102\"}"))
                .rejectionMessage())
                .isEqualTo("1 span rejected: span 1 of resource 0: spanId must be 16 hex characters, got 4");
        assertThat(decode(request("{\"traceId\":\"" + TRACE + "\",\"spanId\":\"b7ad6b716920333g\"}"))
                .rejectionMessage()).contains("spanId must be hex");
        assertThat(decode(request("{\"traceId\":\"" + "0".repeat(32) + "\",\"spanId\":\"" + SPAN + "\"}"))
                .rejectionMessage()).endsWith("traceId must not be all zero");
    }

    @Test
    void dropsLinksWithBadIdsAndCountsThem() {
        Span span = only(decode(request(span("\"droppedLinksCount\":1,\"links\":["
                + "{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"1111111111111111\",\"flags\":1},"
                + "{\"traceId\":\"4bf92f\",\"spanId\":\"1111111111111111\"},"
                + "{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"0000000000000000\"},"
                + "{\"spanId\":\"1111111111111111\"}]"))));

        assertThat(span.links()).hasSize(1);
        assertThat(span.links().get(0).spanId()).isEqualTo(0x1111111111111111L);
        assertThat(span.links().get(0).flags()).isEqualTo(1);
        assertThat(span.droppedLinksCount()).isEqualTo(4);
    }

    @Test
    void resourceAndScopeArrivingAfterTheirSpansAreStillApplied() {
        String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + span("") + "," + span("\"name\":\"b\"")
                + "],\"scope\":{\"name\":\"late-lib\"}}],\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                + "\"value\":{\"stringValue\":\"late\"}}]},\"schemaUrl\":\"https://late\"}]}";

        List<Span> spans = decode(json).spans();

        assertThat(spans).hasSize(2).allSatisfy(s -> {
            assertThat(s.serviceName()).isEqualTo("late");
            assertThat(s.resource().schemaUrl()).isEqualTo("https://late");
            assertThat(s.scope().name()).isEqualTo("late-lib");
        });
        assertThat(spans.get(0).resource()).isSameAs(spans.get(1).resource());
    }

    @Test
    void emptyBodyEmptyObjectAndEmptyRequestDecodeToNoSpans() {
        assertThat(OtlpTraceDecoder.decodeJson(new byte[0])).isEqualTo(DecodedTraces.empty());
        assertThat(decode("  {} ")).isEqualTo(DecodedTraces.empty());
        assertThat(decode("{\"resourceSpans\":[]}")).isEqualTo(DecodedTraces.empty());
        assertThat(decode("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[]}]}]}")).isEqualTo(DecodedTraces.empty());
    }

    @Test
    void invalidJsonIsMalformedWithJacksonsLocation() {
        assertThatThrownBy(() -> decode("{\"resourceSpans\":[{]}"))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("invalid JSON at line 1 column 20: ");
        assertThatThrownBy(() -> decode("{\"resourceSpans\":[]"))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("invalid JSON at line 1 column ");
        assertThatThrownBy(() -> decode("not json"))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("invalid JSON at line 1 column ");
        assertThatThrownBy(() -> decode("{} {}"))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("unexpected content after the request object");
    }

    @Test
    void wrongTypesAreMalformedAndNameTheFieldAndPosition() {
        assertThatThrownBy(() -> decode("{\"resourceSpans\":{}}"))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessage("invalid OTLP JSON at line 1 column 18: 'resourceSpans' must be an array, got an object"
                        + " (at /resourceSpans)");
        assertThatThrownBy(() -> decode(request(span("\"startTimeUnixNano\":\"soon\""))))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("'startTimeUnixNano' must be an unsigned 64-bit integer, got the string \"soon\"")
                .hasMessageContaining("(at /resourceSpans/0/scopeSpans/0/spans/0/startTimeUnixNano)");
        assertThatThrownBy(() -> decode(request(span("\"attributes\":{\"key\":\"k\"}"))))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("'attributes' must be an array, got an object");
        assertThatThrownBy(() -> decode(request("{\"traceId\":42,\"spanId\":\"" + SPAN + "\"}")))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("'traceId' must be a hex string, got the number 42");
        assertThatThrownBy(() -> decode(request(span("\"attributes\":[{\"key\":\"b\",\"value\":"
                + "{\"bytesValue\":\"not base64!\"}}]"))))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("'bytesValue' must be base64");
        assertThatThrownBy(() -> decode("[]"))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("'the request' must be an object, got an array");
    }

    @Test
    void absurdlyDeepAttributeNestingIsMalformedNotAStackOverflow() {
        String deep = "{\"arrayValue\":{\"values\":[".repeat(2000) + "{\"intValue\":1}" + "]}}".repeat(2000);

        assertThatThrownBy(() -> decode(request(span("\"attributes\":[{\"key\":\"k\",\"value\":" + deep + "}]"))))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("invalid JSON at line 1 column ")
                .hasMessageContaining("nesting depth");
    }
}
