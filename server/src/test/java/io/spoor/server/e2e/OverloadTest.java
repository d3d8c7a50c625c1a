package io.spoor.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spoor.model.TraceId;
import io.spoor.server.support.ChildSpoor;
import io.spoor.server.support.Http;
import io.spoor.server.support.RawGrpc;
import io.spoor.server.support.TestSpans;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with a small heap hammered far above what it can store: it refuses retryably (429 / UNAVAILABLE)
 * instead of falling over, stays healthy, and stores every span it acknowledged.
 */
class OverloadTest {
    private static final int CLIENTS = 8;
    private static final int SPANS_PER_EXPORT = 2000;
    private static final int BODIES_PER_CLIENT = 12;
    private static final int IN_FLIGHT_PER_CLIENT = 16;
    private static final long LOAD_NANOS = 20_000_000_000L;

    @Test
    void refusesRetryablyUnderOverloadStaysUpAndStoresEverythingItAccepted(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("spoor.yaml");
        Files.writeString(config, """
                processors:
                  memory_limiter:
                    limit_mib: 150
                    spike_limit_mib: 30
                """);
        Map<String, Set<TraceId>> accepted = new ConcurrentHashMap<>();
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        try (ChildSpoor child = ChildSpoor.start(dir.resolve("data"), "256m", config)) {
            URI traces = URI.create("http://127.0.0.1:" + child.otlpHttpPort + "/v1/traces");
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String service = "overload-" + c;
                boolean useGrpc = c % 2 == 1;
                // pre-encoded, so that the clients spend their CPU on sending, not on encoding
                List<TraceId> ids = new ArrayList<>();
                List<byte[]> bodies = new ArrayList<>();
                for (int b = 0; b < BODIES_PER_CLIENT; b++) {
                    TraceId id = TestSpans.randomTraceId();
                    ids.add(id);
                    bodies.add(TestSpans.protobuf(TestSpans.trace(id, service, SPANS_PER_EXPORT)));
                }
                Set<TraceId> mine = ConcurrentHashMap.newKeySet();
                accepted.put(service, mine);
                // Connected before the load starts: loading the gRPC client's classes on two cores that the load
                // saturates took longer than the whole load period, and the gRPC half never sent anything.
                RawGrpc grpc = useGrpc ? new RawGrpc(child.grpcPort) : null;
                if (grpc != null) {
                    grpc.call(RawGrpc.TRACES, new byte[0], false); // OK, or refused if the heap is already full
                }
                clients.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                    // open loop: many exports in flight per client, far more than the server can absorb
                    Http http = new Http();
                    Semaphore inFlight = new Semaphore(IN_FLIGHT_PER_CLIENT);
                    for (int i = 0; !stop.get(); i++) {
                        int k = i % BODIES_PER_CLIENT;
                        try {
                            if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                                continue;
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                        CompletableFuture<String> outcome;
                        if (useGrpc) {
                            outcome = grpc.callAsync(RawGrpc.TRACES, bodies.get(k), false).thenApply(r -> {
                                if (r.status() == 0) {
                                    mine.add(ids.get(k));
                                }
                                return "grpc " + io.grpc.Status.fromCodeValue(r.status()).getCode();
                            });
                        } else {
                            outcome = http.postAsync(traces, bodies.get(k), "Content-Type", "application/x-protobuf")
                                    .thenApply(r -> {
                                        if (r.statusCode() == 200) {
                                            mine.add(ids.get(k));
                                        }
                                        return "http " + r.statusCode();
                                    });
                        }
                        outcome.whenComplete((o, e) -> {
                            inFlight.release();
                            outcomes.merge(e == null ? o : "exception " + e, 1, Integer::sum);
                        });
                    }
                    try {
                        inFlight.acquire(IN_FLIGHT_PER_CLIENT); // wait for the last answers
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            Thread.sleep(LOAD_NANOS / 1_000_000);
            stop.set(true);
            for (Thread t : clients) {
                t.join(60_000);
            }
            System.out.println("overload outcomes: " + new TreeMap<>(outcomes));

            assertThat(child.isAlive()).isTrue();
            assertThat(child.output()).doesNotContain("OutOfMemoryError");
            assertThat(outcomes.keySet()).as("only success or a retryable refusal")
                    .isSubsetOf("http 200", "http 429", "grpc OK", "grpc UNAVAILABLE");
            assertThat(outcomes.getOrDefault("http 429", 0) + outcomes.getOrDefault("grpc UNAVAILABLE", 0))
                    .as("the memory limiter engaged").isPositive();
            assertThat(outcomes.getOrDefault("http 200", 0) + outcomes.getOrDefault("grpc OK", 0))
                    .as("the server kept storing").isPositive();
            assertThat(outcomes.getOrDefault("grpc OK", 0) + outcomes.getOrDefault("grpc UNAVAILABLE", 0))
                    .as("the gRPC clients took part").isPositive();

            Http http = new Http();
            URI api = URI.create("http://127.0.0.1:" + child.httpPort);
            assertThat(http.get(api.resolve("/health")).statusCode()).isEqualTo(200);
            String metrics = new String(http.get(api.resolve("/metrics")).body());
            assertThat(metrics).contains("spoor_receiver_refused_spans_total{reason=\"memory_limit\"");

            // every acknowledged export is stored whole (waiting out indexing of the backlog)
            Map<String, Integer> incomplete = new HashMap<>();
            long deadline = System.nanoTime() + 90_000_000_000L;
            do {
                incomplete.clear();
                for (Map.Entry<String, Set<TraceId>> e : accepted.entrySet()) {
                    Map<String, Integer> stored = new HashMap<>();
                    HttpResponse<byte[]> r = http.get(api.resolve("/api/v1/traces?limit=1000&service=" + e.getKey()));
                    for (JsonNode t : Http.json(r).path("traces")) {
                        stored.put(t.path("traceId").asText(), t.path("spanCount").asInt());
                    }
                    for (TraceId id : e.getValue()) {
                        int n = stored.getOrDefault(id.toHex(), 0);
                        if (n != SPANS_PER_EXPORT) {
                            incomplete.put(id.toHex(), n);
                        }
                    }
                }
                if (!incomplete.isEmpty()) {
                    Thread.sleep(500);
                }
            } while (!incomplete.isEmpty() && System.nanoTime() < deadline);
            assertThat(incomplete).as("acknowledged traces not stored whole").isEmpty();
            assertThat(child.output()).doesNotContain("OutOfMemoryError");
        }
    }
}
