package io.spoor.server.receiver;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The receivers' meters, named in the spirit of the Collector's ({@code otelcol_receiver_accepted_spans}):
 * <ul>
 *   <li>{@code spoor_receiver_accepted_spans_total{transport}}: spans stored and acknowledged;</li>
 *   <li>{@code spoor_receiver_refused_spans_total{transport,reason}}: spans turned away retryably
 *       ({@code memory_limit}, {@code shutting_down}, {@code storage_error});</li>
 *   <li>{@code spoor_receiver_rejected_spans_total{transport}}: invalid spans dropped (partial success or 400);</li>
 *   <li>{@code spoor_receiver_failed_requests_total{transport,reason}}: exports answered with an error;</li>
 *   <li>{@code spoor_receiver_unstored_items_total{signal}}: metric data points and log records received but not
 *       stored (Spoor stores traces only).</li>
 * </ul>
 */
public final class ReceiverMetrics {
    private final MeterRegistry registry;
    private final Map<Transport, Counter> accepted = new EnumMap<>(Transport.class);
    private final Map<Transport, Counter> rejected = new EnumMap<>(Transport.class);
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Map<String, Counter> failed = new ConcurrentHashMap<>();
    private final Map<Signal, Counter> unstored = new EnumMap<>(Signal.class);

    public ReceiverMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Transport t : Transport.values()) {
            accepted.put(t, Counter.builder("spoor.receiver.accepted.spans").tag("transport", t.tag())
                    .description("Spans stored durably and acknowledged to the client").register(registry));
            rejected.put(t, Counter.builder("spoor.receiver.rejected.spans").tag("transport", t.tag())
                    .description("Invalid spans dropped (answered with partial success or 400)").register(registry));
            refusedCounter(t, "memory_limit");
        }
        for (Signal s : new Signal[] {Signal.METRICS, Signal.LOGS}) {
            unstored.put(s, Counter.builder("spoor.receiver.unstored.items").tag("signal", s.name().toLowerCase())
                    .description("Metric data points and log records received but not stored").register(registry));
        }
    }

    public void accepted(Transport t, long spans) {
        accepted.get(t).increment(spans);
    }

    public void rejected(Transport t, long spans) {
        if (spans > 0) {
            rejected.get(t).increment(spans);
        }
    }

    public void refused(Transport t, String reason, long spans) {
        refusedCounter(t, reason).increment(spans);
    }

    public void failedRequest(Transport t, ExportFailure.Kind kind) {
        String key = t.tag() + "/" + kind;
        failed.computeIfAbsent(key, k -> Counter.builder("spoor.receiver.failed.requests").tag("transport", t.tag())
                .tag("reason", kind.name().toLowerCase()).description("Exports answered with an error")
                .register(registry)).increment();
    }

    public void unstored(Signal s, long items) {
        Counter c = unstored.get(s);
        if (c != null) {
            c.increment(items);
        }
    }

    private Counter refusedCounter(Transport t, String reason) {
        return refused.computeIfAbsent(t.tag() + "/" + reason, k -> Counter.builder("spoor.receiver.refused.spans")
                .tag("transport", t.tag()).tag("reason", reason)
                .description("Spans refused retryably (backpressure or storage failure)").register(registry));
    }
}
