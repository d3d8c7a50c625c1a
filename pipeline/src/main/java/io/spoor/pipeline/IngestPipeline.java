package io.spoor.pipeline;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.model.Span;
import io.spoor.pipeline.batch.BatchProcessor;
import io.spoor.pipeline.memory.MemoryLimiter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** memory_limiter → batch → storage: the default traces pipeline. */
public final class IngestPipeline implements TracesPipeline {
    private final MemoryLimiter limiter;
    private final BatchProcessor batcher;
    private volatile boolean closed;

    public IngestPipeline(MemoryLimiter limiter, BatchProcessor batcher, MeterRegistry registry) {
        this.limiter = limiter;
        this.batcher = batcher;
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

    @Override
    public void close() {
        closed = true;
        batcher.close();
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
                stored = batcher.submit(spans);
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
