package io.spoor.storage.contract;

import static org.assertj.core.api.Assertions.fail;

import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.SpanStore;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The root of the contract parts ({@link TraceContract}, {@link SearchContract}, {@link DependencyContract},
 * {@link RetentionContract}, {@link DiskLimitContract}, {@link DurabilityContract},
 * {@link OversizedSpansContract}): what a part needs from the
 * engine test that runs it, plus the helpers every part shares. An engine's test extends {@link SpanStoreContract}
 * (which implements the accessors) and implements the parts its engine promises.
 *
 * <p>Parts are interfaces so that one test class runs them all against one engine; their checks go through the SPI
 * only. Reads are near-real-time, so checks poll with a bounded wait ({@link #eventually}) instead of sleeping.
 */
public interface StoreContract {

    /** The engine under test, as opened for the current test. */
    SpanStore store();

    /** The clock the engine was opened with; age retention is tested by moving it. */
    MutableClock clock();

    /** Closes the store and opens it again on the same data; {@link #store()} returns the new one. */
    SpanStore reopen();

    /** Replaces the store with one that has other retention settings, on the same data. */
    void reopenWith(Duration retention, long maxDiskBytes);

    /** How long a written span may take to become visible to reads. */
    default Duration visibilityTimeout() {
        return Duration.ofSeconds(15);
    }

    default long now() {
        return clock().nanos();
    }

    /** Writes one batch and waits for its acknowledgement. */
    default void write(List<Span> spans) {
        try {
            store().write(spans).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("write failed", e);
        }
    }

    /** Writes batches of {@code batchSize} concurrently and waits for every acknowledgement. */
    default void writeInBatches(List<Span> spans, int batchSize) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < spans.size(); i += batchSize) {
            futures.add(store().write(spans.subList(i, Math.min(spans.size(), i + batchSize))));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).orTimeout(120, TimeUnit.SECONDS).join();
    }

    /** Polls {@code read} until {@code done} holds, failing after {@link #visibilityTimeout()}. */
    default <T> T eventually(Supplier<T> read, Predicate<T> done) {
        long deadline = System.nanoTime() + visibilityTimeout().toNanos();
        T last = read.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                fail("condition not reached within " + visibilityTimeout() + "; last value: " + last);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            last = read.get();
        }
        return last;
    }

    /** Waits until the trace is readable with exactly {@code spanCount} spans. */
    default Trace awaitTrace(TraceId id, int spanCount) {
        return eventually(() -> store().trace(id, TimeWindow.ALL),
                t -> t.isPresent() && t.get().spans().size() == spanCount).orElseThrow();
    }

    default List<TraceSummary> find(TraceQuery q) {
        return store().findTraces(q);
    }
}
