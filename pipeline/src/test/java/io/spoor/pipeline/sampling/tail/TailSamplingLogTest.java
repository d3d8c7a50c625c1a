package io.spoor.pipeline.sampling.tail;

import static io.spoor.pipeline.sampling.tail.TraceFixtures.trace;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spoor.model.Span;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import io.spoor.spanlog.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tail sampler's write-ahead log: what was acknowledged survives a crash, and the log does not grow. */
class TailSamplingLogTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path dir;

    private final List<Span> stored = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final AtomicLong wall = new AtomicLong(1_700_000_000_000L);
    /** What the next stage answers; completed by default. */
    private final AtomicReference<CompletableFuture<Void>> downstream =
            new AtomicReference<>(CompletableFuture.completedFuture(null));

    private TailSamplingProcessor open(long segmentBytes) {
        return new TailSamplingProcessor("tail_sampling", new TailSamplingSettings(Duration.ofSeconds(10), 10_000, 0,
                10_000, 10_000, 0, false),
                List.of(new NamedPolicy("errors", new Policies.StatusCodes(Set.of(StatusCode.ERROR)))),
                spans -> {
                    stored.addAll(spans);
                    return downstream.get();
                }, new SimpleMeterRegistry(), clock::get, () -> false,
                new TailLogSettings(dir, FsyncPolicy.INTERVAL, Duration.ofSeconds(1), segmentBytes), wall::get);
    }

    private static TraceId id(int i) {
        return new TraceId(42, i + 1);
    }

    /** Traces 0..n-1 of {@code spans} spans each, every third with an error, sent in exports of 100 spans. */
    private static void send(TailSamplingProcessor p, int from, int to, int spans) {
        List<Span> all = new ArrayList<>();
        for (int i = from; i < to; i++) {
            all.addAll(trace(id(i), "shop", "GET /cart", 20, spans, i % 3 == 0));
        }
        for (int i = 0; i < all.size(); i += 100) {
            p.consume(all.subList(i, Math.min(all.size(), i + 100))).join();
        }
    }

    private Set<TraceId> storedIds() {
        Set<TraceId> out = new HashSet<>();
        synchronized (stored) {
            stored.forEach(s -> out.add(s.traceId()));
        }
        return out;
    }

    private static Set<TraceId> errorIds(int from, int to) {
        Set<TraceId> out = new HashSet<>();
        for (int i = from; i < to; i++) {
            if (i % 3 == 0) {
                out.add(id(i));
            }
        }
        return out;
    }

    @Test
    void acknowledgedSpansSurviveACrashAndAreDecidedAtTheirOriginalDeadline() {
        TailSamplingProcessor before = open(TailLogSettings.DEFAULT_SEGMENT_BYTES);
        send(before, 0, 300, 5);
        assertThat(stored).isEmpty();
        before.closeAsIfCrashed();

        // restarted 4 s later: each trace has 6 s of its decision_wait left
        clock.addAndGet(TimeUnit.DAYS.toNanos(3)); // a new JVM's nanoTime has nothing to do with the old one's
        wall.addAndGet(4_000);
        TailSamplingProcessor after = open(TailLogSettings.DEFAULT_SEGMENT_BYTES);
        assertThat(after.bufferedTraces()).isEqualTo(300);
        assertThat(after.bufferedSpans()).isEqualTo(1_500);
        clock.addAndGet(5 * SECOND);
        after.decideDue();
        assertThat(stored).as("not due yet: the traces kept their age").isEmpty();
        clock.addAndGet(SECOND);
        after.decideDue();
        assertThat(after.bufferedTraces()).isZero();
        assertThat(storedIds()).isEqualTo(errorIds(0, 300));
        assertThat(stored).hasSize(100 * 5);
        after.close();
    }

    @Test
    void tracesOlderThanDecisionWaitAreDecidedAtTheFirstTickAfterReplay() {
        TailSamplingProcessor before = open(TailLogSettings.DEFAULT_SEGMENT_BYTES);
        send(before, 0, 30, 4);
        before.closeAsIfCrashed();

        wall.addAndGet(60_000); // down for a minute
        TailSamplingProcessor after = open(TailLogSettings.DEFAULT_SEGMENT_BYTES);
        after.decideDue();
        assertThat(after.bufferedTraces()).isZero();
        assertThat(storedIds()).isEqualTo(errorIds(0, 30));
        after.close();
    }

    @Test
    void tracesSettledBeforeACrashAreNeitherDecidedNorStoredAgainAndTheirDecisionsAreRemembered() {
        TailSamplingProcessor before = open(TailLogSettings.DEFAULT_SEGMENT_BYTES);
        send(before, 0, 60, 3);
        clock.addAndGet(10 * SECOND);
        before.decideDue(); // decided; the kept ones stored
        send(before, 60, 90, 3); // undecided at the crash
        before.closeAsIfCrashed();
        assertThat(storedIds()).isEqualTo(errorIds(0, 60));
        stored.clear();

        TailSamplingProcessor after = open(TailLogSettings.DEFAULT_SEGMENT_BYTES);
        assertThat(after.bufferedTraces()).as("only the undecided traces come back").isEqualTo(30);
        // a late span of a trace kept before the crash follows that decision; one of a dropped trace too
        Span lateKept = trace(id(0), "shop", "GET /cart", 20, 5, true).get(4);
        Span lateDropped = trace(id(1), "shop", "GET /cart", 20, 5, false).get(4);
        after.consume(List.of(lateKept, lateDropped)).join();
        assertThat(stored).containsExactly(lateKept);
        assertThat(after.bufferedTraces()).isEqualTo(30);
        stored.clear();
        wall.addAndGet(10_000);
        clock.addAndGet(10 * SECOND);
        after.decideDue();
        assertThat(storedIds()).isEqualTo(errorIds(60, 90));
        after.close();
    }

    @Test
    void truncationDeletesSegmentsOnceEveryTraceInThemIsDecidedAndItsKeptSpansAcknowledged() throws Exception {
        TailSamplingProcessor p = open(8 * 1024);
        TailLog log = p.tailLog();
        send(p, 0, 200, 5);
        int segments = log.segmentCount();
        assertThat(segments).isGreaterThan(5);

        CompletableFuture<Void> slowStore = new CompletableFuture<>();
        downstream.set(slowStore);
        clock.addAndGet(10 * SECOND);
        CompletableFuture<Void> deciding = CompletableFuture.runAsync(p::decideDue);
        Thread.sleep(200);
        assertThat(deciding).isNotDone(); // waiting for the store
        log.truncate();
        assertThat(log.segmentCount()).as("kept spans not yet acknowledged downstream hold their segments")
                .isGreaterThanOrEqualTo(segments); // (the decisions of the dropped traces may open another)

        slowStore.complete(null);
        deciding.get(10, TimeUnit.SECONDS);
        log.truncate();
        assertThat(log.segmentCount()).as("only the segment being written is left").isEqualTo(1);

        // undecided traces hold their segments
        downstream.set(CompletableFuture.completedFuture(null));
        send(p, 200, 201, 2);
        clock.addAndGet(5 * SECOND);
        send(p, 201, 400, 5);
        clock.addAndGet(5 * SECOND);
        p.decideDue();
        log.truncate();
        assertThat(log.segmentCount()).isGreaterThan(5);
        clock.addAndGet(5 * SECOND);
        p.decideDue();
        log.truncate();
        assertThat(log.segmentCount()).isEqualTo(1);
        p.close();
    }

    @Test
    void aTornTailIsCutOffAndEverythingBeforeItReplayed() throws IOException {
        TailSamplingProcessor before = open(TailLogSettings.DEFAULT_SEGMENT_BYTES);
        send(before, 0, 50, 4); // 2 exports of 100 spans
        before.closeAsIfCrashed();
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            segment = files.filter(f -> f.toString().endsWith(".wal")).max(Path::compareTo).orElseThrow();
        }
        long intact = Files.size(segment);
        // a crash in the middle of writing a third export: its header promises more bytes than made it to disk
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 40, 0, 1, 2, 3, 4, 1, 0, 0, 0}));
        }

        TailSamplingProcessor after = open(TailLogSettings.DEFAULT_SEGMENT_BYTES);
        assertThat(Files.size(segment)).isEqualTo(intact);
        assertThat(after.bufferedTraces()).isEqualTo(50);
        assertThat(after.bufferedSpans()).isEqualTo(200);
        send(after, 50, 60, 4); // and it goes on appending
        after.closeAsIfCrashed();
        TailSamplingProcessor again = open(TailLogSettings.DEFAULT_SEGMENT_BYTES);
        assertThat(again.bufferedTraces()).isEqualTo(60);
        again.close();
    }

    @Test
    void aGracefulShutdownDecidesEverythingAndLeavesNothingToReplay() {
        TailSamplingProcessor p = open(TailLogSettings.DEFAULT_SEGMENT_BYTES);
        send(p, 0, 30, 3);
        p.close();
        assertThat(storedIds()).isEqualTo(errorIds(0, 30));
        stored.clear();
        TailSamplingProcessor after = open(TailLogSettings.DEFAULT_SEGMENT_BYTES);
        assertThat(after.bufferedTraces()).isZero();
        after.close();
        assertThat(stored).isEmpty();
    }
}
