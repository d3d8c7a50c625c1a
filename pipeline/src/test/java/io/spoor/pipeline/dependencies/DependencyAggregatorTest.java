package io.spoor.pipeline.dependencies;

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
import io.spoor.storage.DependencyStore;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage after the store, over the real embedded engine: every bucket it seals holds exactly the calls of the
 * stored spans in it, and late spans never leave a stale bucket in the store.
 * (The read side's half of the exactness property is io.spoor.query.DependencyServiceTest.)
 */
class DependencyAggregatorTest {
    static final long W = DependencyBuckets.W;
    static final Duration SETTLE = Duration.ofSeconds(30);
    static final Duration BACKFILL = Duration.ofHours(2);

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T12:00:00Z"));
    SpanStore store;
    CountingStore buckets;
    DependencyAggregator aggregator;
    final List<Span> written = new ArrayList<>();

    /** The engine's dependency store, counting what is asked of it. */
    static final class CountingStore implements DependencyStore {
        final DependencyStore delegate;
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger puts = new AtomicInteger();
        final AtomicInteger deletes = new AtomicInteger();

        CountingStore(DependencyStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void putDependencies(DependencyBucket bucket) {
            puts.incrementAndGet();
            delegate.putDependencies(bucket);
        }

        @Override
        public List<DependencyBucket> dependencyBuckets(long fromEpochNanos, long toEpochNanos) {
            reads.incrementAndGet();
            return delegate.dependencyBuckets(fromEpochNanos, toEpochNanos);
        }

        @Override
        public void deleteDependencies(long startEpochNanos) {
            deletes.incrementAndGet();
            delegate.deleteDependencies(startEpochNanos);
        }

        int calls() {
            return reads.get() + puts.get() + deletes.get();
        }
    }

    @BeforeEach
    void open() {
        store = open(dir);
        buckets = new CountingStore(store);
        aggregator = new DependencyAggregator(store, buckets, clock, SETTLE, BACKFILL);
    }

    SpanStore open(Path d) {
        return LuceneSpanStore.open(LuceneStoreSettings.defaults(d).withClock(clock)
                .withFsyncPolicy(FsyncPolicy.NONE).withRefreshInterval(Duration.ofMillis(20)));
    }

    @AfterEach
    void close() {
        aggregator.close();
        store.close();
    }

    /** Writes as the pipeline does: the store first, then the stage after it. */
    void write(List<Span> spans) throws Exception {
        store.write(spans).get(30, TimeUnit.SECONDS);
        aggregator.consume(spans).get(1, TimeUnit.SECONDS);
        written.addAll(spans);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (store.findTraces(TraceQuery.all(TraceQuery.MAX_LIMIT)).stream().mapToInt(t -> t.spanCount()).sum()
                < written.stream().map(s -> s.traceId() + "/" + s.spanId()).distinct().count()
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** The calls of every written trace whose time is in the window, by brute force. */
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

    /** Every stored bucket holds exactly its window's calls, and every settled bucket with calls is stored. */
    void assertStoredBucketsAreExact(long from, long to) {
        List<DependencyBucket> stored = store.dependencyBuckets(from, to);
        for (DependencyBucket b : stored) {
            assertThat(b.endEpochNanos() - b.startEpochNanos()).isEqualTo(W);
            assertThat(b.links()).as("bucket " + b.startEpochNanos())
                    .isEqualTo(expected(new TimeWindow(b.startEpochNanos(), b.endEpochNanos() - 1)));
        }
        for (long b = DependencyBuckets.bucketOf(from); b < to; b += W) {
            if (!expected(new TimeWindow(b, b + W - 1)).isEmpty()) {
                long start = b;
                assertThat(stored).as("bucket " + b + " has calls").anyMatch(x -> x.startEpochNanos() == start);
            }
        }
    }

    long now() {
        return clock.nanos();
    }

    @Test
    void sealsEverySettledBucketWithExactlyTheCallsOfItsStoredSpans() throws Exception {
        long t0 = now() - Duration.ofMinutes(30).toNanos() + 123_456_789L;
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            spans.addAll(shop(new TraceId(1, i + 1), t0 + i * 3_333 * MS, i % 7 == 0));
        }
        write(spans);

        int sealed = aggregator.sealDue(Long.MAX_VALUE, false);

        assertThat(sealed).isGreaterThanOrEqualTo(90); // buckets holding spans; empty ones are skipped, not stored
        assertStoredBucketsAreExact(t0 - W, now() - SETTLE.toNanos() - W);
        assertThat(aggregator.sealDue(Long.MAX_VALUE, false)).as("nothing left to seal").isZero();
    }

    @Test
    void aLateSpanInASealedBucketDeletesItAtOnceAndItIsSealedAgainWhenQuiet() throws Exception {
        long t0 = now() - Duration.ofMinutes(10).toNanos();
        List<Span> shop = shop(new TraceId(2, 2), t0, false);
        // the order-service server span and everything below it arrive first; frontend's spans are late
        write(shop.stream().filter(s -> !s.serviceName().equals("frontend")).toList());
        aggregator.sealDue(Long.MAX_VALUE, false);
        long bucket = DependencyBuckets.bucketOf(t0 + 2 * MS);
        assertThat(store.dependencyBuckets(bucket, bucket + W)).singleElement()
                .satisfies(b -> assertThat(b.links()).doesNotContain(new DependencyLink("frontend", "order-service", 1,
                        0)));

        write(shop.stream().filter(s -> s.serviceName().equals("frontend")).toList());

        assertThat(aggregator.dirtyBuckets()).isPositive();
        assertThat(store.dependencyBuckets(bucket, bucket + W)).as("stale bucket deleted at once").isEmpty();
        aggregator.sealDue(Long.MAX_VALUE, false);
        assertThat(store.dependencyBuckets(bucket, bucket + W)).as("not sealed again while late spans may come")
                .isEmpty();
        clock.advance(Duration.ofMinutes(1));
        aggregator.sealDue(Long.MAX_VALUE, false);
        assertThat(aggregator.dirtyBuckets()).isZero();
        assertThat(store.dependencyBuckets(bucket, bucket + W)).singleElement().satisfies(b -> assertThat(b.links())
                .contains(new DependencyLink("frontend", "order-service", 1, 0)));
        assertStoredBucketsAreExact(t0 - W, now() - SETTLE.toNanos() - W);
    }

    @Test
    void keepsSealedBucketsAcrossARestartAndSealsWhatIsMissing() throws Exception {
        long t0 = now() - Duration.ofMinutes(20).toNanos();
        for (int i = 0; i < 20; i++) {
            write(shop(new TraceId(3, i + 1), t0 + i * 30_000 * MS, false));
        }
        aggregator.sealDue(Long.MAX_VALUE, false);
        List<DependencyBucket> before = store.dependencyBuckets(0, Long.MAX_VALUE);
        store.deleteDependencies(DependencyBuckets.bucketOf(t0 + 5 * MS)); // as if lost

        aggregator.close();
        store.close();
        store = open(dir);
        buckets = new CountingStore(store);
        aggregator = new DependencyAggregator(store, buckets, clock, SETTLE, BACKFILL);
        assertThat(aggregator.sealDue(Long.MAX_VALUE, false)).as("only the lost bucket").isEqualTo(1);

        assertThat(store.dependencyBuckets(0, Long.MAX_VALUE)).isEqualTo(before);
    }
}
