package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.spoor.pipeline.limits.SpanLimitsSettings;
import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import io.spoor.server.support.RawGrpc;
import io.spoor.server.support.SdkSpans;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesEncoder;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * spoor.limits end to end: spans past each limit, sent by real clients over OTLP/HTTP (protobuf through the OpenTelemetry
 * SDK's exporter, JSON as the SDK's OTLP marshaler writes it), OTLP/gRPC (the SDK's exporter) and Zipkin (Zipkin's
 * reporter), are stored trimmed, or refused in the answer to their own export; their neighbours are stored whole.
 * Limits are set low so that small spans cross them.
 */
class SpanLimitsEndToEndTest {
    static final SpanLimitsSettings LIMITS = SpanLimitsSettings.DEFAULTS.toBuilder()
            .attributeValueLengthLimit(64).attributeCountLimit(4).eventCountLimit(2).linkCountLimit(1)
            .eventAttributeCountLimit(1).linkAttributeCountLimit(1).spanNameLengthLimit(32).serviceNameLengthLimit(24)
            .attributeKeyLengthLimit(32).eventNameLengthLimit(16).maxSpansPerRequest(20).maxBytesPerTrace(6_000)
            .build();
    static final String LONG_SERVICE = "service-" + "s".repeat(100);

    @TempDir
    static Path dir;
    static Harness spoor;

    @BeforeAll
    static void start() {
        var config = Harness.config(dir);
        spoor = Harness.start(config.withLimits(LIMITS));
    }

    @AfterAll
    static void stop() {
        spoor.close();
    }

    // ---------------------------------------------------------------- sending

    interface Sender {
        /** Sends the spans in one export; returns what the client was told ("" for plain success). */
        String send(List<SpanData> spans) throws Exception;
    }

    /** The SDK's OTLP/HTTP protobuf exporter: it reports success or failure, nothing else. */
    static String viaHttpProtobuf(List<SpanData> spans) {
        assertThat(SdkSpans.export(OtlpHttpSpanExporter.builder().setEndpoint(spoor.otlpHttp("/v1/traces").toString())
                .build(), spans)).as("the exporter's result").isTrue();
        return "";
    }

    /** The SDK's OTLP/gRPC exporter (gzip). */
    static String viaGrpc(List<SpanData> spans) {
        assertThat(SdkSpans.export(OtlpGrpcSpanExporter.builder().setEndpoint("http://" + spoor.grpcTarget())
                .setCompression("gzip").build(), spans)).as("the exporter's result").isTrue();
        return "";
    }

    /** OTLP/JSON as the SDK's marshaler writes it, posted as a browser or Node SDK would; returns partialSuccess. */
    static String viaHttpJson(List<SpanData> spans) throws Exception {
        HttpResponse<byte[]> r = spoor.http.post(spoor.otlpHttp("/v1/traces"), SdkSpans.json(spans),
                "Content-Type", "application/json");
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode ps = Http.json(r).path("partialSuccess");
        return ps.isMissingNode() ? "" : ps.path("rejectedSpans").asText("0") + " | " + ps.path("errorMessage").asText();
    }

    /** The SDK's protobuf over raw gRPC, to read the partial success the exporter does not show. */
    static String viaGrpcRaw(List<SpanData> spans) throws Exception {
        RawGrpc.Reply r = spoor.grpc().call(RawGrpc.TRACES, SdkSpans.protobuf(spans), false);
        assertThat(r.status()).as(r.message()).isEqualTo(0);
        var ps = ExportTraceServiceResponse.parseFrom(r.message0()).getPartialSuccess();
        return ps.getRejectedSpans() + " | " + ps.getErrorMessage();
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

    static Map<String, JsonNode> byName(JsonNode trace) {
        return StreamSupport.stream(trace.path("spans").spliterator(), false)
                .collect(Collectors.toMap(s -> s.path("name").asText(), Function.identity(), (a, b) -> a));
    }

    static List<String> keys(JsonNode attributes) {
        List<String> keys = new ArrayList<>();
        attributes.forEach(a -> keys.add(a.path("key").asText()));
        return keys;
    }

    static String value(JsonNode attributes, String key) {
        for (JsonNode a : attributes) {
            if (a.path("key").asText().equals(key)) {
                return a.path("value").path("stringValue").asText();
            }
        }
        throw new AssertionError("no attribute " + key + " in " + attributes);
    }

    // ---------------------------------------------------------------- a span past every per-span limit

    /** A trace of two spans: "neighbour", within every limit, and one past every per-span limit. */
    static List<SpanData> spanPastEveryLimit(String flavour) {
        SdkSpans made = new SdkSpans();
        Resource resource = Resource.create(Attributes.builder().put("service.name", LONG_SERVICE)
                .put("a.host", "h1").put("b.pod", "p1").put("c.node", "n1").put("d.zone", "z1").put("e.region", "r1")
                .build());
        Tracer tracer = made.tracer(resource);
        Instant t0 = Instant.now().minusSeconds(5);
        Span linked = tracer.spanBuilder("linked-" + flavour).setNoParent().setStartTimestamp(t0).startSpan();
        linked.end(t0.plusMillis(1));
        Span other = tracer.spanBuilder("other-" + flavour).setNoParent().setStartTimestamp(t0).startSpan();
        other.end(t0.plusMillis(1));
        Span neighbour = tracer.spanBuilder("neighbour").setNoParent().setStartTimestamp(t0)
                .setAttribute("http.request.method", "GET").startSpan();
        Span big = tracer.spanBuilder("past-every-limit-" + "n".repeat(200))
                .setParent(Context.root().with(neighbour)).setStartTimestamp(t0.plusMillis(1))
                .setAttribute("a.long.value", "v".repeat(500))
                .setAttribute(AttributeKey.stringArrayKey("b.array"), List.of("x".repeat(100), "short"))
                .setAttribute("c." + "k".repeat(60), "long key")
                .setAttribute("d.four", 4L).setAttribute("e.five", 5L).setAttribute("f.six", 6L)
                .addLink(linked.getSpanContext(), Attributes.builder().put("l1", "a").put("l2", "b").build())
                .addLink(other.getSpanContext())
                .addLink(SpanContext.create(linked.getSpanContext().getTraceId(), "0000000000000abc",
                        linked.getSpanContext().getTraceFlags(), linked.getSpanContext().getTraceState()))
                .startSpan();
        big.addEvent("event-" + "e".repeat(40), Attributes.builder().put("x", 1L).put("y", 2L).put("z", 3L).build(),
                t0.plusMillis(2));
        big.addEvent("second", t0.plusMillis(3));
        big.addEvent("third", t0.plusMillis(4));
        big.addEvent("fourth", t0.plusMillis(5));
        big.end(t0.plusMillis(10));
        neighbour.end(t0.plusMillis(20));
        return made.spans().stream().filter(s -> s.getName().equals("neighbour") || s.getName().startsWith("past"))
                .toList();
    }

    void checkTrimmed(List<SpanData> sent) throws Exception {
        JsonNode trace = awaitTrace(sent.getFirst().getTraceId(), 2);
        Map<String, JsonNode> spans = byName(trace);
        JsonNode neighbour = spans.get("neighbour");
        assertThat(neighbour.path("attributes").toString()).contains("http.request.method");
        JsonNode big = spans.get(("past-every-limit-" + "n".repeat(200)).substring(0, 32));
        assertThat(big).as("the name cut to span_name_length_limit 32: %s", spans.keySet()).isNotNull();

        // attributes: the first 4 kept (the SDK sorts them by key), values and array elements cut to 64, keys to 32
        assertThat(keys(big.path("attributes"))).containsExactly("a.long.value", "b.array", "c." + "k".repeat(30),
                "d.four");
        assertThat(big.path("droppedAttributesCount").asInt()).isEqualTo(2);
        assertThat(value(big.path("attributes"), "a.long.value")).isEqualTo("v".repeat(64));
        assertThat(big.path("attributes").get(1).path("value").path("arrayValue").path("values").get(0)
                .path("stringValue").asText()).isEqualTo("x".repeat(64));
        // events: the first 2 kept, names cut to 16, 1 attribute each
        assertThat(big.path("events")).hasSize(2);
        assertThat(big.path("droppedEventsCount").asInt()).isEqualTo(2);
        assertThat(big.path("events").get(0).path("name").asText()).isEqualTo("event-eeeeeeeeee");
        assertThat(big.path("events").get(0).path("attributes")).hasSize(1);
        assertThat(big.path("events").get(0).path("droppedAttributesCount").asInt()).isEqualTo(2);
        // links: the first kept with 1 attribute
        assertThat(big.path("links")).hasSize(1);
        assertThat(big.path("droppedLinksCount").asInt()).isEqualTo(2);
        assertThat(big.path("links").get(0).path("attributes")).hasSize(1);
        assertThat(big.path("links").get(0).path("droppedAttributesCount").asInt()).isEqualTo(1);
        // the resource: service.name cut to 24 and kept, 3 more attributes, the rest counted
        assertThat(big.path("serviceName").asText()).isEqualTo(LONG_SERVICE.substring(0, 24));
        assertThat(neighbour.path("serviceName").asText()).isEqualTo(LONG_SERVICE.substring(0, 24));
        assertThat(keys(big.path("resource").path("attributes"))).containsExactly("a.host", "b.pod", "c.node",
                "service.name");
        assertThat(big.path("resource").path("droppedAttributesCount").asInt()).isEqualTo(2);
    }

    @Test
    void aSpanPastEveryLimitIsStoredTrimmedOverOtlpHttpProtobuf() throws Exception {
        List<SpanData> spans = spanPastEveryLimit("http");
        assertThat(viaHttpProtobuf(spans)).isEmpty();
        checkTrimmed(spans);
    }

    @Test
    void aSpanPastEveryLimitIsStoredTrimmedOverOtlpGrpc() throws Exception {
        List<SpanData> spans = spanPastEveryLimit("grpc");
        assertThat(viaGrpc(spans)).isEmpty();
        checkTrimmed(spans);
    }

    @Test
    void aSpanPastEveryLimitIsStoredTrimmedOverOtlpHttpJsonWithAWarningInPartialSuccess() throws Exception {
        List<SpanData> spans = spanPastEveryLimit("json");
        String answer = viaHttpJson(spans);
        // nothing refused: rejected 0 and a message, OTLP's form of a warning
        assertThat(answer).startsWith("0 | Spoor's limits truncated ").contains("dropped")
                .contains("(first: the resource of service \"service-ssssssssssssssssssssssssssssssss…\" (108 "
                        + "characters): 6 attributes, attribute_count_limit 4)");
        checkTrimmed(spans);
    }

    // ---------------------------------------------------------------- times

    /** A normal span and three with times Spoor refuses, all in one trace. */
    static List<SpanData> spansWithBadTimes(String flavour) {
        SdkSpans made = new SdkSpans();
        Tracer tracer = made.tracer(SdkSpans.service("times-" + flavour));
        Instant now = Instant.now();
        Span root = tracer.spanBuilder("fine").setNoParent().setStartTimestamp(now.minusSeconds(2)).startSpan();
        Context parent = Context.root().with(root);
        tracer.spanBuilder("too-old").setParent(parent).setStartTimestamp(now.minus(Duration.ofDays(8))).startSpan()
                .end(now.minus(Duration.ofDays(8)).plusMillis(5));
        tracer.spanBuilder("too-far-ahead").setParent(parent).setStartTimestamp(now).startSpan()
                .end(now.plus(Duration.ofHours(2)));
        tracer.spanBuilder("ends-before-start").setParent(parent).setStartTimestamp(now.minusSeconds(1)).startSpan()
                .end(now.minusSeconds(3));
        root.end(now.minusSeconds(1));
        return made.spans();
    }

    void checkOnlyTheFineSpanStored(List<SpanData> sent) throws Exception {
        JsonNode trace = awaitTrace(sent.getFirst().getTraceId(), 1);
        Thread.sleep(600); // a searcher refresh: nothing else of the export arrives later
        trace = awaitTrace(sent.getFirst().getTraceId(), 1);
        assertThat(byName(trace).keySet()).containsExactly("fine");
    }

    @Test
    void spansOutsideTheTimeLimitsAreRefusedAndTheirNeighbourStoredOverEachOtlpTransport() throws Exception {
        List<SpanData> http = spansWithBadTimes("http");
        viaHttpProtobuf(http);
        checkOnlyTheFineSpanStored(http);

        List<SpanData> grpc = spansWithBadTimes("grpc");
        viaGrpc(grpc);
        checkOnlyTheFineSpanStored(grpc);

        List<SpanData> raw = spansWithBadTimes("grpc-raw");
        assertThat(viaGrpcRaw(raw)).startsWith("3 | 3 spans refused by Spoor's limits: ")
                .contains("1 too_old (first: span " + spanId(raw, "too-old") + " of trace " + raw.getFirst().getTraceId()
                        + " \"too-old\": starts ")
                .contains("1 too_far_ahead (first: span " + spanId(raw, "too-far-ahead"))
                .contains("1 end_before_start (first: span " + spanId(raw, "ends-before-start"));
        checkOnlyTheFineSpanStored(raw);

        List<SpanData> json = spansWithBadTimes("json");
        assertThat(viaHttpJson(json)).startsWith("3 | 3 spans refused by Spoor's limits: ")
                .contains("older than max_span_age 7d (the store would delete it)")
                .contains("more than max_time_ahead 1h after the server's clock");
        checkOnlyTheFineSpanStored(json);
    }

    static String spanId(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow().getSpanId();
    }

    @Test
    void aSpanDatedAtOrPast2To63NanosecondsIsRefusedByName() throws Exception {
        // No SDK can make this time (it is past the year 2262), so the request is the SDK's bytes with one field set.
        List<SpanData> sdk = spansWithBadTimes("unsigned");
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.parseFrom(SdkSpans.protobuf(
                sdk.stream().filter(s -> s.getName().equals("fine")).toList())).toBuilder();
        var span = request.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0);
        var late = span.build().toBuilder().setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {9, 9, 9, 9,
                9, 9, 9, 9})).setName("year-2262").setStartTimeUnixNano(Long.MIN_VALUE).setEndTimeUnixNano(-1L);
        request.getResourceSpansBuilder(0).getScopeSpansBuilder(0).addSpans(late);

        HttpResponse<byte[]> r = spoor.http.post(spoor.otlpHttp("/v1/traces"), request.build().toByteArray(),
                "Content-Type", "application/x-protobuf");

        assertThat(r.statusCode()).isEqualTo(200);
        var ps = ExportTraceServiceResponse.parseFrom(r.body()).getPartialSuccess();
        assertThat(ps.getRejectedSpans()).isEqualTo(1);
        assertThat(ps.getErrorMessage()).contains("1 time_out_of_range (first: span 0909090909090909 of trace "
                + sdk.getFirst().getTraceId() + " \"year-2262\": start 9223372036854775808 ns, end "
                + "18446744073709551615 ns is 2^63 ns or more)");
        checkOnlyTheFineSpanStored(sdk);
    }

    // ---------------------------------------------------------------- per request and per trace

    static List<SpanData> manySpans(String service, int n) {
        SdkSpans made = new SdkSpans();
        Tracer tracer = made.tracer(SdkSpans.service(service));
        Instant t0 = Instant.now().minusSeconds(5);
        Span root = tracer.spanBuilder("root").setNoParent().setStartTimestamp(t0).startSpan();
        for (int i = 0; i < n - 1; i++) {
            tracer.spanBuilder("child-" + i).setParent(Context.root().with(root)).setStartTimestamp(t0)
                    .setAttribute("payload", "p".repeat(60)).startSpan().end(t0.plusMillis(1));
        }
        root.end(t0.plusMillis(2));
        return made.spans();
    }

    @Test
    void spansPastMaxSpansPerRequestAreRefusedAndTheFirstStored() throws Exception {
        List<SpanData> grpc = manySpans("per-request-grpc", 25);
        viaGrpc(grpc);
        assertThat(awaitTrace(grpc.getFirst().getTraceId(), 20).path("spans")).hasSize(20);

        List<SpanData> json = manySpans("per-request-json", 25);
        assertThat(viaHttpJson(json)).startsWith("5 | 5 spans refused by Spoor's limits: 5 spans_per_request "
                + "(first: span " + json.get(20).getSpanId());
        assertThat(awaitTrace(json.getFirst().getTraceId(), 20).path("spans")).hasSize(20);
    }

    @Test
    void aTraceOverItsByteBudgetHasItsFurtherSpansRefusedAndOtherTracesAreUntouched() throws Exception {
        // 138-139 bytes a span by Spoor's estimate (64 + name + key + 60-character value): 6,000 bytes hold 43
        List<SpanData> spans = manySpans("budget", 60);
        List<HttpResponse<byte[]>> answers = new ArrayList<>();
        for (int from = 0; from < spans.size(); from += 15) {
            answers.add(spoor.http.post(spoor.otlpHttp("/v1/traces"), SdkSpans.json(spans.subList(from, from + 15)),
                    "Content-Type", "application/json"));
        }
        List<SpanData> other = manySpans("budget-other", 10);
        viaHttpProtobuf(other);

        // 0-14 and 15-29 fit; of 30-44, 43 and 44 would pass 6,000 bytes; 45-59: all refused, so that export fails
        // as a whole (400, as for any export whose every span is refused)
        assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 400);
        assertThat(new String(answers.get(1).body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(Http.json(answers.get(2)).path("partialSuccess").path("errorMessage").asText())
                .isEqualTo("2 spans refused by Spoor's limits: 2 bytes_per_trace (first: span " + spans.get(43).getSpanId()
                        + " of trace " + spans.getFirst().getTraceId() + " \"child-43\" (139 bytes): its trace has "
                        + "received max_bytes_per_trace 6000 within trace_bytes_window 5m)");
        assertThat(new String(answers.get(3).body(), StandardCharsets.UTF_8)).contains("15 spans refused by Spoor's "
                + "limits: 15 bytes_per_trace");
        int refused = 17;
        JsonNode stored = awaitTrace(spans.getFirst().getTraceId(), 60 - refused);
        assertThat(stored.path("spans")).hasSize(60 - refused);
        assertThat(60 - refused).isEqualTo(43);
        assertThat(awaitTrace(other.getFirst().getTraceId(), 10).path("spans")).hasSize(10);
    }

    // ---------------------------------------------------------------- Zipkin

    @Test
    void zipkinReportsPastTheLimitsAreStoredTrimmedAndTheRefusalIsSaidInThe202() throws Exception {
        long now = System.currentTimeMillis() * 1000;
        String traceId = "5af7183fb1d4cf5f" + String.format("%016x", now);
        Endpoint local = Endpoint.newBuilder().serviceName(LONG_SERVICE).build();
        zipkin2.Span.Builder big = zipkin2.Span.newBuilder().traceId(traceId).id("0000000000000001")
                .name("zipkin-span-" + "n".repeat(100)).localEndpoint(local).timestamp(now - 5_000_000).duration(1000)
                .putTag("a.value", "v".repeat(200));
        for (int i = 0; i < 6; i++) {
            big.putTag("tag." + i, "t");
        }
        for (int i = 0; i < 4; i++) {
            big.addAnnotation(now - 4_999_000 + i, "annotation-" + i + "-" + "a".repeat(30));
        }
        zipkin2.Span neighbour = zipkin2.Span.newBuilder().traceId(traceId).id("0000000000000002").name("neighbour")
                .localEndpoint(Endpoint.newBuilder().serviceName("zipkin-ok").build()).timestamp(now - 5_000_000)
                .duration(2000).build();
        zipkin2.Span old = neighbour.toBuilder().id("0000000000000003").name("too-old")
                .timestamp(now - Duration.ofDays(9).toNanos() / 1000).build();

        try (URLConnectionSender sender = URLConnectionSender.create("http://127.0.0.1:" + spoor.server.zipkinPort()
                + "/api/v2/spans")) {
            sender.send(List.of(SpanBytesEncoder.JSON_V2.encode(big.build()),
                    SpanBytesEncoder.JSON_V2.encode(neighbour))); // throws unless 2xx
        }
        HttpResponse<byte[]> r = spoor.http.post(spoor.zipkin("/api/v2/spans"), SpanBytesEncoder.JSON_V2.encodeList(
                List.of(old, neighbour)), "Content-Type", "application/json");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("1 span refused by Spoor's limits: "
                + "1 too_old (first: span 0000000000000003 of trace " + traceId.substring(0, 32) + " \"too-old\"");
        Map<String, JsonNode> spans = byName(awaitTrace(traceId, 2));
        assertThat(spans.keySet()).containsExactlyInAnyOrder("zipkin-span-nnnnnnnnnnnnnnnnnnnn", "neighbour");
        JsonNode stored = spans.get("zipkin-span-nnnnnnnnnnnnnnnnnnnn");
        assertThat(stored.path("serviceName").asText()).isEqualTo(LONG_SERVICE.substring(0, 24));
        assertThat(stored.path("attributes")).hasSize(4);
        assertThat(stored.path("droppedAttributesCount").asInt()).isEqualTo(3);
        assertThat(value(stored.path("attributes"), "a.value")).isEqualTo("v".repeat(64));
        assertThat(stored.path("events")).hasSize(2);
        assertThat(stored.path("droppedEventsCount").asInt()).isEqualTo(2);
        assertThat(stored.path("events").get(0).path("name").asText()).isEqualTo("annotation-0-aaa");
    }

    // ---------------------------------------------------------------- metrics

    @Test
    void everyLimitIsCountedInTheMetrics() throws Exception {
        List<SpanData> spans = spanPastEveryLimit("metrics");
        viaHttpJson(spans);
        viaHttpJson(spansWithBadTimes("metrics"));
        viaHttpJson(manySpans("per-request-metrics", 21));

        String metrics = new String(spoor.http.get(spoor.api("/metrics")).body(), StandardCharsets.UTF_8);

        for (String series : List.of("spoor_limits_truncated_values_total field=\"attribute_value\"",
                "spoor_limits_truncated_values_total field=\"attribute_key\"",
                "spoor_limits_truncated_values_total field=\"span_name\"",
                "spoor_limits_truncated_values_total field=\"service_name\"",
                "spoor_limits_truncated_values_total field=\"event_name\"",
                "spoor_limits_dropped_attributes_total of=\"span\"",
                "spoor_limits_dropped_attributes_total of=\"resource\"",
                "spoor_limits_dropped_attributes_total of=\"event\"",
                "spoor_limits_dropped_attributes_total of=\"link\"",
                "spoor_limits_dropped_events_total", "spoor_limits_dropped_links_total",
                "spoor_limits_refused_spans_total reason=\"too_old\"",
                "spoor_limits_refused_spans_total reason=\"too_far_ahead\"",
                "spoor_limits_refused_spans_total reason=\"end_before_start\"",
                "spoor_limits_refused_spans_total reason=\"spans_per_request\"")) {
            assertThat(counter(metrics, series)).as(series).isPositive();
        }
        assertThat(counter(metrics, "spoor_limits_refused_spans_total reason=\"bytes_per_trace\"")).isNotNegative();
        assertThat(counter(metrics, "spoor_limits_trace_budget_evictions_total")).isNotNegative();
    }

    /** The value of a series given as "name" or "name tag=\"value\"" in Prometheus text; -1 when absent. */
    static double counter(String metrics, String series) {
        String[] parts = series.split(" ", 2);
        return metrics.lines().filter(l -> !l.startsWith("#"))
                .filter(l -> l.startsWith(parts[0] + " ") || l.startsWith(parts[0] + "{"))
                .filter(l -> parts.length == 1 || l.contains(parts[1]))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(-1);
    }
}
