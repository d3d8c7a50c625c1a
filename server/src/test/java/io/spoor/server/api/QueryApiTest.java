package io.spoor.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spoor.model.Attributes;
import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import io.spoor.model.TraceId;
import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import io.spoor.server.support.TestSpans;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The native query API over the real embedded store. */
class QueryApiTest {
    @TempDir
    static Path dir;
    static Harness spoor;
    static TraceId slow;
    static TraceId fast;

    @BeforeAll
    static void start() throws Exception {
        spoor = Harness.start(Harness.config(dir));
        slow = TestSpans.randomTraceId();
        fast = TestSpans.randomTraceId();
        List<Span> spans = new ArrayList<>(TestSpans.trace(fast, "api-frontend", 2));
        io.spoor.model.Resource res = new io.spoor.model.Resource(Attributes.of("service.name", "api-backend"), "");
        long t0 = System.currentTimeMillis() * 1_000_000L;
        spans.add(Span.builder(slow, 42).name("SELECT orders").kind(SpanKind.CLIENT).startEpochNanos(t0)
                .endEpochNanos(t0 + 2_000_000_000L).attributes(Attributes.of("db.system", "postgresql", "rows", 7))
                .resource(res).build());
        HttpResponse<byte[]> r = spoor.http.post(spoor.otlpHttp("/v1/traces"), TestSpans.protobuf(spans),
                "Content-Type", "application/x-protobuf");
        assertThat(r.statusCode()).isEqualTo(200);
        awaitSearchable(slow);
        awaitSearchable(fast);
    }

    static void awaitSearchable(TraceId id) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (spoor.http.get(spoor.api("/api/v1/traces/" + id.toHex())).statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("trace " + id + " never became searchable");
    }

    @AfterAll
    static void stop() {
        spoor.close();
    }

    private JsonNode get(String pathAndQuery, int expectedStatus) {
        HttpResponse<byte[]> r = spoor.http.get(spoor.api(pathAndQuery));
        assertThat(r.statusCode()).as(pathAndQuery + " → " + new String(r.body())).isEqualTo(expectedStatus);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        return Http.json(r);
    }

    @Test
    void analysisOfATraceNamesItsCriticalPathAndLatencyByService() {
        JsonNode a = get("/api/v1/traces/" + slow.toHex() + "/analysis", 200);
        assertThat(a.path("traceId").asText()).isEqualTo(slow.toHex());
        JsonNode segment = a.path("criticalPath").get(0);
        assertThat(a.path("criticalPath")).hasSize(1);
        assertThat(segment.path("spanId").asText()).isEqualTo("000000000000002a");
        assertThat(Long.parseLong(segment.path("endTimeUnixNano").asText())
                - Long.parseLong(segment.path("startTimeUnixNano").asText())).isEqualTo(2_000_000_000L);
        assertThat(a.path("errorOrigin").isNull()).isTrue();
        assertThat(a.path("latencyByService").get(0).path("serviceName").asText()).isEqualTo("api-backend");
        assertThat(a.path("latencyByService").get(0).path("selfTimeNanos").asText()).isEqualTo("2000000000");
    }

    @Test
    void analysisOfAnUnknownTraceIs404() {
        JsonNode e = get("/api/v1/traces/0123456789abcdef0123456789abcdef/analysis", 404);
        assertThat(e.path("error").path("message").asText()).contains("not found");
    }

    @Test
    void returnsAWholeTraceWithTypedAttributes() {
        JsonNode t = get("/api/v1/traces/" + slow.toHex(), 200);
        assertThat(t.path("traceId").asText()).isEqualTo(slow.toHex());
        JsonNode span = t.path("spans").get(0);
        assertThat(span.path("spanId").asText()).isEqualTo("000000000000002a");
        assertThat(span.path("parentSpanId").asText()).isEmpty();
        assertThat(span.path("kind").asText()).isEqualTo("CLIENT");
        assertThat(span.path("serviceName").asText()).isEqualTo("api-backend");
        assertThat(span.path("durationNanos").asText()).isEqualTo("2000000000");
        assertThat(span.path("status").path("code").asText()).isEqualTo("UNSET");
        JsonNode attrs = span.path("attributes");
        assertThat(attrs.findValuesAsText("key")).contains("db.system", "rows");
        assertThat(attrs.toString()).contains("{\"key\":\"rows\",\"value\":{\"intValue\":\"7\"}}");
    }

    @Test
    void answers404ForAnUnknownTraceAnd400ForAMalformedId() {
        JsonNode nf = get("/api/v1/traces/0123456789abcdef0123456789abcdef", 404);
        assertThat(nf.path("error").path("code").asInt()).isEqualTo(404);
        assertThat(nf.path("error").path("message").asText())
                .isEqualTo("trace 0123456789abcdef0123456789abcdef not found");
        assertThat(get("/api/v1/traces/xyz", 400).path("error").path("message").asText())
                .contains("traceId 'xyz' is malformed");
        assertThat(get("/api/v1/traces/" + "0".repeat(32), 400).path("error").path("message").asText())
                .contains("all-zero");
        assertThat(get("/api/v1/traces/" + slow.toHex() + "?start=yesterday", 400).path("error").path("message")
                .asText()).startsWith("start");
    }

    @Test
    void acceptsATimeHintOnTraceLookup() {
        long now = System.currentTimeMillis();
        get("/api/v1/traces/" + slow.toHex() + "?start=" + (now - 3_600_000) + "&end=" + (now + 60_000), 200);
    }

    @Test
    void searchesByServiceTagAndDuration() {
        JsonNode r = get("/api/v1/traces?service=api-backend&tag=db.system=postgresql&minDuration=1.5s", 200);
        assertThat(r.path("traces").findValuesAsText("traceId")).containsExactly(slow.toHex());
        JsonNode summary = r.path("traces").get(0);
        assertThat(summary.path("rootServiceName").asText()).isEqualTo("api-backend");
        assertThat(summary.path("rootSpanName").asText()).isEqualTo("SELECT orders");
        assertThat(summary.path("spanCount").asInt()).isEqualTo(1);
        assertThat(summary.path("services").get(0).path("name").asText()).isEqualTo("api-backend");
        assertThat(get("/api/v1/traces?service=api-backend&minDuration=3s", 200).path("traces")).isEmpty();
        assertThat(get("/api/v1/traces?service=api-frontend&maxDuration=100ms&limit=5", 200).path("traces")
                .findValuesAsText("traceId")).containsExactly(fast.toHex());
        assertThat(get("/api/v1/traces?tag=rows=7&tag=db.system=postgresql", 200).path("traces")).hasSize(1);
    }

    @Test
    void looksTracesUpByIdAnsweringOnlyThoseStored() {
        String missing = "0123456789abcdef0123456789abcdef";
        JsonNode r = get("/api/v1/traces?traceId=" + missing + "&traceId=" + slow.toHex() + "&traceId="
                + fast.toHex() + "&traceId=" + slow.toHex(), 200);
        assertThat(r.path("traces").findValuesAsText("traceId")).containsExactly(slow.toHex(), fast.toHex());
        assertThat(get("/api/v1/traces?traceId=" + missing, 200).path("traces")).isEmpty();
        assertThat(message("/api/v1/traces?traceId=" + missing + "&service=api-backend"))
                .contains("cannot be combined with 'service'");
        assertThat(message("/api/v1/traces?traceId=xyz")).startsWith("traceId 'xyz' is malformed");
        assertThat(message("/api/v1/traces?" + ("traceId=" + missing + "&").repeat(51)))
                .contains("at most 50 trace ids");
    }

    @Test
    void rejectsBadSearchParametersNamingThem() {
        assertThat(message("/api/v1/traces?minDuration=fast")).startsWith("minDuration");
        assertThat(message("/api/v1/traces?maxDuration=1s&minDuration=2s")).contains("maxDuration");
        assertThat(message("/api/v1/traces?limit=0")).contains("limit");
        assertThat(message("/api/v1/traces?limit=10001")).contains("limit");
        assertThat(message("/api/v1/traces?limit=ten")).contains("limit");
        assertThat(message("/api/v1/traces?start=tomorrow")).startsWith("start");
        assertThat(message("/api/v1/traces?start=2000&end=1000")).contains("end");
        assertThat(message("/api/v1/traces?tag=novalue")).contains("tag 'novalue' must be key=value");
        assertThat(message("/api/v1/traces?service=a&service=b")).contains("service may be given once");
        assertThat(message("/api/v1/traces?lookback=1h")).contains("unknown parameter 'lookback'");
    }

    @Test
    void unknownEndpointsAndMethodsAnswerInTheApiErrorShape() {
        assertThat(get("/api/v1/nothing", 404).path("error").path("message").asText())
                .isEqualTo("no such endpoint: /api/v1/nothing (see docs/api.md)");
        HttpResponse<byte[]> r = spoor.http.post(spoor.api("/api/v1/services"), new byte[0]);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(Http.json(r).path("error").path("message").asText()).contains("read-only");
    }

    private String message(String pathAndQuery) {
        return get(pathAndQuery, 400).path("error").path("message").asText();
    }

    @Test
    void listsServicesAndOperations() {
        List<String> services = new ArrayList<>();
        get("/api/v1/services", 200).path("services").forEach(n -> services.add(n.asText()));
        assertThat(services).contains("api-backend", "api-frontend");
        JsonNode ops = get("/api/v1/services/api-backend/operations", 200).path("operations");
        assertThat(ops.get(0).path("name").asText()).isEqualTo("SELECT orders");
        assertThat(ops.get(0).path("kind").asText()).isEqualTo("CLIENT");
        assertThat(get("/api/v1/services/nobody/operations", 200).path("operations")).isEmpty();
    }

    @Test
    void answersOtherOriginsWithoutCorsHeadersByDefault() {
        HttpResponse<byte[]> r = spoor.http.send(java.net.http.HttpRequest.newBuilder(spoor.api("/api/v1/services"))
                .header("Origin", "http://localhost:5173").GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void exposesPrometheusMetricsAndHealth() {
        HttpResponse<byte[]> h = spoor.http.get(spoor.api("/health"));
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(new String(h.body())).isEqualTo("{\"status\":\"up\"}");
        String metrics = new String(spoor.http.get(spoor.api("/metrics")).body());
        assertThat(metrics).contains("spoor_storage_stored_spans 3");
        assertThat(metrics).contains("spoor_receiver_accepted_spans_total{transport=\"http\"} 3",
                "spoor_storage_stored_spans", "spoor_storage_disk_bytes", "spoor_storage_pending_spans",
                "spoor_processor_batch_batches_sent_total", "jvm_memory_used_bytes", "process_cpu_usage",
                "spoor_receiver_refused_spans_total", "spoor_receiver_rejected_spans_total");
    }
}
