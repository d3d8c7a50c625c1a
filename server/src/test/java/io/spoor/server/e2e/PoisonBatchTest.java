package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.spoor.server.support.ChildSpoor;
import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import io.spoor.server.support.SdkSpans;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesEncoder;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * The regression test of issue 10's poison batch: seven normal spans, one whose name is 40 KB and one whose service
 * name is 40 KB, in one export, over each protocol, with the default settings. Before spoor.limits the index refused
 * the over-long terms and every span of the batch (and of the batches indexed with it) was acknowledged and then lost.
 * Now all nine are acknowledged and readable by id, after a restart and after a {@code kill -9} too.
 */
class PoisonBatchTest {
    static final String FORTY_KB = "p".repeat(40 * 1024);

    /** One trace: seven normal spans, one with a 40 KB name, and one of a service whose name is 40 KB. */
    static List<SpanData> poisonBatch(String flavour) {
        SdkSpans normal = new SdkSpans();
        SdkSpans poisoned = new SdkSpans();
        Tracer tracer = normal.tracer(SdkSpans.service("poison-" + flavour));
        Instant t0 = Instant.now().minusSeconds(10);
        Span root = tracer.spanBuilder("checkout").setNoParent().setStartTimestamp(t0).startSpan();
        for (int i = 0; i < 6; i++) {
            tracer.spanBuilder("step-" + i).setParent(Context.root().with(root)).setStartTimestamp(t0.plusMillis(i))
                    .setAttribute("step", i).startSpan().end(t0.plusMillis(i + 1));
        }
        tracer.spanBuilder(FORTY_KB).setParent(Context.root().with(root)).setStartTimestamp(t0.plusMillis(7))
                .startSpan().end(t0.plusMillis(8));
        SpanContext parent = root.getSpanContext();
        poisoned.tracer(SdkSpans.service(FORTY_KB)).spanBuilder("called")
                .setParent(Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(parent.getTraceId(),
                        parent.getSpanId(), parent.getTraceFlags(), parent.getTraceState()))))
                .setStartTimestamp(t0.plusMillis(9)).startSpan().end(t0.plusMillis(10));
        root.end(t0.plusMillis(20));
        List<SpanData> spans = SdkSpans.all(normal, poisoned);
        assertThat(spans).hasSize(9);
        return spans;
    }

    /** The same batch as Zipkin spans, as Zipkin's own library writes them. */
    static List<byte[]> zipkinPoisonBatch(String traceId) {
        long t0 = (System.currentTimeMillis() - 10_000) * 1000;
        Endpoint local = Endpoint.newBuilder().serviceName("poison-zipkin").build();
        List<byte[]> out = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            out.add(SpanBytesEncoder.JSON_V2.encode(zipkin2.Span.newBuilder().traceId(traceId)
                    .id(String.format("%016x", i)).parentId(i == 1 ? null : "0000000000000001").name("step-" + i)
                    .localEndpoint(local).timestamp(t0 + i).duration(10).build()));
        }
        out.add(SpanBytesEncoder.JSON_V2.encode(zipkin2.Span.newBuilder().traceId(traceId).id("0000000000000008")
                .parentId("0000000000000001").name(FORTY_KB).localEndpoint(local).timestamp(t0 + 8).duration(10)
                .build()));
        out.add(SpanBytesEncoder.JSON_V2.encode(zipkin2.Span.newBuilder().traceId(traceId).id("0000000000000009")
                .parentId("0000000000000001").name("called")
                .localEndpoint(Endpoint.newBuilder().serviceName(FORTY_KB).build()).timestamp(t0 + 9).duration(10)
                .build()));
        return out;
    }

    static Set<String> spanIds(List<SpanData> spans) {
        Set<String> ids = new HashSet<>();
        spans.forEach(s -> ids.add(s.getSpanId()));
        return ids;
    }

    /** The span ids stored for the trace, waiting up to 10 s for {@code expected} of them. */
    static Set<String> storedSpanIds(Http http, URI trace, int expected) throws InterruptedException {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            HttpResponse<byte[]> r = http.get(trace);
            if (r.statusCode() == 200) {
                ids.clear();
                for (JsonNode s : Http.json(r).path("spans")) {
                    ids.add(s.path("spanId").asText());
                }
                if (ids.size() >= expected) {
                    return ids;
                }
            }
            Thread.sleep(100);
        }
        return ids;
    }

    @Test
    void everySpanOfAPoisonBatchIsAcknowledgedAndReadableOverEachProtocolAlsoAfterARestart(@TempDir Path dir)
            throws Exception {
        Map<String, Set<String>> sent = new LinkedHashMap<>(); // trace id -> span ids
        try (Harness spoor = Harness.start(Harness.config(dir))) {
            List<SpanData> http = poisonBatch("http");
            assertThat(SdkSpans.export(OtlpHttpSpanExporter.builder()
                    .setEndpoint(spoor.otlpHttp("/v1/traces").toString()).build(), http)).isTrue();
            sent.put(http.getFirst().getTraceId(), spanIds(http));

            List<SpanData> grpc = poisonBatch("grpc");
            assertThat(SdkSpans.export(OtlpGrpcSpanExporter.builder().setEndpoint("http://" + spoor.grpcTarget())
                    .build(), grpc)).isTrue();
            sent.put(grpc.getFirst().getTraceId(), spanIds(grpc));

            List<SpanData> json = poisonBatch("json");
            HttpResponse<byte[]> r = spoor.http.post(spoor.otlpHttp("/v1/traces"), SdkSpans.json(json),
                    "Content-Type", "application/json");
            assertThat(r.statusCode()).isEqualTo(200);
            // acknowledged whole: nothing rejected, the truncations said as a warning
            assertThat(Http.json(r).path("partialSuccess").path("rejectedSpans").asText("0")).isEqualTo("0");
            assertThat(Http.json(r).path("partialSuccess").path("errorMessage").asText())
                    .startsWith("Spoor's limits truncated 2 values");
            sent.put(json.getFirst().getTraceId(), spanIds(json));

            String zipkinTrace = "5af7183fb1d4cf5f" + String.format("%016x", System.nanoTime());
            try (URLConnectionSender sender = URLConnectionSender.create("http://127.0.0.1:"
                    + spoor.server.zipkinPort() + "/api/v2/spans")) {
                sender.send(zipkinPoisonBatch(zipkinTrace)); // one report; throws unless 2xx
            }
            Set<String> zipkinIds = new HashSet<>();
            for (int i = 1; i <= 9; i++) {
                zipkinIds.add(String.format("%016x", i));
            }
            sent.put(zipkinTrace, zipkinIds);

            for (Map.Entry<String, Set<String>> e : sent.entrySet()) {
                assertThat(storedSpanIds(spoor.http, spoor.api("/api/v1/traces/" + e.getKey()), 9))
                        .as("trace %s", e.getKey()).isEqualTo(e.getValue());
            }
        }
        try (Harness restarted = Harness.start(Harness.config(dir))) {
            for (Map.Entry<String, Set<String>> e : sent.entrySet()) {
                assertThat(storedSpanIds(restarted.http, restarted.api("/api/v1/traces/" + e.getKey()), 9))
                        .as("trace %s after a restart", e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void aPoisonBatchAcknowledgedJustBeforeAKill9IsWholeAfterTheRestart(@TempDir Path dir) throws Exception {
        Map<String, Set<String>> sent = new LinkedHashMap<>();
        try (ChildSpoor child = ChildSpoor.start(dir, "512m", null)) {
            List<SpanData> http = poisonBatch("kill-http");
            assertThat(SdkSpans.export(OtlpHttpSpanExporter.builder()
                    .setEndpoint("http://127.0.0.1:" + child.otlpHttpPort + "/v1/traces").build(), http)).isTrue();
            sent.put(http.getFirst().getTraceId(), spanIds(http));
            List<SpanData> grpc = poisonBatch("kill-grpc");
            assertThat(SdkSpans.export(OtlpGrpcSpanExporter.builder()
                    .setEndpoint("http://127.0.0.1:" + child.grpcPort).build(), grpc)).isTrue();
            sent.put(grpc.getFirst().getTraceId(), spanIds(grpc));
            child.kill(); // right after the acknowledgements: before the index commits them
        }
        try (Harness after = Harness.start(Harness.config(dir))) {
            for (Map.Entry<String, Set<String>> e : sent.entrySet()) {
                assertThat(storedSpanIds(after.http, after.api("/api/v1/traces/" + e.getKey()), 9))
                        .as("trace %s after kill -9", e.getKey()).isEqualTo(e.getValue());
            }
        }
    }
}
