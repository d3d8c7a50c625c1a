package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients: the OpenTelemetry Java SDK exports a two-service trace over OTLP/gRPC (gzip) and over
 * http/protobuf, and the JS SDK's OTLP JSON body is posted as is; everything comes back through /api/v1.
 */
class OpenTelemetrySdkEndToEndTest {
    @TempDir
    static Path dir;
    static Harness spoor;

    @BeforeAll
    static void start() {
        spoor = Harness.start(Harness.config(dir));
    }

    @AfterAll
    static void stop() {
        spoor.close();
    }

    /** A checkout trace across "frontend" and "payments", exported through the given exporters. */
    static String exportCheckout(Supplier<SpanExporter> exporters, String flavour) {
        SdkTracerProvider frontend = provider("frontend-" + flavour, exporters.get());
        SdkTracerProvider payments = provider("payments-" + flavour, exporters.get());
        try {
            Tracer ft = frontend.get("shop.web", "1.2.3");
            Tracer pt = payments.get("shop.payments", "4.5.6");
            Instant t0 = Instant.now().minusSeconds(5);

            Span linked = ft.spanBuilder("enqueue audit").setSpanKind(SpanKind.PRODUCER).setNoParent()
                    .setStartTimestamp(t0).startSpan();
            linked.end(t0.plusMillis(1));

            Span root = ft.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER).setNoParent()
                    .setStartTimestamp(t0)
                    .setAttribute("http.request.method", "GET")
                    .setAttribute("http.response.status_code", 500L)
                    .setAttribute("shop.cart.total", 99.5)
                    .setAttribute("shop.vip", true)
                    .setAttribute(AttributeKey.stringArrayKey("shop.items"), List.of("book", "pen"))
                    .setAttribute(AttributeKey.longArrayKey("shop.quantities"), List.of(1L, 3L))
                    .setAttribute(AttributeKey.doubleArrayKey("shop.prices"), List.of(9.5, 0.25))
                    .setAttribute(AttributeKey.booleanArrayKey("shop.flags"), List.of(true, false))
                    .startSpan();
            Span client = ft.spanBuilder("POST /pay").setSpanKind(SpanKind.CLIENT)
                    .setParent(Context.root().with(root)).setStartTimestamp(t0.plusMillis(10)).startSpan();
            // the server side of the call, in another service: the parent arrives by context propagation
            SpanContext remoteParent = SpanContext.createFromRemoteParent(client.getSpanContext().getTraceId(),
                    client.getSpanContext().getSpanId(), client.getSpanContext().getTraceFlags(),
                    client.getSpanContext().getTraceState());
            Span server = pt.spanBuilder("POST /pay").setSpanKind(SpanKind.SERVER)
                    .setParent(Context.root().with(Span.wrap(remoteParent)))
                    .addLink(linked.getSpanContext(), Attributes.of(AttributeKey.stringKey("link.reason"), "audit"))
                    .setStartTimestamp(t0.plusMillis(20)).startSpan();
            Span charge = pt.spanBuilder("charge card").setSpanKind(SpanKind.INTERNAL)
                    .setParent(Context.root().with(server)).setStartTimestamp(t0.plusMillis(30)).startSpan();
            charge.recordException(new IllegalStateException("card declined"));
            charge.setStatus(StatusCode.ERROR, "card declined");
            charge.end(t0.plusMillis(1500));
            server.setStatus(StatusCode.ERROR);
            server.end(t0.plusMillis(1600));
            client.end(t0.plusMillis(1700));
            root.setStatus(StatusCode.ERROR, "payment failed");
            root.end(t0.plusMillis(1800));
            return root.getSpanContext().getTraceId();
        } finally {
            flush(payments);
            flush(frontend);
        }
    }

    private static void flush(SdkTracerProvider p) {
        CompletableResultCode flushed = p.forceFlush().join(20, TimeUnit.SECONDS);
        assertThat(flushed.isSuccess()).as("export acknowledged").isTrue();
        p.shutdown().join(10, TimeUnit.SECONDS);
    }

    private static SdkTracerProvider provider(String service, SpanExporter exporter) {
        return SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), service,
                        AttributeKey.stringKey("deployment.environment.name"), "test"))))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    }

    static JsonNode awaitTrace(String traceId, int spans) throws InterruptedException {
        JsonNode last = null;
        for (int i = 0; i < 100; i++) {
            HttpResponse<byte[]> r = spoor.http.get(spoor.api("/api/v1/traces/" + traceId));
            if (r.statusCode() == 200) {
                last = Http.json(r);
                if (last.path("spans").size() >= spans) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("trace " + traceId + " incomplete: " + last);
    }

    @Test
    void aTraceExportedOverGrpcWithGzipComesBackWhole() throws Exception {
        String id = exportCheckout(() -> OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://" + spoor.grpcTarget()).setCompression("gzip").build(), "grpc");
        checkCheckout(id, "grpc");
    }

    @Test
    void aTraceExportedOverHttpProtobufComesBackWhole() throws Exception {
        String id = exportCheckout(() -> OtlpHttpSpanExporter.builder()
                .setEndpoint(spoor.otlpHttp("/v1/traces").toString()).build(), "http");
        checkCheckout(id, "http");
    }

    private void checkCheckout(String traceId, String flavour) throws Exception {
        JsonNode trace = awaitTrace(traceId, 4);
        Map<String, JsonNode> byName = new HashMap<>();
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode s : trace.path("spans")) {
            byName.put(s.path("serviceName").asText() + " " + s.path("name").asText(), s);
            byId.put(s.path("spanId").asText(), s);
            assertThat(s.path("traceId").asText()).isEqualTo(traceId);
        }
        assertThat(trace.path("spans")).hasSize(4);
        JsonNode root = byName.get("frontend-" + flavour + " GET /checkout");
        JsonNode client = byName.get("frontend-" + flavour + " POST /pay");
        JsonNode server = byName.get("payments-" + flavour + " POST /pay");
        JsonNode charge = byName.get("payments-" + flavour + " charge card");
        assertThat(List.of(root, client, server, charge)).doesNotContainNull();

        // parents across the two services
        assertThat(root.path("parentSpanId").asText()).isEmpty();
        assertThat(client.path("parentSpanId").asText()).isEqualTo(root.path("spanId").asText());
        assertThat(server.path("parentSpanId").asText()).isEqualTo(client.path("spanId").asText());
        assertThat(charge.path("parentSpanId").asText()).isEqualTo(server.path("spanId").asText());

        // kinds, status, timing
        assertThat(List.of(root, client, server, charge)).extracting(s -> s.path("kind").asText())
                .containsExactly("SERVER", "CLIENT", "SERVER", "INTERNAL");
        assertThat(root.path("status").path("code").asText()).isEqualTo("ERROR");
        assertThat(root.path("status").path("message").asText()).isEqualTo("payment failed");
        assertThat(charge.path("status").path("message").asText()).isEqualTo("card declined");
        assertThat(root.path("durationNanos").asLong()).isEqualTo(1_800_000_000L);

        // attributes of every type keep their types
        Map<String, JsonNode> attrs = attributes(root.path("attributes"));
        assertThat(attrs.get("http.request.method").path("stringValue").asText()).isEqualTo("GET");
        assertThat(attrs.get("http.response.status_code").path("intValue").asText()).isEqualTo("500");
        assertThat(attrs.get("shop.cart.total").path("doubleValue").asDouble()).isEqualTo(99.5);
        assertThat(attrs.get("shop.vip").path("boolValue").asBoolean()).isTrue();
        assertThat(attrs.get("shop.items").path("arrayValue").path("values").findValuesAsText("stringValue"))
                .containsExactly("book", "pen");
        assertThat(attrs.get("shop.quantities").path("arrayValue").path("values").findValuesAsText("intValue"))
                .containsExactly("1", "3");
        assertThat(attrs.get("shop.prices").path("arrayValue").path("values").get(1).path("doubleValue").asDouble())
                .isEqualTo(0.25);
        assertThat(attrs.get("shop.flags").path("arrayValue").path("values").get(0).path("boolValue").asBoolean())
                .isTrue();

        // the exception event
        JsonNode event = charge.path("events").get(0);
        assertThat(event.path("name").asText()).isEqualTo("exception");
        Map<String, JsonNode> eventAttrs = attributes(event.path("attributes"));
        assertThat(eventAttrs.get("exception.type").path("stringValue").asText())
                .isEqualTo("java.lang.IllegalStateException");
        assertThat(eventAttrs.get("exception.message").path("stringValue").asText()).isEqualTo("card declined");
        assertThat(eventAttrs.get("exception.stacktrace").path("stringValue").asText()).contains("exportCheckout");

        // the link to a span of another trace
        JsonNode link = server.path("links").get(0);
        assertThat(link.path("traceId").asText()).isNotEqualTo(traceId).hasSize(32);
        assertThat(attributes(link.path("attributes")).get("link.reason").path("stringValue").asText())
                .isEqualTo("audit");

        // resource and scope
        Map<String, JsonNode> res = attributes(server.path("resource").path("attributes"));
        assertThat(res.get("service.name").path("stringValue").asText()).isEqualTo("payments-" + flavour);
        assertThat(res.get("telemetry.sdk.language").path("stringValue").asText()).isEqualTo("java");
        assertThat(server.path("scope").path("name").asText()).isEqualTo("shop.payments");
        assertThat(server.path("scope").path("version").asText()).isEqualTo("4.5.6");

        // search finds it by service, tag and duration
        String service = "payments-" + flavour;
        assertThat(search("service=" + service)).contains(traceId);
        assertThat(search("service=" + service + "&tag=exception.type=java.lang.IllegalStateException"))
                .isEmpty(); // event attributes are not span tags
        assertThat(search("service=frontend-" + flavour + "&tag=http.response.status_code=500&minDuration=1.5s"))
                .containsExactly(traceId);
        assertThat(search("service=frontend-" + flavour + "&tag=deployment.environment.name=test"
                + "&operation=GET%20/checkout")).containsExactly(traceId);
        assertThat(search("service=frontend-" + flavour + "&minDuration=2s")).isEmpty();
        JsonNode summary = Http.json(spoor.http.get(spoor.api("/api/v1/traces?service=" + service)))
                .path("traces").get(0);
        assertThat(summary.path("rootServiceName").asText()).isEqualTo("frontend-" + flavour);
        assertThat(summary.path("rootSpanName").asText()).isEqualTo("GET /checkout");
        assertThat(summary.path("spanCount").asInt()).isEqualTo(4);
        assertThat(summary.path("errorCount").asInt()).isEqualTo(3);
        assertThat(summary.path("services")).hasSize(2);

        JsonNode ops = Http.json(spoor.http.get(spoor.api("/api/v1/services/" + service + "/operations")));
        assertThat(ops.path("operations").findValuesAsText("name")).containsExactly("POST /pay", "charge card");
    }

    private static List<String> search(String query) {
        HttpResponse<byte[]> r = spoor.http.get(spoor.api("/api/v1/traces?" + query));
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        return Http.json(r).path("traces").findValuesAsText("traceId");
    }

    private static Map<String, JsonNode> attributes(JsonNode keyValues) {
        Map<String, JsonNode> m = new HashMap<>();
        for (JsonNode kv : keyValues) {
            m.put(kv.path("key").asText(), kv.path("value"));
        }
        return m;
    }

    @Test
    void theJsSdkOtlpJsonExportIsAcceptedAndRoundTrips() throws Exception {
        byte[] body;
        try (InputStream in = getClass().getResourceAsStream("/samples/otlp-traces-from-js-sdk.json")) {
            body = movedToNow(in.readAllBytes());
        }
        HttpResponse<byte[]> r = spoor.http.post(spoor.otlpHttp("/v1/traces"), body,
                "Content-Type", "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body())).isEqualTo("{}");

        JsonNode sample = Http.JSON.readTree(body);
        int checked = 0;
        for (JsonNode rs : sample.path("resourceSpans")) {
            Map<String, JsonNode> resource = attributes(rs.path("resource").path("attributes"));
            for (JsonNode ss : rs.path("scopeSpans")) {
                for (JsonNode expected : ss.path("spans")) {
                    String traceId = expected.path("traceId").asText();
                    JsonNode trace = awaitTrace(traceId, 1);
                    JsonNode actual = null;
                    for (JsonNode s : trace.path("spans")) {
                        if (s.path("spanId").asText().equals(expected.path("spanId").asText())) {
                            actual = s;
                        }
                    }
                    assertThat(actual).as("span " + expected.path("spanId")).isNotNull();
                    assertThat(actual.path("name").asText()).isEqualTo(expected.path("name").asText());
                    assertThat(actual.path("parentSpanId").asText()).isEqualTo(expected.path("parentSpanId").asText(""));
                    assertThat(actual.path("kind").asText()).isEqualTo(
                            io.spoor.model.SpanKind.fromWire(expected.path("kind").asInt()).name());
                    assertThat(actual.path("startTimeUnixNano").asText())
                            .isEqualTo(expected.path("startTimeUnixNano").asText());
                    assertThat(actual.path("endTimeUnixNano").asText())
                            .isEqualTo(expected.path("endTimeUnixNano").asText());
                    assertThat(actual.path("serviceName").asText()).isEqualTo("order-service");
                    assertThat(actual.path("scope").path("name").asText()).isEqualTo(ss.path("scope").path("name").asText());
                    assertSameAttributes(actual.path("attributes"), expected.path("attributes"));
                    assertSameAttributes(actual.path("resource").path("attributes"), rs.path("resource").path("attributes"));
                    assertThat(attributes(actual.path("resource").path("attributes")).keySet())
                            .isEqualTo(resource.keySet());
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(9);
        assertThat(search("service=order-service&operation=GET%20/orders/:id")).hasSize(3);
    }

    /** Same keys and values; JS writes intValue as a JSON number, Spoor as a string (both are valid OTLP JSON). */
    private static void assertSameAttributes(JsonNode actual, JsonNode expected) {
        Map<String, JsonNode> a = attributes(actual);
        Map<String, JsonNode> e = attributes(expected);
        assertThat(a.keySet()).isEqualTo(e.keySet());
        for (Map.Entry<String, JsonNode> en : e.entrySet()) {
            JsonNode ev = en.getValue();
            JsonNode av = a.get(en.getKey());
            Iterator<String> types = ev.fieldNames();
            String type = types.next();
            assertThat(av.has(type)).as(en.getKey() + " keeps type " + type + ": " + av).isTrue();
            if (!type.equals("arrayValue") && !type.equals("kvlistValue")) {
                assertThat(av.path(type).asText()).as(en.getKey()).isEqualTo(ev.path(type).asText());
            } else {
                assertThat(av.path(type).path("values").size()).isEqualTo(ev.path(type).path("values").size());
            }
        }
    }

    /**
     * The recorded export with every time moved by the same amount so that its first span started a minute ago:
     * spans older than the store's retention are refused (spoor.limits.max_span_age), and the recording ages.
     */
    static byte[] movedToNow(byte[] body) {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Pattern time = java.util.regex.Pattern.compile("\"(\\w*[tT]imeUnixNano)\":\"(\\d+)\"");
        java.util.regex.Matcher m = time.matcher(text);
        long first = Long.MAX_VALUE;
        while (m.find()) {
            first = Math.min(first, Long.parseLong(m.group(2)));
        }
        long shift = (System.currentTimeMillis() - 60_000) * 1_000_000L - first;
        StringBuilder out = new StringBuilder();
        m.reset();
        while (m.find()) {
            m.appendReplacement(out, "\"" + m.group(1) + "\":\"" + (Long.parseLong(m.group(2)) + shift) + "\"");
        }
        m.appendTail(out);
        return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
