package io.spoor.server.jaeger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spoor.model.Attributes;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanId;
import io.spoor.model.SpanKind;
import io.spoor.model.SpanLink;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import io.spoor.server.support.TestSpans;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jaeger query APIs, field by field against what Grafana's Jaeger data source (pkg/tsdb/jaeger) and the Jaeger UI
 * (src/api/jaeger.ts, src/types/trace.tsx) read: {@code data/total/limit/offset/errors}, traces with
 * {@code traceID, spans[spanID, operationName, references, startTime, duration, tags{key,type,value}, logs, processID,
 * warnings, flags], processes{serviceName, tags}}, dependencies {@code parent, child, callCount}; and api_v3.
 */
class JaegerApiTest {
    static final long MS = 1_000_000L;
    @TempDir
    static Path dir;
    static Harness spoor;
    static TraceId id;
    static long t0;
    static final Resource FRONTEND = new Resource(Attributes.of("service.name", "jfrontend", "host.name", "fe-1",
            "service.version", "1.0"), "");
    static final Resource BACKEND = new Resource(Attributes.of("service.name", "jbackend", "host.name", "be-1"), "");
    static final InstrumentationScope SCOPE = new InstrumentationScope("io.test", "2.0", Attributes.EMPTY);

    @BeforeAll
    static void start() throws Exception {
        spoor = Harness.start(Harness.config(dir));
        id = TestSpans.randomTraceId();
        t0 = (System.currentTimeMillis() - 60_000) * MS;
        List<Span> spans = new ArrayList<>();
        spans.add(Span.builder(id, 0x1).name("GET /checkout").kind(SpanKind.SERVER).flags(0x301)
                .startEpochNanos(t0).endEpochNanos(t0 + 100 * MS).resource(FRONTEND).scope(SCOPE)
                .attributes(Attributes.of("http.response.status_code", 200L, "http.request.method", "GET",
                        "vip", true, "ratio", 0.5)).build());
        spans.add(Span.builder(id, 0x2).parentSpanId(0x1).name("GET /stock").kind(SpanKind.CLIENT)
                .startEpochNanos(t0 + 10 * MS).endEpochNanos(t0 + 60 * MS).resource(FRONTEND).scope(SCOPE)
                .events(List.of(new SpanEvent(t0 + 20 * MS, "retry", Attributes.of("attempt", 2L), 0)))
                .links(List.of(new SpanLink(new TraceId(0, 0x77), 0x88, "", Attributes.EMPTY, 0, 0))).build());
        // the backend's clock is a second behind
        spans.add(Span.builder(id, 0x3).parentSpanId(0x2).name("GET /stock").kind(SpanKind.SERVER)
                .startEpochNanos(t0 + 10 * MS - 1000 * MS).endEpochNanos(t0 + 40 * MS - 1000 * MS)
                .status(new Status(StatusCode.ERROR, "out of stock")).resource(BACKEND).scope(SCOPE).build());
        HttpResponse<byte[]> r = spoor.http.post(spoor.otlpHttp("/v1/traces"), TestSpans.protobuf(spans),
                "Content-Type", "application/x-protobuf");
        assertThat(r.statusCode()).isEqualTo(200);
        for (int i = 0; i < 200 && spoor.http.get(spoor.api("/api/traces/" + id.toHex())).statusCode() != 200; i++) {
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() {
        spoor.close();
    }

    static JsonNode get(String pathAndQuery, int status) {
        HttpResponse<byte[]> r = spoor.http.get(spoor.api(pathAndQuery));
        assertThat(r.statusCode()).as(pathAndQuery + " → " + new String(r.body())).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("application/json"));
        return Http.json(r);
    }

    static void assertEnvelope(JsonNode n, int total) {
        assertThat(n.fieldNames()).toIterable().containsExactly("data", "total", "limit", "offset", "errors");
        assertThat(n.path("total").asInt()).isEqualTo(total);
        assertThat(n.path("limit").isInt()).isTrue();
        assertThat(n.path("offset").isInt()).isTrue();
        assertThat(n.path("errors").isNull()).isTrue();
    }

    static void assertError(JsonNode n, int code, String message) {
        assertThat(n.path("data").isNull()).isTrue();
        assertThat(n.path("errors")).singleElement().satisfies(e -> {
            assertThat(e.path("code").asInt()).isEqualTo(code);
            assertThat(e.path("msg").asText()).contains(message);
        });
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static Map<String, JsonNode> tags(JsonNode tags) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode t : tags) {
            assertThat(t.fieldNames()).toIterable().containsExactly("key", "type", "value");
            out.put(t.path("key").asText(), t);
        }
        return out;
    }

    @Test
    void listsServicesAndOperations() {
        JsonNode services = get("/api/services", 200);
        assertEnvelope(services, services.path("data").size());
        assertThat(services.path("data")).extracting(JsonNode::asText).contains("jbackend", "jfrontend");

        JsonNode ops = get("/api/services/jfrontend/operations", 200);
        assertEnvelope(ops, 2);
        assertThat(ops.path("data")).extracting(JsonNode::asText).containsExactly("GET /checkout", "GET /stock");

        JsonNode server = get("/api/operations?service=jfrontend&spanKind=server", 200);
        assertEnvelope(server, 1);
        assertThat(server.path("data").get(0).path("name").asText()).isEqualTo("GET /checkout");
        assertThat(server.path("data").get(0).path("spanKind").asText()).isEqualTo("server");
        assertThat(get("/api/operations?service=jfrontend", 200).path("data")).hasSize(2);
        assertThat(get("/api/services/nobody/operations", 200).path("data")).isEmpty();
    }

    @Test
    void returnsATraceInJaegersShapeWithClockSkewAdjustedAndWarned() {
        JsonNode answer = get("/api/traces/" + id.toHex(), 200);
        assertEnvelope(answer, 1);
        JsonNode trace = answer.path("data").get(0);
        assertThat(trace.path("traceID").asText()).isEqualTo(id.toHex());
        JsonNode processes = trace.path("processes");
        Map<Long, JsonNode> spans = new HashMap<>();
        for (JsonNode s : trace.path("spans")) {
            assertThat(s.fieldNames()).toIterable().containsExactlyInAnyOrder("traceID", "spanID", "flags",
                    "operationName", "references", "startTime", "duration", "tags", "logs", "processID", "warnings");
            assertThat(s.path("traceID").asText()).isEqualTo(id.toHex());
            assertThat(processes.has(s.path("processID").asText())).isTrue();
            spans.put(SpanId.fromHex(s.path("spanID").asText()), s);
        }
        JsonNode root = spans.get(1L);
        assertThat(root.path("operationName").asText()).isEqualTo("GET /checkout");
        assertThat(root.path("references")).isEmpty();
        assertThat(root.path("startTime").isIntegralNumber()).isTrue();
        assertThat(root.path("startTime").asLong()).isEqualTo(t0 / 1000);
        assertThat(root.path("duration").asLong()).isEqualTo(100_000);
        assertThat(root.path("flags").asInt()).isEqualTo(0x301);
        assertThat(root.path("warnings").isNull()).isTrue();
        Map<String, JsonNode> rootTags = tags(root.path("tags"));
        assertThat(rootTags.get("http.response.status_code").path("type").asText()).isEqualTo("int64");
        assertThat(rootTags.get("http.response.status_code").path("value").asLong()).isEqualTo(200);
        assertThat(rootTags.get("vip").path("type").asText()).isEqualTo("bool");
        assertThat(rootTags.get("vip").path("value").asBoolean()).isTrue();
        assertThat(rootTags.get("ratio").path("type").asText()).isEqualTo("float64");
        assertThat(rootTags.get("ratio").path("value").asDouble()).isEqualTo(0.5);
        assertThat(rootTags.get("span.kind").path("value").asText()).isEqualTo("server");
        assertThat(rootTags.get("otel.scope.name").path("value").asText()).isEqualTo("io.test");
        JsonNode rootProcess = processes.path(root.path("processID").asText());
        assertThat(rootProcess.path("serviceName").asText()).isEqualTo("jfrontend");
        assertThat(tags(rootProcess.path("tags"))).containsKeys("host.name", "service.version")
                .doesNotContainKey("service.name");

        JsonNode client = spans.get(2L);
        assertThat(client.path("references")).hasSize(2);
        assertThat(client.path("references").get(0).path("refType").asText()).isEqualTo("CHILD_OF");
        assertThat(client.path("references").get(0).path("spanID").asText()).isEqualTo(SpanId.toHex(1));
        assertThat(client.path("references").get(0).path("traceID").asText()).isEqualTo(id.toHex());
        assertThat(client.path("references").get(1).path("refType").asText()).isEqualTo("FOLLOWS_FROM");
        assertThat(client.path("references").get(1).path("traceID").asText()).isEqualTo("0000000000000077");
        JsonNode log = client.path("logs").get(0);
        assertThat(log.path("timestamp").asLong()).isEqualTo((t0 + 20 * MS) / 1000);
        Map<String, JsonNode> fields = tags(log.path("fields"));
        assertThat(fields.get("event").path("value").asText()).isEqualTo("retry");
        assertThat(fields.get("attempt").path("type").asText()).isEqualTo("int64");
        assertThat(client.path("processID").asText()).isEqualTo(root.path("processID").asText());

        JsonNode server = spans.get(3L);
        // centred in its 50 ms client parent: (50 - 30) / 2 = 10 ms after it starts
        assertThat(server.path("startTime").asLong()).isEqualTo((t0 + 20 * MS) / 1000);
        assertThat(server.path("warnings")).singleElement().satisfies(w -> assertThat(w.asText())
                .contains("clock skew adjusted").contains("+1.01s"));
        Map<String, JsonNode> serverTags = tags(server.path("tags"));
        assertThat(serverTags.get("error").path("type").asText()).isEqualTo("bool");
        assertThat(serverTags.get("error").path("value").asBoolean()).isTrue();
        assertThat(serverTags.get("otel.status_code").path("value").asText()).isEqualTo("ERROR");
        assertThat(serverTags.get("otel.status_description").path("value").asText()).isEqualTo("out of stock");
        assertThat(processes.path(server.path("processID").asText()).path("serviceName").asText())
                .isEqualTo("jbackend");

        JsonNode raw = get("/api/traces/" + id.toHex() + "?raw=true", 200).path("data").get(0);
        for (JsonNode s : raw.path("spans")) {
            if (s.path("spanID").asText().equals(SpanId.toHex(3))) {
                assertThat(s.path("startTime").asLong()).isEqualTo((t0 + 10 * MS - 1000 * MS) / 1000);
                assertThat(s.path("warnings").isNull()).isTrue();
            }
        }
    }

    @Test
    void searchesLikeJaeger() {
        long start = t0 / 1000 - 5_000_000;
        long end = System.currentTimeMillis() * 1000;
        String window = "&start=" + start + "&end=" + end;
        JsonNode all = get("/api/traces?service=jfrontend&limit=20" + window, 200);
        assertEnvelope(all, 1);
        assertThat(all.path("data").get(0).path("spans")).hasSize(3);
        assertThat(get("/api/traces?service=jbackend&tags=" + enc("{\"error\":\"true\"}") + window, 200)
                .path("data")).hasSize(1);
        assertThat(get("/api/traces?service=jfrontend&tags=" + enc("{\"error\":\"true\"}") + window, 200)
                .path("data")).isEmpty();
        assertThat(get("/api/traces?service=jfrontend&tag=http.request.method:GET&minDuration=90ms&maxDuration=1s"
                + window, 200).path("data")).hasSize(1);
        assertThat(get("/api/traces?service=jfrontend&operation=" + enc("GET /checkout") + "&minDuration=101ms", 200)
                .path("data")).isEmpty();
        assertThat(get("/api/traces?traceID=" + id.toHex(), 200).path("data")).hasSize(1);
        JsonNode empty = get("/api/traces?service=nobody", 200);
        assertEnvelope(empty, 0);
        assertThat(empty.path("data").isArray()).isTrue();
    }

    @Test
    void answersDependencies() {
        long now = System.currentTimeMillis();
        JsonNode deps = get("/api/dependencies?endTs=" + now + "&lookback=3600000", 200);
        assertEnvelope(deps, 1);
        JsonNode link = deps.path("data").get(0);
        assertThat(link.fieldNames()).toIterable().containsExactly("parent", "child", "callCount");
        assertThat(link.path("parent").asText()).isEqualTo("jfrontend");
        assertThat(link.path("child").asText()).isEqualTo("jbackend");
        assertThat(link.path("callCount").asLong()).isEqualTo(1);
        assertThat(get("/api/dependencies?endTs=1000&lookback=1000", 200).path("data")).isEmpty();

        // the native API: exactly the shape the web UI reads
        JsonNode nativeDeps = get("/api/v1/dependencies?start=" + (now - 3_600_000) + "&end=" + now, 200);
        assertThat(nativeDeps.toString()).isEqualTo(
                "{\"dependencies\":[{\"parent\":\"jfrontend\",\"child\":\"jbackend\",\"callCount\":1,\"errorCount\":1}]}");
        assertThat(get("/api/v1/dependencies", 200).path("dependencies")).hasSize(1);
        assertThat(get("/api/v1/dependencies?start=2020-01-01T00:00:00Z&end=2020-01-02T00:00:00Z", 200)
                .toString()).isEqualTo("{\"dependencies\":[]}");
    }

    @Test
    void answersApiV3WithOtlpJsonForCamelAndSnakeCaseParameters() {
        String min = Instant.ofEpochMilli(t0 / MS - 60_000).toString();
        String max = Instant.now().toString();
        for (String q : List.of("query.service_name=jbackend&query.start_time_min=" + min + "&query.start_time_max="
                        + max + "&query.search_depth=5&query.attributes=" + enc("{\"error\":\"true\"}"),
                "query.serviceName=jbackend&query.startTimeMin=" + min + "&query.startTimeMax=" + max
                        + "&query.numTraces=5&query.durationMin=1ms")) {
            JsonNode r = get("/api/v3/traces?" + q, 200);
            JsonNode rs = r.path("result").path("resourceSpans");
            assertThat(rs).hasSize(2);
            List<String> spanIds = new ArrayList<>();
            for (JsonNode resource : rs) {
                for (JsonNode ss : resource.path("scopeSpans")) {
                    for (JsonNode s : ss.path("spans")) {
                        assertThat(s.path("traceId").asText()).isEqualTo(id.toHex());
                        spanIds.add(s.path("spanId").asText());
                    }
                }
            }
            assertThat(spanIds).containsExactlyInAnyOrder(SpanId.toHex(1), SpanId.toHex(2), SpanId.toHex(3));
        }
        JsonNode byId = get("/api/v3/traces/" + id.toHex() + "?start_time=" + min + "&end_time=" + max, 200);
        assertThat(byId.path("result").path("resourceSpans").toString()).contains("spoor.warnings");
        assertThat(get("/api/v3/traces/" + id.toHex() + "?raw_traces=true", 200).toString())
                .doesNotContain("spoor.warnings");
        assertThat(get("/api/v3/services", 200).path("services")).extracting(JsonNode::asText)
                .contains("jfrontend", "jbackend");
        JsonNode ops = get("/api/v3/operations?service=jfrontend&span_kind=client", 200).path("operations");
        assertThat(ops).singleElement().satisfies(o -> {
            assertThat(o.path("name").asText()).isEqualTo("GET /stock");
            assertThat(o.path("spanKind").asText()).isEqualTo("client");
        });
        assertThat(get("/api/v3/operations?service=jfrontend&spanKind=SPAN_KIND_SERVER", 200).path("operations"))
                .hasSize(1);
    }

    @Test
    void answersBadInputWithJaegersErrorShapes() {
        assertError(get("/api/traces", 400), 400, "parameter 'service' is required");
        assertError(get("/api/traces?service=x&tags=" + enc("{not json"), 400), 400, "tags");
        assertError(get("/api/traces?service=x&tags=" + enc("[1]"), 400), 400, "tags");
        assertError(get("/api/traces?service=x&tag=novalue", 400), 400, "must be key:value");
        assertError(get("/api/traces?service=x&minDuration=fast", 400), 400, "minDuration");
        assertError(get("/api/traces?service=x&minDuration=2s&maxDuration=1s", 400), 400, "maxDuration");
        assertError(get("/api/traces?service=x&start=yesterday", 400), 400, "start");
        assertError(get("/api/traces?service=x&limit=0", 400), 400, "limit");
        assertError(get("/api/traces?service=x&limit=999999999999", 400), 400, "limit");
        assertError(get("/api/traces?service=x&start=20&end=10", 400), 400, "end");
        assertError(get("/api/traces?traceID=xyz", 400), 400, "traceID");
        assertError(get("/api/traces/xyz", 400), 400, "traceId");
        assertError(get("/api/traces/" + TestSpans.randomTraceId().toHex(), 404), 404, "trace not found");
        assertError(get("/api/operations", 400), 400, "service");
        assertError(get("/api/operations?service=x&spanKind=sideways", 400), 400, "spanKind");
        assertError(get("/api/dependencies?endTs=abc", 400), 400, "endTs");
        assertError(get("/api/dependencies?endTs=1&lookback=-1", 400), 400, "lookback");

        JsonNode v3 = get("/api/v3/traces?query.service_name=jbackend", 400);
        assertThat(v3.path("error").path("httpCode").asInt()).isEqualTo(400);
        assertThat(v3.path("error").path("message").asText()).contains("start_time_min");
        String min = Instant.now().minusSeconds(60).toString();
        String max = Instant.now().toString();
        assertThat(get("/api/v3/traces?query.start_time_min=" + min + "&query.start_time_max=" + max
                + "&query.service_name=nobody", 404).path("error").path("message").asText())
                .isEqualTo("No traces found");
        get("/api/v3/traces?query.start_time_min=noon&query.start_time_max=" + max, 400);
        get("/api/v3/traces?query.start_time_min=" + max + "&query.start_time_max=" + min, 400);
        get("/api/v3/traces?query.start_time_min=" + min + "&query.start_time_max=" + max
                + "&query.search_depth=-1", 400);
        get("/api/v3/traces?query.start_time_min=" + min + "&query.start_time_max=" + max
                + "&query.duration_min=1parsec", 400);
        get("/api/v3/traces/" + TestSpans.randomTraceId().toHex(), 404);
        get("/api/v3/traces/123", 400);
        get("/api/v3/operations", 400);

        JsonNode nativeBad = get("/api/v1/dependencies?start=tomorrow", 400);
        assertThat(nativeBad.path("error").path("message").asText()).contains("start");
        get("/api/v1/dependencies?start=2030-01-02T00:00:00Z&end=2030-01-01T00:00:00Z", 400);
        get("/api/v1/dependencies?lookback=1h", 400);
        get("/api/v1/traces/" + id.toHex() + "?raw=maybe", 400);
        get("/api/services", 200); // and still serving
    }
}
