package io.spoor.pipeline.dependencies;

import static io.spoor.dependencies.ShopTraces.MS;
import static io.spoor.dependencies.ShopTraces.shop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage after the store, over the real embedded engine: every bucket it seals holds exactly the calls of the
 * stored spans in it, late spans never leave a stale bucket in the store, and no timestamp makes its bookkeeping grow.
 * (The read side's half of the exactness property is io.spoor.query.DependencyServiceTest.)
 */
class DependencyAggregatorTest {
    static final long W = DependencyBuckets.W;
    static final Duration SETTLE = Duration.ofSeconds(30);
    static final Duration BACKFILL = Duration.ofHours(2);

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T12:00:00Z"));
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SpanStore store;
    CountingStore buckets;
    DependencyAggregator aggregator;
    final List<Span> written = new ArrayList<>();

    /** The engine's dependency store, counting what is asked of it and failing when told to. */
    static final class CountingStore implements DependencyStore {
        final DependencyStore delegate;
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger puts = new AtomicInteger();
        final AtomicInteger deletes = new AtomicInteger();
        final AtomicReference<Throwable> failNextPut = new AtomicReference<>();

        CountingStore(DependencyStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void putDependencies(DependencyBucket bucket) {
            Throwable t = failNextPut.getAndSet(null);
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
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
        aggregator = new DependencyAggregator(store, buckets, clock, SETTLE, BACKFILL, registry);
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
        assertThat(aggregator.sealedRanges()).as("sealed buckets are kept as ranges").isLessThanOrEqualTo(2);
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

        assertThat(aggregator.dirtyRanges()).isEqualTo(1);
        assertThat(store.dependencyBuckets(bucket, bucket + W)).as("stale bucket deleted at once").isEmpty();
        aggregator.sealDue(Long.MAX_VALUE, false);
        assertThat(store.dependencyBuckets(bucket, bucket + W)).as("not sealed again while late spans may come")
                .isEmpty();
        clock.advance(Duration.ofMinutes(1));
        aggregator.sealDue(Long.MAX_VALUE, false);
        assertThat(aggregator.dirtyRanges()).isZero();
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
        aggregator = new DependencyAggregator(store, buckets, clock, SETTLE, BACKFILL, registry);
        assertThat(aggregator.sealDue(Long.MAX_VALUE, false)).as("only the lost bucket").isEqualTo(1);

        assertThat(store.dependencyBuckets(0, Long.MAX_VALUE)).isEqualTo(before);
    }

    /** Issue 10: 10,000 spans dated 1971 lasting 30 days each made every request take 0.7 s and the heap grow 10×. */
    @Test
    void spansFrom1971LastingThirtyDaysCostNoBookkeeping() {
        aggregator.sealDue(Long.MAX_VALUE, false);
        int storeCalls = buckets.calls();
        long t1971 = Instant.parse("1971-03-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
        long thirtyDays = Duration.ofDays(30).toNanos();
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            long start = t1971 + i * 1_000_000_000L;
            spans.add(shop(new TraceId(1971, i + 1), start, false).getFirst().toBuilder().endEpochNanos(start
                    + thirtyDays).build());
        }

        aggregator.consume(spans);

        assertThat(aggregator.dirtyRanges()).isZero();
        assertThat(aggregator.dirtyBuckets()).isZero();
        assertThat(buckets.calls()).as("no store work").isEqualTo(storeCalls);
    }

    @Test
    void spansWithinRetentionLastingThirtyDaysMarkOneBoundedRange() throws Exception {
        long t0 = now() - Duration.ofMinutes(30).toNanos();
        for (int i = 0; i < 30; i++) {
            write(shop(new TraceId(4, i + 1), t0 + i * 60_000 * MS, false));
        }
        aggregator.sealDue(Long.MAX_VALUE, false);
        int storedBefore = store.dependencyBuckets(0, Long.MAX_VALUE).size();
        assertThat(storedBefore).isPositive();
        long thirtyDays = Duration.ofDays(30).toNanos();
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            long start = t0 - Duration.ofMinutes(50).toNanos() + i * 1_000_000L;
            spans.add(shop(new TraceId(5, i + 1), start, false).getFirst().toBuilder()
                    .endEpochNanos(start + thirtyDays).build());
        }
        int deletesBefore = buckets.deletes.get();

        aggregator.consume(spans);

        assertThat(aggregator.dirtyRanges()).isEqualTo(1);
        // from the bucket before the first start to the last settled bucket: about 80 minutes, not 30 days
        assertThat(aggregator.dirtyBuckets()).isLessThan(Duration.ofMinutes(90).toNanos() / W);
        assertThat(buckets.deletes.get() - deletesBefore).as("each stored bucket deleted once")
                .isEqualTo(storedBefore);
        assertThat(store.dependencyBuckets(0, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void negativeFarFutureAndBackwardsTimestampsBreakNothing() {
        aggregator.sealDue(Long.MAX_VALUE, false);
        long now = now();
        long[][] times = {
                {-1, -1}, // 2^64 - 1 ns as an unsigned number: "negative" as a signed long
                {Long.MIN_VALUE, Long.MAX_VALUE},
                {Long.MAX_VALUE, Long.MIN_VALUE},
                {Long.MIN_VALUE, Long.MIN_VALUE},
                {Long.MAX_VALUE, Long.MAX_VALUE},
                {now - Duration.ofMinutes(5).toNanos(), now - Duration.ofMinutes(6).toNanos()}, // ends before it starts
                {now - Duration.ofMinutes(5).toNanos(), Long.MAX_VALUE},
                {Long.MIN_VALUE, now - Duration.ofMinutes(5).toNanos()},
        };
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            spans.add(Span.builder(new TraceId(6, i + 1), i + 1).name("op").startEpochNanos(times[i][0])
                    .endEpochNanos(times[i][1]).build());
        }

        assertThatCode(() -> aggregator.consume(spans).get(1, TimeUnit.SECONDS)).doesNotThrowAnyException();
        assertThatCode(() -> aggregator.sealDue(Long.MAX_VALUE, false)).doesNotThrowAnyException();

        assertThat(registry.get("spoor_dependencies_failures").tag("stage", "observe").counter().count()).isZero();
        // the backwards span marks the bucket before its start and its start; the others are at most a day each
        assertThat(aggregator.dirtyRanges()).isLessThanOrEqualTo(3);
        assertThat(aggregator.dirtyBuckets()).isLessThanOrEqualTo(3 * (DependencyAggregator.MAX_BUCKETS_PER_SPAN + 1));
    }

    @Test
    void theSealerSurvivesAnyErrorAndSaysSo() throws Exception {
        long t0 = now() - Duration.ofMinutes(10).toNanos();
        write(shop(new TraceId(7, 1), t0, false));

        buckets.failNextPut.set(new IllegalStateException("disk on fire (test)"));
        aggregator.sealRound();
        buckets.failNextPut.set(new StackOverflowError("a bug (test)"));
        aggregator.sealRound();
        assertThat(store.dependencyBuckets(0, Long.MAX_VALUE)).isEmpty();
        assertThat(registry.get("spoor_dependencies_failures").tag("stage", "seal").counter().count()).isEqualTo(2);

        aggregator.sealRound();

        assertThat(store.dependencyBuckets(0, Long.MAX_VALUE)).isNotEmpty();
        assertStoredBucketsAreExact(t0 - W, now() - SETTLE.toNanos() - W);
    }
}
