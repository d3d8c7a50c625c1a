package io.spoor.server.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpRequestWriter;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.pipeline.IngestPipeline;
import io.spoor.pipeline.limits.SpanLimiter;
import io.spoor.pipeline.limits.SpanLimitsSettings;
import io.spoor.pipeline.memory.MemoryLimiter;
import io.spoor.pipeline.memory.MemoryLimiterSettings;
import io.spoor.server.receiver.otlp.OtlpGrpcErrors;
import io.spoor.server.receiver.otlp.OtlpGrpcServices;
import io.spoor.server.receiver.otlp.OtlpHttpService;
import io.spoor.server.support.RawGrpc;
import io.spoor.server.support.RawHttp;
import io.spoor.server.support.TestSpans;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receivers' body admission against a real Armeria server and the real memory limiter, whose live-heap reading
 * the test sets: memory is reserved as a body arrives (not after it was read), a refusal comes mid-body, and every
 * reservation is released when its request ends.
 */
class BodyAdmissionTest {
    private static final int MAX_BODY = 20 * 1024 * 1024;
    private static final int MAX_GRPC_MESSAGE = 4 * 1024 * 1024;
    /** limit 100 MiB, spike 20: soft limit 80 MiB of heap; each wire byte reserves 8. */
    private static final long SOFT_LIMIT = 80L * MemoryLimiterSettings.MIB;

    private final AtomicLong liveHeap = new AtomicLong();
    private final List<Span> stored = new CopyOnWriteArrayList<>();
    private MemoryLimiter limiter;
    private Server server;
    private WebClient grpcClient;

    @BeforeEach
    void start() {
        limiter = new MemoryLimiter(MemoryLimiterSettings.ofMib(100, 20), liveHeap::get);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestPipeline pipeline = new IngestPipeline(limiter, spans -> {
            stored.addAll(spans);
            return CompletableFuture.completedFuture(null);
        }, List.of(), registry);
        SpanReceiver receiver = new SpanReceiver(pipeline, new ReceiverMetrics(registry), new SpanLimiter(
                SpanLimitsSettings.DEFAULTS, Duration.ofDays(7), Clock.systemUTC(), registry));
        ServerBuilder sb = Server.builder().http(0).maxRequestLength(MAX_BODY)
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO);
        sb.route().path("/v1/traces").decorator(BodyAdmission.http(pipeline, Duration.ofSeconds(30)))
                .build(new OtlpHttpService(Signal.TRACES, receiver, MAX_BODY));
        GrpcServiceBuilder grpc = GrpcService.builder().supportedSerializationFormats(GrpcSerializationFormats.PROTO)
                .maxRequestMessageLength(MAX_GRPC_MESSAGE)
                .exceptionHandler(OtlpGrpcErrors.bodyRejections(receiver.metrics()));
        OtlpGrpcServices.all(receiver).forEach(grpc::addService);
        sb.service(grpc.build(), BodyAdmission.grpc(pipeline, Duration.ofSeconds(30), MAX_GRPC_MESSAGE));
        server = sb.build();
        server.start().join();
        grpcClient = WebClient.builder("h2c://127.0.0.1:" + server.activeLocalPort())
                .factory(ClientFactory.ofDefault()).responseTimeoutMillis(30_000).build();
    }

    @AfterEach
    void stop() {
        server.stop().join();
    }

    @Test
    void reservesTheWholeContentLengthBeforeTheBodyArrivesAndReleasesItOnceStored() {
        TraceId id = TestSpans.randomTraceId();
        byte[] body = TestSpans.protobuf(TestSpans.trace(id, "announced", 50));
        try (RawHttp http = new RawHttp(server.activeLocalPort())) {
            http.head("POST /v1/traces HTTP/1.1", "Content-Type: application/x-protobuf",
                    "Content-Length: " + body.length).write(Arrays.copyOf(body, 10));
            awaitReserved(8L * body.length);
            http.write(Arrays.copyOfRange(body, 10, body.length));
            assertThat(http.read().status()).isEqualTo(200);
        }
        awaitReserved(0);
        assertThat(stored).hasSize(50);
    }

    @Test
    void growsTheReservationAsAChunkedBodyArrivesAndRefusesMidBodyWithoutReadingTheRest() {
        try (RawHttp http = new RawHttp(server.activeLocalPort())) {
            http.head("POST /v1/traces HTTP/1.1", "Content-Type: application/x-protobuf",
                    "Transfer-Encoding: chunked").chunk(new byte[64 * 1024]);
            awaitReserved(8L * 64 * 1024);
            liveHeap.set(SOFT_LIMIT); // the heap fills up while the body is still arriving
            http.chunk(new byte[1024]);
            // answered although the body never ended: its last chunk was not sent
            RawHttp.Response r = http.read();
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.header("retry-after")).isEqualTo("1");
        }
        awaitReserved(0);
        assertThat(stored).isEmpty();
    }

    @Test
    void refusesOnTheContentLengthAloneWhenItDoesNotFit() {
        liveHeap.set(SOFT_LIMIT - 8L * 1024 * 1024);
        try (RawHttp http = new RawHttp(server.activeLocalPort())) {
            // 2 MiB would take 16 MiB of heap: refused before a byte of the body is sent
            http.head("POST /v1/traces HTTP/1.1", "Content-Type: application/json", "Content-Length: 2097152");
            RawHttp.Response r = http.read();
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.text()).contains("memory limit");
        }
        awaitReserved(0);
    }

    @Test
    void reservesAGrpcMessageByItsLengthPrefixAndReleasesItOnceStored() {
        byte[] message = TestSpans.protobuf(TestSpans.trace(TestSpans.randomTraceId(), "grpc-prefix", 40));
        byte[] frame = ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message)
                .array();
        HttpRequestWriter req = HttpRequest.streaming(grpcHeaders());
        CompletableFuture<AggregatedHttpResponse> response = grpcClient.execute(req).aggregate();
        req.write(HttpData.wrap(Arrays.copyOf(frame, 7)));
        awaitReserved(8L * frame.length);
        req.write(HttpData.wrap(Arrays.copyOfRange(frame, 7, frame.length)));
        req.close();
        assertThat(response.join().trailers().get("grpc-status")).isEqualTo("0");
        awaitReserved(0);
        assertThat(stored).hasSize(40);
    }

    @Test
    void refusesAGrpcMessageAnnouncedOverTheLimitBeforeItArrives() {
        HttpRequestWriter req = HttpRequest.streaming(grpcHeaders());
        CompletableFuture<AggregatedHttpResponse> response = grpcClient.execute(req).aggregate();
        req.write(HttpData.wrap(ByteBuffer.allocate(105).put((byte) 0).putInt(5 * 1024 * 1024).array()));
        AggregatedHttpResponse r = response.join(); // the rest of the 5 MiB never comes
        var trailers = r.trailers().isEmpty() ? r.headers() : r.trailers();
        assertThat(trailers.get("grpc-status")).isEqualTo("8"); // RESOURCE_EXHAUSTED
        assertThat(trailers.get("grpc-message")).contains("exceeds the limit of 4194304 bytes");
        req.abort();
        awaitReserved(0);
    }

    @Test
    void refusesAGrpcMessageRetryablyWhenItsPrefixDoesNotFit() throws Exception {
        liveHeap.set(SOFT_LIMIT);
        HttpRequestWriter req = HttpRequest.streaming(grpcHeaders());
        CompletableFuture<AggregatedHttpResponse> response = grpcClient.execute(req).aggregate();
        req.write(HttpData.wrap(ByteBuffer.allocate(5).put((byte) 0).putInt(1000).array()));
        AggregatedHttpResponse r = response.join();
        var trailers = r.trailers().isEmpty() ? r.headers() : r.trailers();
        assertThat(trailers.get("grpc-status")).isEqualTo("14"); // UNAVAILABLE
        assertThat(trailers.get("grpc-status-details-bin")).isNotNull(); // with RetryInfo
        req.abort();
        awaitReserved(0);
    }

    @Test
    void releasesTheReservationOfABodyTheClientAbandons() throws Exception {
        RawHttp http = new RawHttp(server.activeLocalPort());
        http.head("POST /v1/traces HTTP/1.1", "Content-Type: application/x-protobuf", "Content-Length: 100000")
                .write(new byte[10]);
        awaitReserved(800_000);
        http.close(); // gone mid-body
        awaitReserved(0);
    }

    private RequestHeaders grpcHeaders() {
        return RequestHeaders.builder(HttpMethod.POST, RawGrpc.TRACES).contentType(MediaType.parse("application/grpc"))
                .add("te", "trailers").build();
    }

    /** Waits (bounded) until the limiter holds exactly {@code heapBytes} for admitted requests. */
    private void awaitReserved(long heapBytes) {
        LongSupplier reserved = limiter::reservedHeapBytes;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (reserved.getAsLong() != heapBytes && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertThat(reserved.getAsLong()).as("heap bytes reserved").isEqualTo(heapBytes);
    }
}
