package io.spoor.protocol.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanKind;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;

/** Zipkin's own codec (io.zipkin.zipkin2) produces the input and parses the output. */
class ZipkinCodecTest {
    static final long T = 1_795_540_999_093_000L; // µs

    static zipkin2.Span server() {
        return zipkin2.Span.newBuilder().traceId("5af7183fb1d4cf5f0123456789abcdef").parentId("6b221d5bc9e6496c")
                .id("0000000000000abc").kind(zipkin2.Span.Kind.SERVER).name("get /orders/{id}").timestamp(T)
                .duration(20_500)
                .localEndpoint(Endpoint.newBuilder().serviceName("order-service").ip("10.1.2.3").port(8080).build())
                .remoteEndpoint(Endpoint.newBuilder().serviceName("frontend").ip("2001:db8::c001").port(41234).build())
                .addAnnotation(T + 100, "wr")
                .addAnnotation(T + 200, "\"exception\":{\"exception.type\":\"IOException\",\"retries\":2}")
                .putTag("http.method", "GET").putTag("error", "card declined")
                .putTag("otel.scope.name", "brave").putTag("otel.scope.version", "6.3.1")
                .build();
    }

    static zipkin2.Span client64() {
        return zipkin2.Span.newBuilder().traceId("0123456789abcdef").id("00000000000000aa").kind(
                        zipkin2.Span.Kind.CLIENT).name("select").timestamp(T).duration(7)
                .localEndpoint(Endpoint.newBuilder().serviceName("order-service").build())
                .remoteEndpoint(Endpoint.newBuilder().serviceName("postgres").build())
                .putTag("db.statement", "select 1").build();
    }

    @Test
    void decodesZipkinJsonAndProto3TheWayOpenTelemetryMapsZipkin() {
        for (byte[] body : List.of(SpanBytesEncoder.JSON_V2.encodeList(List.of(server(), client64())),
                SpanBytesEncoder.PROTO3.encodeList(List.of(server(), client64())))) {
            List<Span> spans = body[0] == '[' ? ZipkinDecoder.decodeJson(body) : ZipkinDecoder.decodeProto3(body);
            assertThat(spans).hasSize(2);
            Span s = spans.get(0);
            assertThat(s.traceId()).isEqualTo(TraceId.fromHex("5af7183fb1d4cf5f0123456789abcdef"));
            assertThat(s.spanId()).isEqualTo(0xabcL);
            assertThat(s.parentSpanId()).isEqualTo(0x6b221d5bc9e6496cL);
            assertThat(s.kind()).isEqualTo(SpanKind.SERVER);
            assertThat(s.name()).isEqualTo("get /orders/{id}");
            assertThat(s.startEpochNanos()).isEqualTo(T * 1000);
            assertThat(s.durationNanos()).isEqualTo(20_500_000L);
            assertThat(s.serviceName()).isEqualTo("order-service");
            assertThat(s.status()).isEqualTo(new Status(StatusCode.ERROR, "card declined"));
            assertThat(s.scope().name()).isEqualTo("brave");
            assertThat(s.scope().version()).isEqualTo("6.3.1");
            assertThat(s.attributes().getString("http.method")).hasValue("GET");
            assertThat(s.attributes().get("error")).isEmpty();
            assertThat(s.attributes().getString("network.local.address")).hasValue("10.1.2.3");
            assertThat(s.attributes().get("network.local.port")).hasValue(AttributeValue.of(8080L));
            assertThat(s.attributes().getString("peer.service")).hasValue("frontend");
            assertThat(s.attributes().getString("network.peer.address")).hasValue("2001:db8::c001");
            assertThat(s.attributes().get("network.peer.port")).hasValue(AttributeValue.of(41234L));
            assertThat(s.events()).containsExactly(
                    new SpanEvent((T + 100) * 1000, "wr", Attributes.EMPTY, 0),
                    new SpanEvent((T + 200) * 1000, "exception", Attributes.of("exception.type", "IOException",
                            "retries", 2L), 0));
            Span c = spans.get(1);
            assertThat(c.traceId()).isEqualTo(new TraceId(0, 0x0123456789abcdefL));
            assertThat(c.kind()).isEqualTo(SpanKind.CLIENT);
            assertThat(c.attributes().getString("peer.service")).hasValue("postgres");
            assertThat(c.resource()).isSameAs(s.resource()); // one resource per local service
        }
    }

    @Test
    void writesJsonThatZipkinsCodecReadsBackAsTheSameSpans() {
        List<zipkin2.Span> original = List.of(server(), client64());
        List<Span> model = ZipkinDecoder.decodeJson(SpanBytesEncoder.JSON_V2.encodeList(original));

        List<zipkin2.Span> back = SpanBytesDecoder.JSON_V2.decodeList(ZipkinEncoder.encodeJson(model));

        // OpenTelemetry's mapping adds otel.status_code next to the error tag; otherwise nothing changes
        assertThat(back.get(0).tags()).containsEntry("otel.status_code", "ERROR");
        Map<String, String> tags = new LinkedHashMap<>(back.get(0).tags());
        tags.remove("otel.status_code");
        zipkin2.Span withoutStatus = back.get(0).toBuilder().clearTags().build();
        for (Map.Entry<String, String> e : tags.entrySet()) {
            withoutStatus = withoutStatus.toBuilder().putTag(e.getKey(), e.getValue()).build();
        }
        assertThat(withoutStatus).isEqualTo(original.get(0));
        assertThat(back.get(1)).isEqualTo(original.get(1));
    }

    @Test
    void keepsBothHalvesOfASharedSpanAndGivesTheServerHalfItsIdBack() {
        zipkin2.Span client = zipkin2.Span.newBuilder().traceId("00000000000000010000000000000002")
                .parentId("0000000000000001").id("0000000000000003").kind(zipkin2.Span.Kind.CLIENT).name("get")
                .timestamp(T).duration(100).localEndpoint(Endpoint.newBuilder().serviceName("a").build()).build();
        zipkin2.Span server = client.toBuilder().kind(zipkin2.Span.Kind.SERVER).shared(true).timestamp(T + 10)
                .duration(80).localEndpoint(Endpoint.newBuilder().serviceName("b").build()).build();

        List<Span> model = ZipkinDecoder.decodeProto3(SpanBytesEncoder.PROTO3.encodeList(List.of(client, server)));

        assertThat(model.get(0).spanId()).isEqualTo(3);
        assertThat(model.get(1).spanId()).isEqualTo(ZipkinMapping.sharedServerSpanId(3)).isNotEqualTo(3);
        assertThat(model.get(1).parentSpanId()).isEqualTo(3);
        assertThat(SpanBytesDecoder.JSON_V2.decodeList(ZipkinEncoder.encodeJson(model)))
                .containsExactly(client, server);
    }

    @Test
    void writesOtlpSpansWithOpenTelemetrysZipkinMapping() {
        Resource resource = new Resource(Attributes.of("service.name", "checkout", "host.name", "h1"), "");
        Span span = Span.builder(new TraceId(0x11, 0x22), 0x33).parentSpanId(0x44).name("charge")
                .kind(SpanKind.INTERNAL).startEpochNanos(T * 1000 + 999).endEpochNanos(T * 1000 + 3_999_999)
                .attributes(Attributes.of("server.address", "pay.example.com", "retry", true, "ratio", 0.5,
                        "items", new AttributeValue.ArrayValue(List.of(AttributeValue.of("a"), AttributeValue.of(2L)))))
                .events(List.of(new SpanEvent(T * 1000 + 5000, "cache.miss", Attributes.of("key", "k1"), 0)))
                .status(new Status(StatusCode.OK, "")).resource(resource).build();

        zipkin2.Span z = SpanBytesDecoder.JSON_V2.decodeOne(stripList(ZipkinEncoder.encodeJson(List.of(span))));

        assertThat(z.traceId()).isEqualTo("00000000000000110000000000000022");
        assertThat(z.kind()).isNull(); // INTERNAL has no Zipkin kind
        assertThat(z.timestampAsLong()).isEqualTo(T);
        assertThat(z.durationAsLong()).isEqualTo(3_999); // truncated to whole µs
        assertThat(z.localServiceName()).isEqualTo("checkout");
        assertThat(z.remoteEndpoint()).isNull(); // server.address names a remote only for client/producer spans
        assertThat(z.tags()).containsEntry("host.name", "h1").containsEntry("retry", "true")
                .containsEntry("ratio", "0.5").containsEntry("items", "[\"a\",2]")
                .containsEntry("otel.status_code", "OK").doesNotContainKey("error");
        assertThat(z.annotations()).singleElement().satisfies(a ->
                assertThat(a.value()).isEqualTo("\"cache.miss\":{\"key\":\"k1\"}"));

        zipkin2.Span asClient = SpanBytesDecoder.JSON_V2.decodeOne(stripList(ZipkinEncoder.encodeJson(List.of(
                span.toBuilder().kind(SpanKind.CLIENT).build()))));
        assertThat(asClient.remoteServiceName()).isEqualTo("pay.example.com");
    }

    private static byte[] stripList(byte[] list) {
        String s = new String(list, StandardCharsets.UTF_8);
        return s.substring(1, s.length() - 1).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rejectsAReportWithAnyBadSpanNamingTheSpanAndField() {
        String ok = "{\"traceId\":\"0000000000000001\",\"id\":\"0000000000000002\",\"timestamp\":1,\"name\":\"x\"}";
        assertBad("{}", "expected a JSON list");
        assertBad("[" + ok + ",{\"traceId\":\"xyz\",\"id\":\"01\",\"timestamp\":1}]", "span 1: traceId");
        assertBad("[{\"traceId\":\"01\",\"id\":\"" + "1".repeat(17) + "\",\"timestamp\":1}]", "span 0: id");
        assertBad("[{\"traceId\":\"01\",\"id\":\"02\",\"timestamp\":\"soon\"}]", "timestamp");
        assertBad("[{\"traceId\":\"01\",\"id\":\"02\",\"timestamp\":-5}]", "timestamp");
        assertBad("[{\"traceId\":\"01\",\"id\":\"02\"}]", "timestamp is missing");
        assertBad("[{\"traceId\":\"01\",\"timestamp\":1}]", "id is missing");
        assertBad("[{\"traceId\":\"01\",\"id\":\"02\",\"timestamp\":1,\"kind\":\"SIDEWAYS\"}]", "kind");
        assertBad("[{\"traceId\":\"01\",\"id\":\"02\",\"timestamp\":1,\"tags\":{\"a\":{}}}]", "tags.a");
        assertBad("[{\"traceId\":1,\"id\":\"02\",\"timestamp\":1}]", "span 0: traceId must be a string");
        assertBad("[{\"traceId\":\"01\",\"id\":\"0g\",\"timestamp\":1}]", "span 0: id '0g' is not hex");
        assertBad("[{\"traceId\":\"01\",\"id\":\"02\",\"parentId\":\"\",\"timestamp\":1}]",
                "span 0: parentId must be 16 hex characters, got 0");
        assertBad("[{\"traceId\":\"" + "a".repeat(33) + "\",\"id\":\"02\",\"timestamp\":1}]",
                "traceId must be 16 or 32 hex characters, got 33");
        assertBad("[{\"traceId\":\"01\",\"id\":\"02\",\"timestamp\":1,\"name\":7}]", "span 0: name must be a string");
        assertBad("[{\"traceId\":\"01\",\"id\":\"02\",\"timestamp\":1,\"localEndpoint\":{\"serviceName\":[]}}]",
                "span 0: localEndpoint.serviceName must be a string");
        assertBad("[" + ok, "malformed JSON");
        assertBad("[" + ok + "] trailing", "malformed JSON");
        assertThatThrownBy(() -> ZipkinDecoder.decodeProto3(new byte[] {10, 5, 1, 2}))
                .isInstanceOf(ZipkinDecodeException.class).hasMessageContaining("malformed protobuf");
        assertThatThrownBy(() -> ZipkinDecoder.decodeProto3(new byte[] {10, 4, 10, 2, 1, 2}))
                .isInstanceOf(ZipkinDecodeException.class).hasMessageContaining("trace_id must be 8 or 16 bytes");
        assertThat(ZipkinDecoder.decodeJson(("[" + ok + "]").getBytes(StandardCharsets.UTF_8))).hasSize(1);
        assertThat(ZipkinDecoder.decodeJson("[]".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    private static void assertBad(String json, String message) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ZipkinDecoder.decodeJson(body))
                .isInstanceOf(ZipkinDecodeException.class).hasMessageContaining(message);
        // a slice of a larger array (the server's pooled buffer) fails the same way, with the same message
        String fromBytes = catchMessage(() -> ZipkinDecoder.decodeJson(body));
        byte[] padded = embed(body);
        assertThat(catchMessage(() -> ZipkinDecoder.decodeJson(padded, 7, body.length))).isEqualTo(fromBytes);
    }

    /** {@code body} at offset 7 of a larger array, with bytes that are not JSON around it. */
    private static byte[] embed(byte[] body) {
        byte[] padded = new byte[body.length + 12];
        java.util.Arrays.fill(padded, (byte) '}');
        System.arraycopy(body, 0, padded, 7, body.length);
        return padded;
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
        } catch (ZipkinDecodeException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ZipkinDecodeException");
    }

    @Test
    void decodesTheSameFromASliceOfALargerArrayAsFromItsOwnArray() {
        String huge = "x".repeat(300_000);
        String two = new String(SpanBytesEncoder.JSON_V2.encodeList(List.of(server(), client64())),
                StandardCharsets.UTF_8);
        String json = "[" + two.substring(1, two.length() - 1)
                // unicode in names, services and tags; a huge tag value; no name, no endpoints, no duration
                + ",{\"traceId\":\"ABCDEF\",\"id\":\"1\",\"timestamp\":5,\"name\":\"größe ✓ 𝄞\","
                + "\"localEndpoint\":{\"serviceName\":\"dienst-ü\"},\"tags\":{\"ключ\":\"значение\","
                + "\"big\":\"" + huge + "\",\"n\":42,\"b\":true}}"
                + ",{\"traceId\":\"1" + "0".repeat(15) + "f" + "\",\"id\":\"FFFFFFFFFFFFFFFF\",\"timestamp\":7}]";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);

        List<Span> fromBytes = ZipkinDecoder.decodeJson(body);
        List<Span> fromSlice = ZipkinDecoder.decodeJson(embed(body), 7, body.length);

        assertThat(fromSlice).isEqualTo(fromBytes).hasSize(4);
        Span unicode = fromBytes.get(2);
        assertThat(unicode.traceId()).isEqualTo(new TraceId(0, 0xABCDEFL));
        assertThat(unicode.spanId()).isEqualTo(1L);
        assertThat(unicode.name()).isEqualTo("größe ✓ 𝄞");
        assertThat(unicode.serviceName()).isEqualTo("dienst-ü");
        assertThat(unicode.attributes().getString("ключ")).contains("значение");
        assertThat(unicode.attributes().getString("big")).contains(huge);
        assertThat(unicode.attributes().getString("n")).contains("42");
        assertThat(unicode.endEpochNanos()).isEqualTo(unicode.startEpochNanos());
        Span odd = fromBytes.get(3); // 17 hex digits: the first is the high half
        assertThat(odd.traceId()).isEqualTo(new TraceId(1, 0xFL));
        assertThat(odd.spanId()).isEqualTo(-1L);
        assertThat(ZipkinDecoder.decodeJson(embed(new byte[0]), 7, 0)).isEmpty();
    }
}
