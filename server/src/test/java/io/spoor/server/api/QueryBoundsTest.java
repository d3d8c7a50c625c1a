package io.spoor.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spoor.model.Attributes;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import io.spoor.model.TraceId;
import io.spoor.server.config.QueryConfig;
import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import io.spoor.server.support.TestSpans;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one query request may load, on every API, sent past each bound: a trace larger than
 * {@code spoor.query.max_trace_spans} (here 5) is answered truncated and says so; a search whose traces would pass
 * that many spans is cut and says so where the format can; a search or id list past
 * {@code spoor.query.max_search_traces} (here 3), an out-of-int limit and trace ids in non-ASCII digits are 400s
 * naming the parameter; a decades-long dependency lookback is answered (cut at the retention); traces and search
 * results are streamed (no Content-Length: the answer is not built whole first).
 */
class QueryBoundsTest {
    @TempDir
    static Path dir;
    static Harness spoor;
    static TraceId big;
    static final List<TraceId> small = new ArrayList<>();
    /** 32 Arabic-Indic digits one (U+0661): Character.digit reads them as hex digits, the hex decoder does not. */
    static final String ARABIC_ID = URLEncoder.encode("\u0661".repeat(32), StandardCharsets.UTF_8);

    @BeforeAll
    static void start() throws Exception {
        spoor = Harness.start(Harness.config(dir).withQuery(QueryConfig.DEFAULTS.withLimits(5, 3)));
        long now = System.currentTimeMillis() * 1_000_000L;
        big = TestSpans.randomTraceId();
        List<Span> spans = new ArrayList<>(trace(big, 12, now - 10_000_000_000L));
        for (int i = 0; i < 3; i++) { // newer than the big one: a search finds them first
            TraceId id = TestSpans.randomTraceId();
            small.add(id);
            spans.addAll(trace(id, 2, now - (3 - i) * 1_000_000_000L));
        }
        HttpResponse<byte[]> r = spoor.http.post(spoor.otlpHttp("/v1/traces"), TestSpans.protobuf(spans),
                "Content-Type", "application/x-protobuf");
        assertThat(r.statusCode()).isEqualTo(200);
        for (int i = 0; get(spoor.api("/api/v1/traces?service=bounded"), 200).path("traces").size() < 4; i++) {
            assertThat(i).as("the four traces become searchable").isLessThan(100);
            Thread.sleep(100);
        }
    }

    static List<Span> trace(TraceId id, int n, long start) {
        Resource resource = new Resource(Attributes.of("service.name", "bounded"), "");
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            spans.add(Span.builder(id, i + 1).parentSpanId(i == 0 ? 0 : 1).name(i == 0 ? "root" : "child-" + i)
                    .kind(i == 0 ? SpanKind.SERVER : SpanKind.INTERNAL).startEpochNanos(start + i * 1_000L)
                    .endEpochNanos(start + 5_000_000L).resource(resource).build());
        }
        return spans;
    }

    @AfterAll
    static void stop() {
        spoor.close();
    }

    static HttpResponse<byte[]> send(URI uri, int status) {
        HttpResponse<byte[]> r = spoor.http.get(uri);
        assertThat(r.statusCode()).as(uri + " → " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        return r;
    }

    static JsonNode get(URI uri, int status) {
        return Http.json(send(uri, status));
    }

    static String text(URI uri, int status) {
        return new String(send(uri, status).body(), StandardCharsets.UTF_8);
    }

    static HttpResponse<byte[]> streamed(URI uri) {
        HttpResponse<byte[]> r = send(uri, 200);
        assertThat(r.headers().firstValue("content-length")).as("streamed, not built whole: " + uri).isEmpty();
        return r;
    }

    @Test
    void aTraceLargerThanTheLimitIsAnsweredTruncatedAndSaysSoOnEveryApi() {
        JsonNode nativeTrace = Http.json(streamed(spoor.api("/api/v1/traces/" + big.toHex())));
        assertThat(nativeTrace.path("spans")).hasSize(5);
        assertThat(nativeTrace.path("truncated").path("spanCount").asInt()).isEqualTo(12);
        assertThat(nativeTrace.path("truncated").path("shownSpanCount").asInt()).isEqualTo(5);
        assertThat(nativeTrace.path("truncated").path("message").asText()).contains("first 5 of 12 spans");
        // the kept spans are the earliest: the root and the start of the story
        assertThat(nativeTrace.path("spans").get(0).path("name").asText()).isEqualTo("root");

        JsonNode jaeger = Http.json(streamed(spoor.api("/api/traces/" + big.toHex()))).path("data").get(0);
        assertThat(jaeger.path("spans")).hasSize(5);
        assertThat(jaeger.path("spans").get(0).path("warnings").toString()).contains("trace truncated");

        String zipkin = new String(streamed(spoor.zipkin("/api/v2/trace/" + big.toHex())).body(),
                StandardCharsets.UTF_8);
        assertThat(Http.json(streamed(spoor.zipkin("/api/v2/trace/" + big.toHex())))).hasSize(5);
        assertThat(zipkin).contains("trace truncated: showing the first 5 of 12 spans");

        JsonNode v3 = Http.json(streamed(spoor.api("/api/v3/traces/" + big.toHex())));
        assertThat(v3.path("result").findValues("spanId")).hasSize(5);
        assertThat(v3.toString()).contains("trace truncated");
    }

    @Test
    void aSearchStopsBeforeItsTracesPassTheSpanLimitAndSaysSoWhereTheFormatCan() {
        JsonNode jaeger = Http.json(streamed(spoor.api("/api/traces?service=bounded&limit=3")));
        assertThat(jaeger.path("data")).hasSize(2); // 2 + 2 spans; a third trace would make 6 > 5
        assertThat(jaeger.path("total").asInt()).isEqualTo(2);
        assertThat(jaeger.path("errors").get(0).path("msg").asText())
                .contains("answer cut at 4 spans", "1 of 3 traces left out");

        assertThat(Http.json(streamed(spoor.zipkin("/api/v2/traces?serviceName=bounded&limit=3")))).hasSize(2);
        assertThat(Http.json(streamed(spoor.zipkin("/api/v2/traceMany?traceIds=" + small.get(0).toHex() + ","
                + small.get(1).toHex() + "," + big.toHex())))).hasSize(2);
        // a search whose first trace alone is over the limit answers that trace, truncated
        JsonNode first = Http.json(streamed(spoor.api("/api/traces?service=bounded&operation=child-11")));
        assertThat(first.path("data")).singleElement().satisfies(t -> assertThat(t.path("spans")).hasSize(5));
        // summaries are small: the native search lists all four
        assertThat(Http.json(streamed(spoor.api("/api/v1/traces?service=bounded"))).path("traces")).hasSize(4);
    }

    @Test
    void searchesPastTheTraceLimitAre400sNamingTheParameter() {
        String min = java.time.Instant.now().minusSeconds(600).toString();
        String max = java.time.Instant.now().plusSeconds(60).toString();
        assertThat(get(spoor.api("/api/traces?service=bounded&limit=4"), 400).path("errors").get(0).path("msg")
                .asText()).startsWith("limit").contains("between 1 and 3");
        assertThat(get(spoor.api("/api/v3/traces?query.service_name=bounded&query.start_time_min=" + min
                + "&query.start_time_max=" + max + "&query.search_depth=10000"), 400).path("error").path("message")
                .asText()).startsWith("query.search_depth").contains("between 1 and 3");
        assertThat(text(spoor.zipkin("/api/v2/traces?limit=4"), 400)).startsWith("limit");
        assertThat(text(spoor.zipkin("/api/v2/traces?limit=2147483648"), 400)).startsWith("limit");
        assertThat(text(spoor.zipkin("/api/v2/traces?limit=99999999999999999999999"), 400)).startsWith("limit");
        StringBuilder ids = new StringBuilder();
        StringBuilder jaegerIds = new StringBuilder();
        for (int i = 1; i <= 4; i++) {
            ids.append(i == 1 ? "" : ",").append(Long.toHexString(0x1000 + i));
            jaegerIds.append("&traceID=").append(String.format("%016x", 0x1000 + i));
        }
        assertThat(text(spoor.zipkin("/api/v2/traceMany?traceIds=" + ids), 400)).startsWith("traceIds")
                .contains("at most 3");
        assertThat(get(spoor.api("/api/traces?raw=false" + jaegerIds), 400).path("errors").get(0).path("msg")
                .asText()).contains("traceID");
    }

    @Test
    void traceIdsInNonAsciiDigitsAre400sNamingTheParameterOnEveryApi() {
        assertThat(get(spoor.api("/api/v1/traces/" + ARABIC_ID), 400).path("error").path("message").asText())
                .startsWith("traceId '");
        assertThat(get(spoor.api("/api/v1/traces?traceId=" + ARABIC_ID), 400).path("error").path("message")
                .asText()).startsWith("traceId '");
        assertThat(get(spoor.api("/api/v1/traces/" + ARABIC_ID + "/analysis"), 400).path("error").path("message")
                .asText()).startsWith("traceId '");
        assertThat(get(spoor.api("/api/traces/" + ARABIC_ID), 400).path("errors").get(0).path("msg").asText())
                .startsWith("traceId '");
        assertThat(get(spoor.api("/api/traces?traceID=" + ARABIC_ID), 400).path("errors").get(0).path("msg")
                .asText()).startsWith("traceID '");
        assertThat(get(spoor.api("/api/v3/traces/" + ARABIC_ID), 400).path("error").path("message").asText())
                .startsWith("traceId '");
        assertThat(text(spoor.zipkin("/api/v2/trace/" + ARABIC_ID), 400)).startsWith("traceId '");
        assertThat(text(spoor.zipkin("/api/v2/traceMany?traceIds=" + ARABIC_ID + "," + big.toHex()), 400))
                .startsWith("traceIds '");
        // and digits of other scripts in numbers and durations
        String arabic123 = URLEncoder.encode("\u0661\u0662\u0663", StandardCharsets.UTF_8);
        assertThat(text(spoor.zipkin("/api/v2/traces?limit=" + arabic123), 400)).startsWith("limit");
        assertThat(get(spoor.api("/api/traces?service=bounded&minDuration=" + arabic123 + "ms"), 400)
                .path("errors").get(0).path("msg").asText()).startsWith("minDuration");
        assertThat(get(spoor.api("/api/v1/traces?start=" + arabic123), 400).path("error").path("message").asText())
                .startsWith("start");
    }

    @Test
    void aDecadesLongDependencyLookbackIsAnsweredWithinTheRetention() {
        long now = System.currentTimeMillis();
        assertThat(get(spoor.api("/api/dependencies?endTs=" + now + "&lookback=99999999999"), 200).has("data"))
                .isTrue();
        assertThat(text(spoor.zipkin("/api/v2/dependencies?endTs=" + now + "&lookback=99999999999"), 200))
                .startsWith("[");
        assertThat(get(spoor.api("/api/v1/dependencies?start=0"), 200).has("dependencies")).isTrue();
        assertThat(get(spoor.api("/api/dependencies?endTs=" + now + "&lookback=999999999999999999999"), 400)
                .path("errors").get(0).path("msg").asText()).startsWith("lookback");
    }

    @Test
    void theConfigurationDefaultsAreTheQueryServiceDefaults() {
        assertThat(QueryConfig.DEFAULTS.maxTraceSpans())
                .isEqualTo(io.spoor.query.QueryLimits.DEFAULTS.maxTraceSpans());
        assertThat(QueryConfig.DEFAULTS.maxSearchTraces())
                .isEqualTo(io.spoor.query.QueryLimits.DEFAULTS.maxSearchTraces());
    }
}
