package io.spoor.pipeline.export;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.model.Span;
import io.spoor.pipeline.SpanConsumer;
import io.spoor.protocol.otlp.OtlpTraceEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards spans to another OTLP backend (the {@code otlp} and {@code otlphttp} exporters). With the sending queue
 * (the default) an export is acknowledged once it is queued; a full queue refuses the export retryably and counts
 * the spans in {@code spoor_exporter_enqueue_failed_spans_total}, so overflow is never silent. Retryable failures
 * are retried with exponential backoff until {@code max_elapsed_time}; what is then given up is counted in
 * {@code spoor_exporter_send_failed_spans_total}.
 */
public final class OtlpExporter implements SpanConsumer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OtlpExporter.class);
    private static final Duration DRAIN_ON_CLOSE = Duration.ofSeconds(10);

    private final String id;
    private final OtlpExporterSettings settings;
    private final OtlpSender sender;
    private final BlockingQueue<Request> queue;
    private final List<Thread> consumers = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter sent;
    private final Counter sendFailed;
    private final Counter enqueueFailed;
    private final Counter retries;
    private volatile boolean closing;
    private volatile boolean stopped;

    public OtlpExporter(String id, OtlpExporterSettings settings, MeterRegistry registry) {
        this(id, settings, settings.protocol() == OtlpExporterSettings.Protocol.GRPC
                ? new GrpcOtlpSender(settings) : new HttpOtlpSender(settings), registry);
    }

    OtlpExporter(String id, OtlpExporterSettings settings, OtlpSender sender, MeterRegistry registry) {
        this.id = id;
        this.settings = settings;
        this.sender = sender;
        QueueSettings q = settings.queue();
        this.queue = q.enabled() ? new ArrayBlockingQueue<>(q.queueSize()) : null;
        this.sent = counter(registry, "spoor_exporter_sent_spans", "Spans the backend accepted");
        this.sendFailed = counter(registry, "spoor_exporter_send_failed_spans",
                "Spans given up on: a permanent error, or retries exhausted");
        this.enqueueFailed = counter(registry, "spoor_exporter_enqueue_failed_spans",
                "Spans refused because the sending queue was full");
        this.retries = counter(registry, "spoor_exporter_send_retries", "Retried send attempts");
        if (queue != null) {
            Gauge.builder("spoor_exporter_queue_size", queue, BlockingQueue::size).tag("exporter", id)
                    .description("Export requests waiting in the sending queue").register(registry);
            Gauge.builder("spoor_exporter_queue_capacity", q, QueueSettings::queueSize).tag("exporter", id)
                    .description("Capacity of the sending queue in export requests").register(registry);
            for (int i = 0; i < q.numConsumers(); i++) {
                consumers.add(Thread.ofVirtual().name("spoor-exporter-" + id + "-" + i).start(this::drain));
            }
        }
    }

    private Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).tag("exporter", id).description(description).register(registry);
    }

    @Override
    public CompletableFuture<Void> consume(List<Span> spans) {
        if (spans.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (closing) {
            return CompletableFuture.failedFuture(new IllegalStateException("the pipeline is shutting down"));
        }
        Request r = new Request(OtlpTraceEncoder.encodeProtobuf(spans), spans.size());
        if (queue == null) {
            return CompletableFuture.supplyAsync(() -> sendWithRetry(r), Thread::startVirtualThread)
                    .thenCompose(ok -> ok ? CompletableFuture.completedFuture(null)
                            : CompletableFuture.failedFuture(new IllegalStateException(
                            "exporter " + id + " could not deliver the spans")));
        }
        if (!queue.offer(r)) {
            enqueueFailed.increment(r.spans);
            return CompletableFuture.failedFuture(new QueueFullException("the sending queue of exporter " + id
                    + " is full (" + settings.queue().queueSize() + " requests)"));
        }
        return CompletableFuture.completedFuture(null);
    }

    private void drain() {
        while (!stopped) {
            Request r;
            try {
                r = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (r == null) {
                continue;
            }
            inFlight.incrementAndGet();
            try {
                sendWithRetry(r);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    /** Sends until accepted, a permanent error, or the retry budget is spent; true when accepted. */
    private boolean sendWithRetry(Request r) {
        RetrySettings retry = settings.retry();
        long start = System.nanoTime();
        long interval = retry.initialInterval().toNanos();
        while (true) {
            SendResult result = sender.send(r.body).join();
            switch (result) {
                case SendResult.Sent s -> {
                    sent.increment(r.spans);
                    return true;
                }
                case SendResult.Permanent p -> {
                    sendFailed.increment(r.spans);
                    log.warn("exporter {}: dropping {} spans: {}", id, r.spans, p.reason());
                    return false;
                }
                case SendResult.Retryable t -> {
                    long elapsed = System.nanoTime() - start;
                    long maxElapsed = retry.maxElapsedTime().toNanos();
                    if (!retry.enabled() || stopped || maxElapsed > 0 && elapsed >= maxElapsed) {
                        sendFailed.increment(r.spans);
                        log.warn("exporter {}: giving up on {} spans after {} ms: {}", id, r.spans,
                                TimeUnit.NANOSECONDS.toMillis(elapsed), t.reason());
                        return false;
                    }
                    long wait = t.retryAfter() != null ? t.retryAfter().toNanos() : jitter(interval, retry);
                    if (maxElapsed > 0) {
                        wait = Math.min(wait, Math.max(0, maxElapsed - elapsed));
                    }
                    log.debug("exporter {}: retrying {} spans in {} ms: {}", id, r.spans,
                            TimeUnit.NANOSECONDS.toMillis(wait), t.reason());
                    retries.increment();
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        sendFailed.increment(r.spans);
                        Thread.currentThread().interrupt();
                        return false;
                    }
                    interval = Math.min((long) (interval * retry.multiplier()), retry.maxInterval().toNanos());
                }
            }
        }
    }

    private static long jitter(long interval, RetrySettings retry) {
        double f = retry.randomizationFactor();
        double factor = 1 - f + ThreadLocalRandom.current().nextDouble() * 2 * f;
        return (long) (interval * factor);
    }

    /**
     * Stops accepting and gives the queue up to 10 s to drain; what is still queued then is counted as failed
     * (the sending queue lives in memory, as the Collector's does without a storage extension).
     */
    @Override
    public void close() {
        closing = true;
        if (queue != null) {
            long deadline = System.nanoTime() + DRAIN_ON_CLOSE.toNanos();
            while ((!queue.isEmpty() || inFlight.get() > 0) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            stopped = true;
            for (Thread t : consumers) {
                t.interrupt();
            }
            List<Request> left = new ArrayList<>();
            queue.drainTo(left);
            int lost = left.stream().mapToInt(r -> r.spans).sum();
            if (lost > 0) {
                sendFailed.increment(lost);
                log.warn("exporter {}: {} queued spans were not sent before shutdown", id, lost);
            }
        }
        sender.close();
    }

    private record Request(byte[] body, int spans) {
    }
}
