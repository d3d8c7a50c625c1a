package io.spoor.query;

import static io.spoor.dependencies.ShopTraces.MS;
import static io.spoor.dependencies.ShopTraces.shop;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.dependencies.DependencyBuckets;
import io.spoor.dependencies.DependencyLinker;
import io.spoor.model.DependencyLink;
import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.spanlog.wal.FsyncPolicy;
import io.spoor.storage.DependencyBucket;
import io.spoor.storage.SpanStore;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import io.spoor.storage.contract.MutableClock;
import io.spoor.storage.lucene.LuceneSpanStore;
import io.spoor.storage.lucene.LuceneStoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read side over the real embedded engine: stored buckets plus derivation must equal derivation alone, whichever
 * buckets are stored. Buckets are stored here as the write side stores them, each with exactly its window's calls
 * (that the write side does so is io.spoor.pipeline.dependencies.DependencyAggregatorTest).
 */
class DependencyServiceTest {
    static final long W = DependencyBuckets.W;

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T12:00:00Z"));
    SpanStore store;
    DependencyService deps;
    final List<Span> written = new ArrayList<>();

    @BeforeEach
    void open() {
        store = LuceneSpanStore.open(LuceneStoreSettings.defaults(dir).withClock(clock)
                .withFsyncPolicy(FsyncPolicy.NONE).withRefreshInterval(Duration.ofMillis(20)));
        deps = new DependencyService(store, store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    void write(List<Span> spans) throws Exception {
        store.write(spans).get(30, TimeUnit.SECONDS);
        written.addAll(spans);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (store.findTraces(TraceQuery.all(TraceQuery.MAX_LIMIT)).stream().mapToInt(t -> t.spanCount()).sum()
                < written.stream().map(s -> s.traceId() + "/" + s.spanId()).distinct().count()
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** The answer by brute force: every call of every written trace whose time is in the window. */
    List<DependencyLink> expected(TimeWindow w) {
        Map<TraceId, List<Span>> byTrace = new LinkedHashMap<>();
        for (Span s : written) {
            byTrace.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
        }
        List<DependencyLinker.Call> calls = new ArrayList<>();
        byTrace.forEach((id, spans) -> DependencyLinker.calls(Trace.ofDeduplicated(id, spans)).stream()
                .filter(c -> w.contains(c.epochNanos())).forEach(calls::add));
        return DependencyLinker.aggregate(calls);
    }

    /** Stores bucket {@code start} as the write side would: the calls of its window; none if it has no calls. */
    void seal(long start) {
        List<DependencyLink> links = expected(new TimeWindow(start, start + W - 1));
        if (!links.isEmpty()) {
            store.putDependencies(new DependencyBucket(start, start + W, links));
        }
    }

    long now() {
        return clock.nanos();
    }

    @Test
    void answersArbitraryWindowsExactlyWhicheverBucketsAreStored() throws Exception {
        Random random = new Random(3);
        long t0 = now() - Duration.ofMinutes(30).toNanos() + 123_456_789L;
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            spans.addAll(shop(new TraceId(1, i + 1), t0 + i * 3_333 * MS, i % 7 == 0));
        }
        write(spans);
        List<TimeWindow> windows = new ArrayList<>();
        windows.add(new TimeWindow(t0, t0 + Duration.ofMinutes(20).toNanos()));
        windows.add(new TimeWindow(0, now()));
        for (int i = 0; i < 12; i++) {
            long a = t0 - 5_000 * MS + (long) (random.nextDouble() * 1_000_000 * MS);
            windows.add(new TimeWindow(a, a + (long) (random.nextDouble() * 600_000 * MS)));
        }
        windows.add(new TimeWindow(t0 + 2 * MS, t0 + 2 * MS)); // one instant: the first order-service call

        for (TimeWindow w : windows) {
            assertThat(deps.dependencies(w)).as("nothing sealed " + w).isEqualTo(expected(w));
        }
        assertThat(deps.dependencies(new TimeWindow(t0 + 2 * MS, t0 + 2 * MS)))
                .containsExactly(new DependencyLink("frontend", "order-service", 1, 1));

        long settled = DependencyBuckets.bucketOf(now() - Duration.ofSeconds(30).toNanos()) - W;
        List<Long> all = new ArrayList<>();
        for (long b = DependencyBuckets.bucketOf(t0) - W; b <= settled; b += W) {
            all.add(b);
        }
        // some stored, with holes (as when late spans deleted some, or the sealer lags), then all of them
        for (long b : all) {
            if (random.nextInt(3) == 0) {
                seal(b);
            }
        }
        for (TimeWindow w : windows) {
            assertThat(deps.dependencies(w)).as("partly sealed " + w).isEqualTo(expected(w));
        }
        all.forEach(this::seal);
        assertThat(store.dependencyBuckets(0, Long.MAX_VALUE)).hasSizeGreaterThanOrEqualTo(90);
        for (TimeWindow w : windows) {
            assertThat(deps.dependencies(w)).as("sealed " + w).isEqualTo(expected(w));
        }
        assertThat(deps.dependencies(new TimeWindow(0, now()))).contains(
                new DependencyLink("frontend", "order-service", 300, 43),
                new DependencyLink("order-service", "inventory", 300, 300));
    }

    @Test
    void usesAStoredBucketForWindowsThatHoldItWholeAndSpansForTheRest() throws Exception {
        long b = DependencyBuckets.bucketOf(now() - Duration.ofMinutes(10).toNanos());
        write(shop(new TraceId(2, 1), b + 1_000 * MS, false));
        // a bucket whose links no span shows: seen only where the answer comes from the bucket
        DependencyLink marker = new DependencyLink("marker", "bucket", 1, 0);
        store.putDependencies(new DependencyBucket(b, b + W, List.of(marker)));

        assertThat(deps.dependencies(new TimeWindow(b, b + W - 1))).containsExactly(marker);
        assertThat(deps.dependencies(new TimeWindow(b - W, b + 2 * W))).containsExactly(marker);
        assertThat(deps.dependencies(new TimeWindow(b + 1, b + W - 1))).as("partial: derived")
                .isEqualTo(expected(new TimeWindow(b + 1, b + W - 1))).doesNotContain(marker).isNotEmpty();
    }

    @Test
    void extremeWindowsBreakNothing() throws Exception {
        write(shop(new TraceId(3, 1), now() - Duration.ofMinutes(5).toNanos(), false));
        for (TimeWindow w : List.of(new TimeWindow(Long.MIN_VALUE, Long.MAX_VALUE),
                new TimeWindow(Long.MIN_VALUE, Long.MIN_VALUE), new TimeWindow(Long.MAX_VALUE, Long.MAX_VALUE),
                new TimeWindow(Long.MAX_VALUE - 1, Long.MAX_VALUE), new TimeWindow(-W - 1, -1))) {
            assertThat(deps.dependencies(w)).as(w.toString()).isEqualTo(expected(w));
        }
    }
}
