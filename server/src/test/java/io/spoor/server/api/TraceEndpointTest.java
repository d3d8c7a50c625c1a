package io.spoor.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.server.http.JsonResponses;
import io.spoor.server.support.Harness;
import io.spoor.server.support.Http;
import io.spoor.server.support.TestSpans;
import io.spoor.storage.SpanStore;
import io.spoor.storage.memory.InMemorySpanStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /api/v1/traces/{id} for a trace larger than the streaming window: the body streamed in chunks, gzipped when
 * the client accepts it and the same JSON either way; and concurrent lookups of one trace read the store once.
 */
class TraceEndpointTest {
    static final int SPANS = 4_000;
    @TempDir
    static Path dir;
    static Harness spoor;
    static final AtomicInteger storeReads = new AtomicInteger();
    static volatile long readDelayMillis;
    static TraceId big;

    /** The in-memory store, counting (and optionally slowing down) whole-trace reads. */
    static SpanStore countingStore() {
        InMemorySpanStore store = new InMemorySpanStore();
        return (SpanStore) Proxy.newProxyInstance(SpanStore.class.getClassLoader(), new Class<?>[] {SpanStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("trace")) {
                        storeReads.incrementAndGet();
                        Thread.sleep(readDelayMillis);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @BeforeAll
    static void start() throws Exception {
        spoor = Harness.start(Harness.config(dir), config -> countingStore());
        big = TestSpans.randomTraceId();
        List<Span> spans = TestSpans.trace(big, "stream-svc", SPANS);
        assertThat(spoor.http.post(spoor.otlpHttp("/v1/traces"), TestSpans.protobuf(spans),
                "Content-Type", "application/x-protobuf").statusCode()).isEqualTo(200);
        for (int i = 0; i < 100 && spoor.http.get(spoor.api("/api/v1/traces/" + big.toHex())).statusCode() != 200; i++) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        spoor.close();
    }

    static HttpResponse<byte[]> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(spoor.api(path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return spoor.http.send(b.build());
    }

    static byte[] gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    @Test
    void aLargeTraceIsTheSameJsonStreamedPlainOrGzipped() throws Exception {
        HttpResponse<byte[]> plain = get("/api/v1/traces/" + big.toHex());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
        assertThat(plain.headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        assertThat(plain.body().length).as("larger than the streaming window")
                .isGreaterThan(2 * JsonResponses.ChunkedBody.WINDOW * JsonResponses.ChunkedBody.CHUNK);
        JsonNode trace = Http.json(plain);
        assertThat(trace.path("traceId").asText()).isEqualTo(big.toHex());
        assertThat(trace.path("spans")).hasSize(SPANS);
        assertThat(trace.path("spans").get(SPANS - 1).path("traceId").asText()).isEqualTo(big.toHex());

        HttpResponse<byte[]> zipped = get("/api/v1/traces/" + big.toHex(), "Accept-Encoding", "gzip, deflate, br");
        assertThat(zipped.statusCode()).isEqualTo(200);
        assertThat(zipped.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(zipped.headers().firstValue("vary")).hasValueSatisfying(
                v -> assertThat(v.toLowerCase()).contains("accept-encoding"));
        assertThat(zipped.body().length).isLessThan(plain.body().length / 5);
        assertThat(gunzip(zipped.body())).isEqualTo(plain.body());
    }

    @Test
    void aMissingTraceIsStillA404WithAJsonError() {
        HttpResponse<byte[]> r = get("/api/v1/traces/" + TestSpans.randomTraceId().toHex(), "Accept-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(Http.json(r).path("error").path("message").asText()).contains("not found");
    }

    @Test
    void concurrentRequestsForOneTraceShareOneStoreRead() {
        readDelayMillis = 500;
        try {
            storeReads.set(0);
            String path = "/api/v1/traces/" + big.toHex();
            var trace = CompletableFuture.supplyAsync(() -> get(path, "Accept-Encoding", "gzip"));
            var analysis = CompletableFuture.supplyAsync(() -> get(path + "/analysis"));
            assertThat(trace.join().statusCode()).isEqualTo(200);
            assertThat(analysis.join().statusCode()).isEqualTo(200);
            assertThat(Http.json(analysis.join()).path("criticalPath")).isNotEmpty();
            assertThat(storeReads).as("one read for both requests").hasValue(1);

            // nothing is cached: a later request reads again
            assertThat(get(path).statusCode()).isEqualTo(200);
            assertThat(storeReads).hasValue(2);
        } finally {
            readDelayMillis = 0;
        }
    }

    @Test
    void gzipIsUsedOnlyWhenAccepted() {
        assertThat(JsonResponses.acceptsGzip(null)).isFalse();
        assertThat(JsonResponses.acceptsGzip("")).isFalse();
        assertThat(JsonResponses.acceptsGzip("gzip, deflate, br, zstd")).isTrue();
        assertThat(JsonResponses.acceptsGzip("br;q=1.0, GZIP;q=0.5")).isTrue();
        assertThat(JsonResponses.acceptsGzip("x-gzip")).isTrue();
        assertThat(JsonResponses.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(JsonResponses.acceptsGzip("identity")).isFalse();
        assertThat(JsonResponses.acceptsGzip("deflate, br")).isFalse();
        assertThat(JsonResponses.acceptsGzip("*")).isTrue();
        assertThat(JsonResponses.acceptsGzip("*;q=0.1, gzip;q=0")).isFalse();
        assertThat(JsonResponses.acceptsGzip("gzip;q=junk")).isFalse();
    }
}
