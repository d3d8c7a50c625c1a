package io.spoor.server.support;

import io.spoor.model.TraceId;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load a crash test kills a child Spoor under: four threads, two exporting over OTLP/HTTP and two over OTLP/gRPC,
 * one trace per request, each remembering the traces whose export was acknowledged. An export in flight when the
 * server dies fails on its client and is not remembered: only acknowledged data is owed after the restart.
 *
 * @param <V> what a test notes about each acknowledged trace (e.g. whether the sampler should keep it)
 */
public final class CrashLoad<V> {
    /** One export: the trace it carries, what the test notes about it, and the OTLP protobuf body. */
    public record Export<V>(TraceId traceId, V note, byte[] body) {
    }

    /** Builds the {@code i}-th export of one loader thread. */
    public interface Exports<V> {
        Export<V> next(int i);
    }

    public final Map<TraceId, V> acknowledged = new ConcurrentHashMap<>();
    /** Requests that died with the server. */
    public final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> loaders = new ArrayList<>();

    private CrashLoad() {
    }

    public static <V> CrashLoad<V> start(ChildSpoor child, Exports<V> exports) {
        CrashLoad<V> load = new CrashLoad<>();
        Http http = new Http();
        URI traces = URI.create("http://127.0.0.1:" + child.otlpHttpPort + "/v1/traces");
        for (int t = 0; t < 4; t++) {
            boolean overGrpc = t % 2 == 1;
            load.loaders.add(Thread.ofPlatform().name("crash-load-" + t).start(() -> {
                RawGrpc grpc = overGrpc ? new RawGrpc(child.grpcPort) : null;
                int i = 0;
                while (!load.stop.get()) {
                    Export<V> e = exports.next(i++);
                    try {
                        boolean ok = grpc == null
                                ? http.post(traces, e.body(), "Content-Type", "application/x-protobuf")
                                        .statusCode() == 200
                                : grpc.call(RawGrpc.TRACES, e.body(), false).status() == 0;
                        if (ok && !load.stop.get()) {
                            load.acknowledged.put(e.traceId(), e.note());
                        }
                    } catch (RuntimeException failed) {
                        load.failures.incrementAndGet(); // the connection died with the server: not acknowledged
                    }
                }
            }));
        }
        return load;
    }

    /** Stops the loaders (after the server was killed) and waits for them. */
    public void stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : loaders) {
            t.join(30_000);
        }
    }
}
