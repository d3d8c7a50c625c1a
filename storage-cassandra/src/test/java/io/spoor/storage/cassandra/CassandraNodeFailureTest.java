package io.spoor.storage.cassandra;

import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.StorageUnavailableException;
import io.spoor.testing.cassandra.CassandraNode;
import io.spoor.testing.cassandra.CassandraNodeExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node under the store dies or hangs while writes arrive: acknowledged spans survive, the rest are refused
 * promptly and retryably, and the engine holds no unbounded queue meanwhile.
 */
@ExtendWith(CassandraNodeExtension.class)
class CassandraNodeFailureTest {
    private static final String KEYSPACE = "spoor_failure";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final int SPANS_PER_TRACE = 5;
    private static final int TRACES_PER_BATCH = 10;
    private final long t0 = System.currentTimeMillis() * MS;

    @BeforeEach
    void emptyKeyspace() {
        TestKeyspace.reset(KEYSPACE);
    }

    private static CassandraStoreSettings settings() {
        return TestKeyspace.settings(KEYSPACE).withRequestTimeout(REQUEST_TIMEOUT).withMaxInFlightWrites(16);
    }

    /** One write of the load: its spans, when it was sent, and how it ended. */
    private record Outcome(int batch, long sentNanos, long doneNanos, Throwable error) {
        boolean acknowledged() {
            return error == null;
        }
    }

    private List<Span> batch(int b) {
        List<Span> spans = new ArrayList<>();
        for (int t = 0; t < TRACES_PER_BATCH; t++) {
            TraceId id = traceId(b, t);
            for (int s = 1; s <= SPANS_PER_TRACE; s++) {
                spans.add(span(id, s, s - 1, "svc-" + (t % 3), "op-" + s, t0 + b * MS + s, MS, "batch", (long) b));
            }
        }
        return spans;
    }

    private static TraceId traceId(int batch, int trace) {
        return new TraceId(0x7000_0000_0000_0000L | batch, trace + 1);
    }

    @Test
    void keepsEveryAcknowledgedSpanAndRefusesWritesWhileTheNodeIsKilledAndRestarted() throws Exception {
        CassandraNode node = CassandraNodeExtension.node();
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger acknowledged = new AtomicInteger();
        try (CassandraSpanStore store = CassandraSpanStore.open(settings())) {
            // a steady load of 10-trace batches, two in flight, ~500 spans/s while the node is up; bounded in time
            // (at most 1500 batches, ~3 minutes) and in what it stores (only acknowledged batches are: ~10k spans)
            Thread loader = new Thread(() -> {
                List<CompletableFuture<Void>> inFlight = new ArrayList<>();
                for (int b = 0; running.get() && b < 1500; b++) {
                    int n = b;
                    long sent = System.nanoTime();
                    CompletableFuture<Void> f = store.write(batch(b)).whenComplete((v, e) -> {
                        outcomes.add(new Outcome(n, sent, System.nanoTime(), e));
                        if (e == null) {
                            acknowledged.incrementAndGet();
                        }
                    });
                    inFlight.add(f);
                    if (inFlight.size() >= 2) {
                        inFlight.remove(0).exceptionally(e -> null).join();
                    }
                    sleep(100);
                }
                inFlight.forEach(f -> f.exceptionally(e -> null).join());
            }, "load");
            loader.start();
            awaitAcknowledged(acknowledged, 10, Duration.ofSeconds(60));

            node.kill(); // SIGKILL: whatever Cassandra acknowledged is only in its commit log
            long killed = System.nanoTime();
            sleep(3000);
            long restarting = System.nanoTime();
            node.restart(); // replays the commit log; 10-20 s
            int before = acknowledged.get();
            awaitAcknowledged(acknowledged, before + 10, Duration.ofSeconds(90));
            running.set(false);
            loader.join(TimeUnit.MINUTES.toMillis(2));

            List<Outcome> all = new ArrayList<>(outcomes);
            // while the node was down, writes were refused — retryably, and promptly
            List<Outcome> whileDown = all.stream()
                    .filter(o -> o.sentNanos() > killed && o.doneNanos() < restarting).toList();
            assertThat(whileDown).isNotEmpty().allSatisfy(o -> {
                assertThat(o.acknowledged()).as("batch %d acknowledged while the node was dead", o.batch()).isFalse();
                assertThat(rootCause(o.error())).isInstanceOf(StorageUnavailableException.class);
                assertThat(Duration.ofNanos(o.doneNanos() - o.sentNanos()))
                        .isLessThan(REQUEST_TIMEOUT.multipliedBy(2).plusSeconds(1));
            });
            // every acknowledged batch, before the kill and after the restart, is readable whole
            List<Outcome> acked = all.stream().filter(Outcome::acknowledged).toList();
            assertThat(acked).hasSizeGreaterThanOrEqualTo(20);
            assertThat(acked).anyMatch(o -> o.doneNanos() < killed).anyMatch(o -> o.sentNanos() > restarting);
            for (Outcome o : acked) {
                List<Span> expected = batch(o.batch());
                for (int t = 0; t < TRACES_PER_BATCH; t++) {
                    Optional<Trace> trace = store.trace(traceId(o.batch(), t), TimeWindow.ALL);
                    assertThat(trace).as("trace %d of acknowledged batch %d", t, o.batch()).isPresent();
                    assertThat(trace.get().spans()).containsExactlyInAnyOrderElementsOf(
                            expected.subList(t * SPANS_PER_TRACE, (t + 1) * SPANS_PER_TRACE));
                }
            }
        } finally {
            running.set(false);
            if (!node.isRunning()) {
                node.restart();
            }
        }
    }

    @Test
    void refusesWritesWithinTheRequestTimeoutWhileTheNodeHangsAndHoldsNoMoreThanTheInFlightBound() throws Exception {
        CassandraNode node = CassandraNodeExtension.node();
        try (CassandraSpanStore store = CassandraSpanStore.open(settings())) {
            store.write(batch(0)).get(30, TimeUnit.SECONDS);
            node.freeze(); // a stop-the-world pause that does not end
            List<CompletableFuture<Void>> writes = new ArrayList<>();
            List<Long> sent = new ArrayList<>();
            int maxSeen = 0;
            try {
                for (int b = 1; b <= 6; b++) {
                    sent.add(System.nanoTime());
                    writes.add(store.write(batch(b))); // 10 fragments + index + catalog each: 16 permits run out
                    maxSeen = Math.max(maxSeen, store.inFlightStatements());
                }
                for (int i = 0; i < writes.size(); i++) {
                    Throwable error = failure(writes.get(i), Duration.ofSeconds(30));
                    assertThat(rootCause(error)).isInstanceOf(StorageUnavailableException.class);
                    assertThat(Duration.ofNanos(System.nanoTime() - sent.get(i)))
                            .isLessThan(REQUEST_TIMEOUT.multipliedBy(3).plusSeconds(2));
                }
            } finally {
                node.thaw();
            }
            assertThat(maxSeen).isLessThanOrEqualTo(16);
            // once the node answers again, writes are acknowledged again
            store.write(batch(7)).get(60, TimeUnit.SECONDS);
            assertThat(store.trace(traceId(7, 0), TimeWindow.ALL)).isPresent();
        }
    }

    private static Throwable failure(CompletableFuture<Void> f, Duration within) throws Exception {
        try {
            f.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the write was acknowledged while the node was frozen");
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static void awaitAcknowledged(AtomicInteger acknowledged, int atLeast, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (acknowledged.get() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acknowledged.get() + " writes acknowledged within " + within);
            }
            sleep(50);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
