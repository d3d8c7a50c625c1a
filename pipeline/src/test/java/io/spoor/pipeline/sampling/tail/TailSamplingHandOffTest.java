package io.spoor.pipeline.sampling.tail;

import static io.spoor.pipeline.sampling.tail.TraceFixtures.trace;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spoor.model.Span;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import io.spoor.spanlog.wal.FsyncPolicy;
import io.spoor.storage.StorageUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kept trace whose hand-off to the next stage fails is retried from the sampler's log with backoff, settles only
 * once the next stage took it, and meanwhile new exports are refused. The next stage here fails on a switch, the way
 * the store fails while its disk is full (the server's DiskFullTest shows the same with a real full disk).
 */
class TailSamplingHandOffTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path dir;

    private final List<Span> stored = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final AtomicLong wall = new AtomicLong(1_700_000_000_000L);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private TailSamplingProcessor open() {
        return new TailSamplingProcessor("tail_sampling", new TailSamplingSettings(Duration.ofSeconds(10), 10_000, 0,
                10_000, 10_000, 0, false),
                List.of(new NamedPolicy("errors", new Policies.StatusCodes(Set.of(StatusCode.ERROR)))),
                spans -> {
                    attempts.incrementAndGet();
                    if (storeDown.get()) {
                        return CompletableFuture.failedFuture(new IOException("No space left on device (test)"));
                    }
                    stored.addAll(spans);
                    return CompletableFuture.completedFuture(null);
                }, registry, clock::get, () -> false,
                new TailLogSettings(dir, FsyncPolicy.NONE, Duration.ofSeconds(1), 1 << 20), wall::get);
    }

    /** Traces {@code from..to-1} of 4 spans, the even ones with an error (kept), in one export. */
    private static List<Span> traces(int from, int to) {
        List<Span> all = new ArrayList<>();
        for (int i = from; i < to; i++) {
            all.addAll(trace(new TraceId(77, i), "shop", "GET /cart", 20, 4, i % 2 == 0));
        }
        return all;
    }

    private Set<TraceId> storedIds() {
        Set<TraceId> ids = new HashSet<>();
        synchronized (stored) {
            stored.forEach(s -> ids.add(s.traceId()));
        }
        return ids;
    }

    private double counter(String name) {
        return registry.get("spoor_processor_tail_sampling_" + name).counter().count();
    }

    @Test
    void retriesAKeptTraceWithBackoffUntilTheStoreTakesItAndRefusesExportsMeanwhile() {
        TailSamplingProcessor p = open();
        p.consume(traces(0, 10)).join();
        storeDown.set(true);
        clock.addAndGet(10 * SECOND);

        p.decideDue(); // 5 kept traces: the hand-off fails

        assertThat(attempts).hasValue(1);
        assertThat(stored).isEmpty();
        assertThat(registry.get("spoor_processor_tail_sampling_handoff_pending_spans").gauge().value()).isEqualTo(20);
        assertThat(counter("forward_failed_spans")).isEqualTo(20);
        assertThat(p.healthProblems()).singleElement().asString()
                .contains("does not take sampled spans", "20 spans", "No space left on device");
        CompletableFuture<Void> refused = p.consume(traces(100, 101));
        assertThat(refused).failsWithin(1, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(StorageUnavailableException.class).withMessageContaining("retry later");

        // backoff: 200 ms, then 400 ms, … — no attempt in between
        clock.addAndGet(100 * MS);
        p.decideDue();
        assertThat(attempts).hasValue(1);
        clock.addAndGet(100 * MS);
        p.decideDue();
        assertThat(attempts).hasValue(2);
        clock.addAndGet(300 * MS);
        p.decideDue();
        assertThat(attempts).hasValue(2);
        clock.addAndGet(100 * MS);
        p.decideDue();
        assertThat(attempts).hasValue(3);
        assertThat(counter("handoff_retried_spans")).isEqualTo(40);

        storeDown.set(false);
        clock.addAndGet(HandOffRetries.MAX_BACKOFF_NANOS);
        p.decideDue();

        assertThat(storedIds()).containsExactlyInAnyOrder(new TraceId(77, 0), new TraceId(77, 2), new TraceId(77, 4),
                new TraceId(77, 6), new TraceId(77, 8));
        assertThat(stored).hasSize(20);
        assertThat(p.healthProblems()).isEmpty();
        assertThat(p.consume(traces(200, 201))).succeedsWithin(1, TimeUnit.SECONDS);
        // settled at last: the log holds nothing of them for a restart
        p.closeAsIfCrashed();
        TailSamplingProcessor after = open();
        assertThat(after.bufferedTraces()).isEqualTo(1); // only trace 200, undecided
        after.closeAsIfCrashed();
    }

    @Test
    void aKeptTraceTheStoreNeverTookIsStillInTheLogAfterACrash() {
        TailSamplingProcessor before = open();
        before.consume(traces(0, 6)).join();
        storeDown.set(true);
        clock.addAndGet(10 * SECOND);
        before.decideDue();
        assertThat(stored).isEmpty();
        before.closeAsIfCrashed(); // the store never took the kept traces: they did not settle

        storeDown.set(false);
        wall.addAndGet(60_000);
        TailSamplingProcessor after = open();
        after.decideDue();

        assertThat(storedIds()).containsExactlyInAnyOrder(new TraceId(77, 0), new TraceId(77, 2), new TraceId(77, 4));
        after.close();
    }

    @Test
    void aGracefulShutdownKeepsTryingForAWhileAndLogsWhatItCouldNotHandOff() throws Exception {
        TailSamplingProcessor p = open();
        p.consume(traces(0, 4)).join();
        storeDown.set(true);
        clock.addAndGet(10 * SECOND);
        p.decideDue();
        CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> storeDown.set(false));

        p.close(); // retries within its shutdown budget; the store comes back meanwhile

        assertThat(storedIds()).containsExactlyInAnyOrder(new TraceId(77, 0), new TraceId(77, 2));
        TailSamplingProcessor after = open();
        assertThat(after.bufferedTraces()).isZero();
        after.closeAsIfCrashed();
    }
}
