package io.spoor.pipeline;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.model.Span;
import io.spoor.pipeline.memory.MemoryLimiter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The traces pipeline: the memory limiter admits exports, then the configured processors and exporters
 * ({@code head} is the first of them) take the spans. Built by {@link PipelineFactory}.
 */
public final class IngestPipeline implements TracesPipeline {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IngestPipeline.class);
    private final MemoryLimiter limiter;
    private final SpanConsumer head;
    private final List<AutoCloseable> stages;
    private volatile boolean closed;

    /** {@code stages} are closed in order on {@link #close()}: upstream first, so each flushes into the next. */
    public IngestPipeline(MemoryLimiter limiter, SpanConsumer head, List<AutoCloseable> stages,
                          MeterRegistry registry) {
        this.limiter = limiter;
        this.head = head;
        this.stages = List.copyOf(stages);
        Gauge.builder("spoor_memory_limiter_reserved_bytes", limiter, MemoryLimiter::reservedHeapBytes)
                .description("Heap bytes reserved for admitted exports not yet stored").register(registry);
        Gauge.builder("spoor_memory_limiter_live_heap_bytes", limiter, MemoryLimiter::liveHeapBytes)
                .description("Heap in use after the last garbage collection").register(registry);
        Gauge.builder("spoor_memory_limiter_soft_limit_bytes", limiter, l -> l.settings().softLimitBytes())
                .register(registry);
    }

    @Override
    public Admission admit(long wireBytes) {
        if (closed) {
            return new Admission.Refused(limiter.settings().retryAfter(), Admission.Reason.SHUTTING_DOWN,
                    "Spoor is shutting down");
        }
        if (!limiter.tryReserve(wireBytes)) {
            return new Admission.Refused(limiter.settings().retryAfter(), Admission.Reason.MEMORY_LIMIT,
                    "memory limit reached (soft limit " + limiter.settings().softLimitBytes() / (1024 * 1024)
                            + " MiB); retry later");
        }
        return new Reservation(wireBytes);
    }

    /** What the stages that can fail and recover by themselves report as failing now ({@link HealthReporting}). */
    public List<String> healthProblems() {
        List<String> problems = new java.util.ArrayList<>();
        for (AutoCloseable stage : stages) {
            if (stage instanceof HealthReporting h) {
                problems.addAll(h.healthProblems());
            }
        }
        return problems;
    }

    @Override
    public void close() {
        closed = true;
        for (AutoCloseable stage : stages) {
            try {
                stage.close();
            } catch (Exception e) {
                log.warn("closing pipeline stage {} failed", stage, e);
            }
        }
    }

    private final class Reservation implements Admission.Admitted {
        private final long wireBytes;
        private final AtomicBoolean used = new AtomicBoolean();

        Reservation(long wireBytes) {
            this.wireBytes = wireBytes;
        }

        @Override
        public CompletableFuture<Void> submit(List<Span> spans) {
            if (!used.compareAndSet(false, true)) {
                throw new IllegalStateException("a reservation is submitted once");
            }
            CompletableFuture<Void> stored;
            try {
                stored = head.consume(spans);
            } catch (RuntimeException e) {
                limiter.release(wireBytes);
                throw e;
            }
            return stored.whenComplete((ok, error) -> limiter.release(wireBytes));
        }

        @Override
        public void cancel() {
            if (used.compareAndSet(false, true)) {
                limiter.release(wireBytes);
            }
        }
    }
}
