package io.spoor.server.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.rpc.RetryInfo;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.pipeline.memory.MemoryLimiterConfig;
import io.spoor.server.config.SpoorConfig;
import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import io.spoor.server.support.FailingSpanStore;
import io.spoor.server.support.RawGrpc;
import io.spoor.server.support.TestSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OTLP/HTTP against a real server (in-memory store, so that failures can be injected). */
class OtlpHttpReceiverTest {
    private static final String PROTO = "application/x-protobuf";
    private static final String JSON = "application/json";

    @TempDir
    static Path dir;
    static FailingSpanStore store;
    static Harness spoor;

    @BeforeAll
    static void start() {
        store = new FailingSpanStore();
        spoor = Harness.start(Harness.config(dir), c -> store);
    }

    @AfterAll
    static void stop() {
        spoor.close();
    }

    private HttpResponse<byte[]> post(String path, byte[] body, String... headers) {
        return spoor.http.post(spoor.otlpHttp(path), body, headers);
    }

    private static String message(HttpResponse<byte[]> r) {
        String ct = r.headers().firstValue("content-type").orElse("");
        if (ct.startsWith(JSON)) {
            return Http.json(r).path("message").asText();
        }
        return Http.status(r).getMessage();
    }

    @Test
    void storesAProtobufExportAndAnswersAnEmptyResponse() throws Exception {
        TraceId id = TestSpans.randomTraceId();
        HttpResponse<byte[]> r = post("/v1/traces", TestSpans.protobuf(TestSpans.trace(id, "shop", 3)),
                "Content-Type", PROTO);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith(PROTO));
        assertThat(ExportTraceServiceResponse.parseFrom(r.body()).hasPartialSuccess()).isFalse();
        assertThat(store.trace(id, io.spoor.storage.TimeWindow.ALL)).hasValueSatisfying(
                t -> assertThat(t.spans()).hasSize(3));
    }

    @Test
    void storesAJsonExportWithCharsetAndAnswersJson() {
        TraceId id = TestSpans.randomTraceId();
        HttpResponse<byte[]> r = post("/v1/traces", TestSpans.json(TestSpans.trace(id, "shop", 2)),
                "Content-Type", "application/json; charset=utf-8");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(store.trace(id, io.spoor.storage.TimeWindow.ALL)).isPresent();
    }

    @Test
    void storesAGzippedExport() {
        TraceId id = TestSpans.randomTraceId();
        HttpResponse<byte[]> r = post("/v1/traces", RawGrpc.gzip(TestSpans.protobuf(TestSpans.trace(id, "gz", 4))),
                "Content-Type", PROTO, "Content-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(store.trace(id, io.spoor.storage.TimeWindow.ALL)).hasValueSatisfying(
                t -> assertThat(t.spans()).hasSize(4));
    }

    @Test
    void acceptsAnEmptyRequest() {
        assertThat(post("/v1/traces", new byte[0], "Content-Type", PROTO).statusCode()).isEqualTo(200);
        assertThat(post("/v1/traces", "{}".getBytes(), "Content-Type", JSON).statusCode()).isEqualTo(200);
        assertThat(post("/v1/traces", "{\"resourceSpans\":[]}".getBytes(), "Content-Type", JSON).statusCode())
                .isEqualTo(200);
    }

    @Test
    void answersPartialSuccessForSpansWithInvalidIdsAndStoresTheRest() throws Exception {
        TraceId good = TestSpans.randomTraceId();
        HttpResponse<byte[]> r = post("/v1/traces", TestSpans.withInvalidIds(good, 2).toByteArray(),
                "Content-Type", PROTO);
        assertThat(r.statusCode()).isEqualTo(200);
        ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(r.body());
        assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
        assertThat(response.getPartialSuccess().getErrorMessage()).contains("trace_id");
        assertThat(store.trace(good, io.spoor.storage.TimeWindow.ALL)).isPresent();
    }

    @Test
    void answersPartialSuccessInOtlpJsonForJsonRequests() {
        long now = System.currentTimeMillis() * 1_000_000L; // spans older than the retention would be refused
        String body = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"00000000000000000000000000000000\","
                + "\"spanId\":\"0102030405060708\",\"name\":\"zero\"},{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
                + "\"spanId\":\"0102030405060708\",\"name\":\"ok\",\"startTimeUnixNano\":\"" + (now - 1000)
                + "\",\"endTimeUnixNano\":\"" + now + "\"}]}]}]}";
        HttpResponse<byte[]> r = post("/v1/traces", body.getBytes(), "Content-Type", JSON);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode json = Http.json(r);
        assertThat(json.path("partialSuccess").path("rejectedSpans").asText()).isEqualTo("1");
        assertThat(json.path("partialSuccess").path("errorMessage").asText()).isNotEmpty();
    }

    @Test
    void answers400WhenEverySpanIsRejected() {
        int before = store.spanCount();
        HttpResponse<byte[]> r = post("/v1/traces", TestSpans.allInvalid(3).toByteArray(), "Content-Type", PROTO);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(Http.status(r).getCode()).isEqualTo(3);
        assertThat(message(r)).contains("trace_id");
        assertThat(store.spanCount()).isEqualTo(before);
    }

    @Test
    void answers400ForATruncatedProtobuf() {
        byte[] full = TestSpans.protobuf(TestSpans.trace(TestSpans.randomTraceId(), "cut", 5));
        int before = store.spanCount();
        HttpResponse<byte[]> r = post("/v1/traces", Arrays.copyOf(full, full.length / 2), "Content-Type", PROTO);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith(PROTO));
        assertThat(message(r)).startsWith("invalid protobuf");
        assertThat(store.spanCount()).isEqualTo(before);
    }

    @Test
    void answers400ForAProtobufOfAnotherMessageType() {
        byte[] metrics = io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
                        .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                                .addMetrics(io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
                                        .setName("http.server.duration").setUnit("ms"))))
                .build().toByteArray();
        int before = store.spanCount();
        HttpResponse<byte[]> r = post("/v1/traces", metrics, "Content-Type", PROTO);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(message(r)).isNotBlank();
        assertThat(store.spanCount()).isEqualTo(before);
    }

    @Test
    void answers400WithAJsonStatusForInvalidJson() {
        HttpResponse<byte[]> r = post("/v1/traces", "{\"resourceSpans\":[{".getBytes(), "Content-Type", JSON);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith(JSON));
        assertThat(Http.json(r).path("code").asInt()).isEqualTo(3);
        assertThat(message(r)).startsWith("invalid JSON");
    }

    @Test
    void answers415ForAnUnsupportedContentType() {
        HttpResponse<byte[]> r = post("/v1/traces", "hello".getBytes(), "Content-Type", "text/plain");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(message(r)).isEqualTo(
                "unsupported content type 'text/plain'; use application/x-protobuf or application/json");
        assertThat(post("/v1/traces", "hello".getBytes()).statusCode()).isEqualTo(415);
    }

    @Test
    void answers415ForAnUnsupportedContentEncoding() {
        HttpResponse<byte[]> r = post("/v1/traces", new byte[] {1, 2, 3}, "Content-Type", PROTO,
                "Content-Encoding", "br");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(message(r)).contains("unsupported content encoding 'br'");
    }

    @Test
    void answers400ForABodyThatIsNotGzip() {
        HttpResponse<byte[]> r = post("/v1/traces", "not gzip at all".getBytes(), "Content-Type", PROTO,
                "Content-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(message(r)).startsWith("invalid gzip body");
    }

    @Test
    void answers405ForOtherMethods() {
        HttpResponse<byte[]> r = spoor.http.get(spoor.otlpHttp("/v1/traces"));
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).contains("POST");
        assertThat(message(r)).contains("POST");
    }

    @Test
    void answers413ForABodyOverTheLimit() {
        byte[] big = new byte[OtlpHttpService.MAX_BODY_BYTES + 1];
        HttpResponse<byte[]> r = post("/v1/traces", big, "Content-Type", PROTO);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(message(r)).isEqualTo("request body exceeds 20 MiB after decompression");
    }

    @Test
    void answers413ForAGzipBombWithoutInflatingIt() {
        byte[] bomb = RawGrpc.gzip(new byte[64 * 1024 * 1024]); // 64 MiB of zeros, ~65 KB on the wire
        assertThat(bomb.length).isLessThan(100 * 1024);
        int before = store.spanCount();
        HttpResponse<byte[]> r = post("/v1/traces", bomb, "Content-Type", PROTO, "Content-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(message(r)).isEqualTo("request body exceeds 20 MiB after decompression");
        assertThat(store.spanCount()).isEqualTo(before);
    }

    @Test
    void answersMetricsWithAPartialSuccessSayingTheyAreNotStored() throws IOException {
        byte[] sample;
        try (InputStream in = getClass().getResourceAsStream("/samples/otlp-metrics-from-js-sdk.json")) {
            sample = in.readAllBytes();
        }
        HttpResponse<byte[]> r = post("/v1/metrics", sample, "Content-Type", JSON);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode ps = Http.json(r).path("partialSuccess");
        assertThat(ps.path("rejectedDataPoints").asLong()).isPositive();
        assertThat(ps.path("errorMessage").asText()).contains("does not store metrics");
    }

    @Test
    void answersLogsWithAPartialSuccessCountingTheRecords() throws Exception {
        byte[] logs = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder().setTimeUnixNano(1))
                        .addLogRecords(LogRecord.newBuilder().setTimeUnixNano(2)))).build().toByteArray();
        HttpResponse<byte[]> r = post("/v1/logs", logs, "Content-Type", PROTO);
        assertThat(r.statusCode()).isEqualTo(200);
        var response = io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse.parseFrom(r.body());
        assertThat(response.getPartialSuccess().getRejectedLogRecords()).isEqualTo(2);
        assertThat(response.getPartialSuccess().getErrorMessage()).contains("does not store logs");
        assertThat(post("/v1/metrics", new byte[0], "Content-Type", PROTO).statusCode()).isEqualTo(200);
        assertThat(post("/v1/metrics", "[".getBytes(), "Content-Type", JSON).statusCode()).isEqualTo(400);
        assertThat(post("/v1/logs", new byte[] {(byte) 0xff, 1}, "Content-Type", PROTO).statusCode()).isEqualTo(400);
    }

    @Test
    void answers503RetryablyWhenStorageFails() {
        store.failWrites.set(true);
        try {
            HttpResponse<byte[]> r = post("/v1/traces", TestSpans.protobuf(TestSpans.trace(TestSpans.randomTraceId(),
                    "doomed", 2)), "Content-Type", PROTO);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("retry-after")).isPresent();
            assertThat(Http.status(r).getCode()).isEqualTo(14);
            assertThat(message(r)).contains("could not be stored").containsPattern("reference [0-9a-f]{8}")
                    .doesNotContain("disk on fire"); // the exception is in Spoor's log, not in the answer
        } finally {
            store.failWrites.set(false);
        }
    }

    @Test
    void keepsServingAfterBadInput() {
        post("/v1/traces", new byte[] {(byte) 0xff, (byte) 0xff, 0x7f}, "Content-Type", PROTO);
        post("/v1/traces", "nope".getBytes(), "Content-Type", JSON);
        TraceId id = TestSpans.randomTraceId();
        assertThat(post("/v1/traces", TestSpans.protobuf(TestSpans.trace(id, "after", 1)), "Content-Type", PROTO)
                .statusCode()).isEqualTo(200);
        assertThat(spoor.http.get(spoor.api("/health")).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesWith429AndRetryAfterWhenTheMemoryLimitIsReached(@TempDir Path other) throws Exception {
        // a soft limit of 1 MiB is below any live heap: every export is refused
        SpoorConfig cfg = Harness.config(other).withPipeline(Harness.config(other).pipeline()
                .withMemoryLimiter(MemoryLimiterConfig.ofMib(1, 0)));
        FailingSpanStore s = new FailingSpanStore();
        try (Harness full = Harness.start(cfg, c -> s)) {
            List<Span> spans = TestSpans.trace(TestSpans.randomTraceId(), "refused", 3);
            HttpResponse<byte[]> r = full.http.post(full.otlpHttp("/v1/traces"), TestSpans.protobuf(spans),
                    "Content-Type", PROTO);
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("retry-after")).contains("1");
            com.google.rpc.Status status = Http.status(r);
            assertThat(status.getMessage()).contains("memory limit");
            assertThat(status.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(1);

            HttpResponse<byte[]> j = full.http.post(full.otlpHttp("/v1/traces"), TestSpans.json(spans),
                    "Content-Type", JSON);
            assertThat(j.statusCode()).isEqualTo(429);
            assertThat(Http.json(j).path("details").get(0).path("retryDelay").asText()).isEqualTo("1s");

            RawGrpc.Reply g = full.grpc().call(RawGrpc.TRACES, TestSpans.protobuf(spans), false);
            assertThat(g.status()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE.value());
            assertThat(g.statusDetails().getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds())
                    .isEqualTo(1);
            assertThat(s.spanCount()).isZero();
            String metrics = new String(full.http.get(full.api("/metrics")).body(), StandardCharsets.UTF_8);
            // refused on their Content-Length, before a byte of the body was read: counted as requests
            assertThat(metrics).containsPattern(
                    "spoor_receiver_failed_requests_total\\{reason=\"refused\",transport=\"http\"} 2");
            assertThat(metrics).containsPattern(
                    "spoor_receiver_failed_requests_total\\{reason=\"refused\",transport=\"grpc\"} 1");
        }
    }
}
