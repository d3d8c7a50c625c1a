package io.spoor.pipeline.batch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.model.Span;
import io.spoor.pipeline.SpanConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers the spans of many exports into batches by size and timeout and writes each batch once; every export's
 * future completes when the batch that holds its last span is durable. The queue itself is unbounded: what may
 * enter it is bounded upstream by the memory limiter.
 */
public final class BatchProcessor implements SpanConsumer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchProcessor.class);
    /** Two writes in flight let the next batch be encoded while the previous one is being made durable. */
    private static final int MAX_WRITES_IN_FLIGHT = 2;
    private static final long CLOSE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final BatchSettings settings;
    private final SpanConsumer next;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedSpans = new AtomicLong();
    private final Semaphore inFlight = new Semaphore(MAX_WRITES_IN_FLIGHT);
    private final Thread flusher;
    /**
     * Hands batches to the next stage off the flusher thread: the next stage may encode the batch on the calling
     * thread (the embedded store does), and doing that on the one flusher thread capped ingest at one core.
     */
    private final ExecutorService handOff;
    private final Counter batches;
    private final DistributionSummary batchSizes;
    private volatile boolean closing;

    public BatchProcessor(BatchSettings settings, SpanConsumer next, MeterRegistry registry) {
        this("batch", settings, next, registry);
    }

    /** {@code id} is the processor's name in the configuration (the {@code processor} label of its metrics). */
    public BatchProcessor(String id, BatchSettings settings, SpanConsumer next, MeterRegistry registry) {
        this.settings = settings;
        this.next = next;
        this.batches = Counter.builder("spoor_processor_batch_batches_sent").tag("processor", id)
                .description("Batches handed to the next stage").register(registry);
        this.batchSizes = DistributionSummary.builder("spoor_processor_batch_batch_size_spans").tag("processor", id)
                .description("Spans per batch handed to the next stage").register(registry);
        Gauge.builder("spoor_processor_batch_queue_spans", queuedSpans, AtomicLong::get).tag("processor", id)
                .description("Spans waiting to be batched").register(registry);
        this.handOff = Executors.newFixedThreadPool(MAX_WRITES_IN_FLIGHT,
                Thread.ofPlatform().name("spoor-batch-" + id + "-handoff-", 0).daemon().factory());
        this.flusher = Thread.ofPlatform().name("spoor-batch").daemon().start(this::run);
    }

    /** Queues spans; the future completes once the next stage has taken all of them. */
    @Override
    public CompletableFuture<Void> consume(List<Span> spans) {
        if (spans.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (closing) {
            return CompletableFuture.failedFuture(new IllegalStateException("the pipeline is shutting down"));
        }
        int max = settings.effectiveMaxSize();
        if (spans.size() <= max) {
            Pending p = new Pending(spans, new CompletableFuture<>());
            enqueue(p);
            return p.done;
        }
        // An export larger than send_batch_max_size is split; it is stored when every part is.
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (int from = 0; from < spans.size(); from += max) {
            Pending p = new Pending(spans.subList(from, Math.min(spans.size(), from + max)), new CompletableFuture<>());
            enqueue(p);
            parts.add(p.done);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    public long queuedSpans() {
        return queuedSpans.get();
    }

    private void enqueue(Pending p) {
        queuedSpans.addAndGet(p.spans.size());
        queue.add(p);
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!(closing && queue.isEmpty())) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int size = first.spans.size();
                long deadline = System.nanoTime() + settings.timeout().toNanos();
                while (size < settings.sendBatchSize()) {
                    long wait = deadline - System.nanoTime();
                    // wait in short slices so that close() does not sit out a long timeout
                    Pending next = wait > 0 && !closing
                            ? queue.poll(Math.min(wait, CLOSE_CHECK_NANOS), TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        if (wait > CLOSE_CHECK_NANOS && !closing) {
                            continue;
                        }
                        break;
                    }
                    if (size + next.spans.size() > settings.effectiveMaxSize()) {
                        // keep the batch under the cap; the next export opens the following batch
                        flush(batch, size);
                        batch = new ArrayList<>();
                        size = 0;
                    }
                    batch.add(next);
                    size += next.spans.size();
                }
                flush(batch, size);
                batch = new ArrayList<>();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failAll(batch, e);
                return;
            }
        }
    }

    private void flush(List<Pending> batch, int size) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        List<Span> spans = new ArrayList<>(size);
        for (Pending p : batch) {
            spans.addAll(p.spans);
        }
        queuedSpans.addAndGet(-size);
        batches.increment();
        batchSizes.record(size);
        inFlight.acquire();
        CompletableFuture<Void> written;
        try {
            written = CompletableFuture.supplyAsync(() -> next.consume(spans), handOff).thenCompose(f -> f);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        written.whenComplete((ok, error) -> {
            for (Pending p : batch) {
                if (error == null) {
                    p.done.complete(null);
                } else {
                    p.done.completeExceptionally(error);
                }
            }
            // released last, so that close() returns only after every export's future completed
            inFlight.release();
            if (error != null) {
                log.warn("storing a batch of {} spans failed", size, error);
            }
        });
    }

    private static void failAll(List<Pending> batch, Throwable error) {
        batch.forEach(p -> p.done.completeExceptionally(error));
    }

    /** Flushes everything queued and waits for the last writes. */
    @Override
    public void close() {
        closing = true;
        try {
            flusher.join();
            inFlight.acquire(MAX_WRITES_IN_FLIGHT);
            inFlight.release(MAX_WRITES_IN_FLIGHT);
            handOff.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Pending(List<Span> spans, CompletableFuture<Void> done) {
    }
}
