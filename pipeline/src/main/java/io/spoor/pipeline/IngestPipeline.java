package io.spoor.pipeline;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.model.Span;
import io.spoor.pipeline.memory.MemoryLimiter;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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
        Admission.Refused refused = reserve(wireBytes);
        return refused != null ? refused : new Reservation(wireBytes);
    }

    /** Null when {@code wireBytes} were reserved. */
    private Admission.Refused reserve(long wireBytes) {
        if (closed) {
            return new Admission.Refused(limiter.settings().retryAfter(), Admission.Reason.SHUTTING_DOWN,
                    "Spoor is shutting down");
        }
        if (!limiter.tryReserve(wireBytes)) {
            return new Admission.Refused(limiter.settings().retryAfter(), Admission.Reason.MEMORY_LIMIT,
                    "memory limit reached (soft limit " + limiter.settings().softLimitBytes() / (1024 * 1024)
                            + " MiB); retry later");
        }
        return null;
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
        /** Guarded by this: a body may still be growing on a network thread while another thread cancels. */
        private long wireBytes;
        private boolean used;

        Reservation(long wireBytes) {
            this.wireBytes = wireBytes;
        }

        @Override
        public synchronized Admission grow(long moreBytes) {
            if (used) {
                throw new IllegalStateException("a reservation grows only before it is submitted or cancelled");
            }
            Admission.Refused refused = reserve(moreBytes);
            if (refused != null) {
                return refused;
            }
            wireBytes += moreBytes;
            return this;
        }

        @Override
        public CompletableFuture<Void> submit(List<Span> spans) {
            long held;
            synchronized (this) {
                if (used) {
                    throw new IllegalStateException("a reservation is submitted once");
                }
                used = true;
                held = wireBytes;
            }
            CompletableFuture<Void> stored;
            try {
                stored = head.consume(spans);
            } catch (RuntimeException e) {
                limiter.release(held);
                throw e;
            }
            return stored.whenComplete((ok, error) -> limiter.release(held));
        }

        @Override
        public void cancel() {
            long held;
            synchronized (this) {
                if (used) {
                    return;
                }
                used = true;
                held = wireBytes;
            }
            limiter.release(held);
        }
    }
}
