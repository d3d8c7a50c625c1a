package io.spoor.server.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpRequestWriter;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import io.spoor.pipeline.memory.MemoryLimiterConfig;
import io.spoor.server.config.SpoorConfig;
import io.spoor.server.support.Harness;
import io.spoor.server.support.FailingSpanStore;
import io.spoor.server.support.RawGrpc;
import io.spoor.server.support.RawHttp;
import io.spoor.server.support.RawHttp2;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every network-level limit of the receivers, sent past by a hostile client against the real server: connections
 * and HTTP/2 streams per listener, a body that stalls (or claims a framing it does not have), a Content-Length or a
 * gRPC length prefix over the limit, a body refused by the memory limiter before it is sent. Nothing is stored and
 * the answer comes at once, not when the client gives up.
 */
class ReceiverLimitsTest {
    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(1);
    private static final int OTLP_HTTP_CONNECTIONS = 3;
    private static final int GRPC_STREAMS = 2;

    @TempDir
    static Path dir;
    static FailingSpanStore store;
    static Harness spoor;
    static WebClient grpc;

    @BeforeAll
    static void start() {
        store = new FailingSpanStore();
        ReceiverSettings.Listener defaults = ReceiverSettings.Listener.DEFAULTS;
        ReceiverSettings limits = new ReceiverSettings(
                new ReceiverSettings.Listener(defaults.maxConnections(), GRPC_STREAMS, BODY_TIMEOUT),
                new ReceiverSettings.Listener(OTLP_HTTP_CONNECTIONS, defaults.maxConcurrentStreams(), BODY_TIMEOUT),
                new ReceiverSettings.Listener(defaults.maxConnections(), defaults.maxConcurrentStreams(),
                        BODY_TIMEOUT));
        spoor = Harness.start(Harness.config(dir).withReceivers(limits), c -> store);
        grpc = WebClient.builder("h2c://127.0.0.1:" + spoor.server.otlpGrpcPort()).factory(ClientFactory.ofDefault())
                .responseTimeoutMillis(30_000).build();
    }

    @AfterAll
    static void stop() {
        spoor.close();
    }

    @Test
    void answers408AndClosesTheConnectionWhenAChunkedHeaderComesWithAnUnchunkedBody() {
        for (int port : new int[] {spoor.server.otlpHttpPort(), spoor.server.zipkinPort()}) {
            String path = port == spoor.server.zipkinPort() ? "/api/v2/spans" : "/v1/traces";
            try (RawHttp http = new RawHttp(port)) {
                http.head("POST " + path + " HTTP/1.1", "Content-Type: application/json",
                        "Transfer-Encoding: chunked").write("{\"resourceSpans\":[]}");
                RawHttp.Response r = http.read();
                assertThat(r.status()).isEqualTo(408);
                assertThat(r.text()).contains("stopped arriving");
                assertThat(http.closedByServerWithin(10_000)).as("connection closed").isTrue();
            }
        }
        assertThat(store.spanCount()).isZero();
    }

    @Test
    void answers408WhenABodyStopsShortOfItsContentLength() {
        try (RawHttp http = new RawHttp(spoor.server.otlpHttpPort())) {
            http.head("POST /v1/traces HTTP/1.1", "Content-Type: application/x-protobuf", "Content-Length: 1000")
                    .write(new byte[10]);
            assertThat(http.read().status()).isEqualTo(408);
            assertThat(http.closedByServerWithin(10_000)).isTrue();
        }
    }

    @Test
    void answersDeadlineExceededWhenAGrpcMessageStopsArriving() {
        HttpRequestWriter req = HttpRequest.streaming(grpcHeaders());
        CompletableFuture<AggregatedHttpResponse> response = grpc.execute(req).aggregate();
        req.write(HttpData.wrap(ByteBuffer.allocate(8).put((byte) 0).putInt(100).array())); // 3 of 100 bytes
        HttpHeaders trailers = trailers(response.join());
        assertThat(trailers.get("grpc-status")).isEqualTo("4"); // DEADLINE_EXCEEDED
        assertThat(trailers.get("grpc-message")).contains("stopped arriving");
        req.abort();
    }

    @Test
    void refusesAContentLengthOverTheLimitWith413BeforeTheBodyIsSent() {
        for (int port : new int[] {spoor.server.otlpHttpPort(), spoor.server.zipkinPort()}) {
            String path = port == spoor.server.zipkinPort() ? "/api/v2/spans" : "/v1/traces";
            try (RawHttp http = new RawHttp(port)) {
                http.head("POST " + path + " HTTP/1.1", "Content-Type: application/json",
                        "Content-Length: 1073741824");
                RawHttp.Response r = http.read();
                assertThat(r.status()).isEqualTo(413);
                assertThat(r.text()).contains("20 MiB");
            }
        }
    }

    @Test
    void refusesAGzipBombOnTheZipkinPortWith413() {
        byte[] bomb = RawGrpc.gzip(new byte[64 * 1024 * 1024]);
        var r = spoor.http.post(spoor.zipkin("/api/v2/spans"), bomb, "Content-Type", "application/json",
                "Content-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(new String(r.body())).isEqualTo("request body exceeds 20 MiB after decompression");
        assertThat(store.spanCount()).isZero();
    }

    @Test
    void closesConnectionsOverTheCapAndAcceptsAgainOnceOneCloses() {
        RawHttp[] open = new RawHttp[OTLP_HTTP_CONNECTIONS];
        try {
            for (int i = 0; i < open.length; i++) {
                open[i] = new RawHttp(spoor.server.otlpHttpPort());
                open[i].head("GET /v1/traces HTTP/1.1");
                assertThat(open[i].read().status()).isEqualTo(405); // accepted and kept alive
            }
            try (RawHttp extra = new RawHttp(spoor.server.otlpHttpPort())) {
                assertThat(extra.closedByServerWithin(10_000)).as("one connection too many").isTrue();
            }
            open[0].close();
            open[0] = null;
            assertThat(acceptedWithin(10_000)).as("a freed slot is usable again").isTrue();
        } finally {
            for (RawHttp h : open) {
                if (h != null) {
                    h.close();
                }
            }
        }
    }

    /** The server sees a closed connection a moment after the client closes it; retry until a slot is free. */
    private static boolean acceptedWithin(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            try (RawHttp h = new RawHttp(spoor.server.otlpHttpPort())) {
                h.head("GET /v1/traces HTTP/1.1");
                if (h.read().status() == 405) {
                    return true;
                }
            } catch (RuntimeException e) {
                // closed: not yet
            }
        }
        return false;
    }

    @Test
    void refusesHttp2StreamsOverTheCapWithRefusedStream() {
        try (RawHttp2 h2 = new RawHttp2(spoor.server.otlpGrpcPort())) {
            assertThat(h2.serverSetting(RawHttp2.SETTINGS_MAX_CONCURRENT_STREAMS)).isEqualTo((long) GRPC_STREAMS);
            h2.openStream(1, RawGrpc.TRACES, "application/grpc");
            h2.openStream(3, RawGrpc.TRACES, "application/grpc");
            h2.openStream(5, RawGrpc.TRACES, "application/grpc"); // one more than allowed
            RawHttp2.Frame f = h2.awaitResetOrHeaders(5);
            assertThat(f.isReset()).isTrue();
            assertThat(f.errorCode()).isEqualTo(RawHttp2.REFUSED_STREAM);
        }
    }

    @Test
    void refusesBodiesTheMemoryLimiterCannotTakeBeforeTheyAreSent(@TempDir Path other) {
        // a soft limit of 1 MiB is below any live heap: every body is refused on its announced size alone
        SpoorConfig cfg = Harness.config(other).withPipeline(Harness.config(other).pipeline()
                .withMemoryLimiter(MemoryLimiterConfig.ofMib(1, 0)));
        FailingSpanStore s = new FailingSpanStore();
        try (Harness full = Harness.start(cfg, c -> s)) {
            try (RawHttp http = new RawHttp(full.server.otlpHttpPort())) {
                http.head("POST /v1/traces HTTP/1.1", "Content-Type: application/x-protobuf",
                        "Content-Length: 1000000");
                RawHttp.Response r = http.read();
                assertThat(r.status()).isEqualTo(429);
                assertThat(r.header("retry-after")).isEqualTo("1");
            }
            try (RawHttp http = new RawHttp(full.server.zipkinPort())) {
                http.head("POST /api/v2/spans HTTP/1.1", "Content-Type: application/json",
                        "Content-Length: 1000000");
                RawHttp.Response r = http.read();
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.header("retry-after")).isEqualTo("1");
                assertThat(r.text()).contains("memory limit");
            }
            WebClient client = WebClient.builder("h2c://127.0.0.1:" + full.server.otlpGrpcPort())
                    .factory(ClientFactory.ofDefault()).build();
            HttpRequestWriter req = HttpRequest.streaming(grpcHeaders());
            CompletableFuture<AggregatedHttpResponse> response = client.execute(req).aggregate();
            req.write(HttpData.wrap(ByteBuffer.allocate(5).put((byte) 0).putInt(1_000_000).array()));
            HttpHeaders trailers = trailers(response.join());
            assertThat(trailers.get("grpc-status")).isEqualTo("14"); // UNAVAILABLE, with RetryInfo
            assertThat(trailers.get("grpc-status-details-bin")).isNotNull();
            req.abort();
            assertThat(s.spanCount()).isZero();
        }
    }

    private static RequestHeaders grpcHeaders() {
        return RequestHeaders.builder(HttpMethod.POST, RawGrpc.TRACES).contentType(MediaType.parse("application/grpc"))
                .add("te", "trailers").build();
    }

    private static HttpHeaders trailers(AggregatedHttpResponse r) {
        return r.trailers().isEmpty() ? r.headers() : r.trailers();
    }
}
