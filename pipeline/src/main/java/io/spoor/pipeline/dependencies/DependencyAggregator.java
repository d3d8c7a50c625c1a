package io.spoor.pipeline.dependencies;

import static io.spoor.dependencies.DependencyBuckets.W;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.dependencies.DependencyBuckets;
import io.spoor.dependencies.DependencyLinker;
import io.spoor.model.DependencyLink;
import io.spoor.model.Span;
import io.spoor.pipeline.SpanConsumer;
import io.spoor.storage.DependencyBucket;
import io.spoor.storage.DependencyStore;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import io.spoor.storage.TraceReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-side stage after the store (the Collector's servicegraph connector is the model): every batch the store
 * made durable comes here, and the service dependencies the stored traces show are aggregated into
 * {@link DependencyBuckets} buckets in the engine's {@link DependencyStore}. The read side
 * ({@code io.spoor.query.DependencyService}) adds those buckets up and derives only the rest from spans.
 *
 * <p><b>Sealing.</b> Once a bucket ended more than the settle delay ago (traces are complete by then), a background
 * sealer derives its calls from the stored traces ({@link DependencyLinker}) and stores the aggregated links.
 * Stretches without spans are found with one search and never stored. After a restart, buckets missing in the last
 * {@code backfill} (the retention) are sealed again, newest first. The sealer takes at most a tenth of one core: it
 * sleeps nine times as long as it works, so under sustained heavy ingest it lags and queries derive more.
 *
 * <p><b>Late spans.</b> A stored span that lands in a sealed bucket, or may complete a call in one (its own lifetime
 * and the bucket before its start), makes those buckets dirty: they are deleted from the store at once, so that the
 * store never holds a bucket a stored span contradicts (the read side therefore needs no knowledge of this stage),
 * and are sealed again once no late span has touched them for the settle delay. A seal that a late span overtakes is
 * not stored (checked under the same lock that marks buckets dirty).
 *
 * <p><b>Bounded bookkeeping, whatever the timestamps.</b> Sealed and dirty buckets are kept as ranges
 * ({@link BucketRanges}), so marking a span's lifetime costs the same for ten seconds and for thirty days; a span's
 * part older than the backfill is ignored (its buckets are past retention and are never sealed), at most a day
 * after its start is considered, and an end before its start counts as its start. Timestamps are turned into bucket
 * indices before any arithmetic, so none (negative ones, those of 2^63 ns and more) can overflow. Dirty ranges are at
 * most {@link #MAX_DIRTY_RANGES}; beyond that a new one is merged with its nearest neighbour (the buckets between are
 * resealed: more work, never a wrong answer).
 *
 * <p><b>Failures.</b> Neither a failing store nor any other error stops the sealer: each round catches everything,
 * logs it and counts it in {@code spoor_dependencies_failures_total{stage="seal"}}, and the next round retries. A
 * failure while marking late spans ({@code stage="observe"}) never fails the export, which is already durable.
 */
public final class DependencyAggregator implements SpanConsumer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DependencyAggregator.class);
    /** The sealer sleeps this many times as long as it worked: it takes at most 1/(1+n) of one core. */
    static final long DUTY_SLEEP_FACTOR = 9;
    /** Buckets after a span's start that its arrival may change at most (a day). */
    static final long MAX_BUCKETS_PER_SPAN = Duration.ofDays(1).toNanos() / W;
    /** Dirty ranges kept at most; more are merged. */
    static final int MAX_DIRTY_RANGES = 4096;

    private final TraceReader reader;
    private final DependencyStore store;
    private final Clock clock;
    private final long settleNanos;
    private final long backfillNanos;
    private final Counter sealFailures;
    private final Counter observeFailures;
    private final Counter sealedBuckets;

    /** Guards {@link #dirty}, {@link #sealed} and the store's buckets between a mark and a seal. */
    private final Object lock = new Object();
    /** Buckets touched by late spans; stamp = when last touched (clock nanos). */
    private final BucketRanges dirty = new BucketRanges();
    /** Buckets known to be sealed in the store, or known to hold no span (the sweep then skips them). */
    private final BucketRanges sealed = new BucketRanges();
    /** Buckets below this index may be sealed (or being sealed): spans landing below it are checked. */
    private volatile long sealTarget = Long.MIN_VALUE;
    /** Buckets below this index are past the backfill: never sealed, never marked. */
    private volatile long floor = Long.MIN_VALUE;
    private ScheduledExecutorService sealer;
    private volatile boolean closed;

    public DependencyAggregator(TraceReader reader, DependencyStore store, Clock clock, Duration settle,
                                Duration backfill, MeterRegistry registry) {
        this.reader = reader;
        this.store = store;
        this.clock = clock;
        this.settleNanos = settle.toNanos();
        this.backfillNanos = backfill.toNanos();
        this.sealFailures = Counter.builder("spoor_dependencies_failures").tag("stage", "seal")
                .description("Errors met while aggregating service dependencies (the work is retried)")
                .register(registry);
        this.observeFailures = Counter.builder("spoor_dependencies_failures").tag("stage", "observe")
                .description("Errors met while aggregating service dependencies (the work is retried)")
                .register(registry);
        this.sealedBuckets = Counter.builder("spoor_dependencies_sealed_buckets")
                .description("Dependency buckets derived from stored spans and stored").register(registry);
        Gauge.builder("spoor_dependencies_dirty_ranges", this, DependencyAggregator::dirtyRanges)
                .description("Stretches of dependency buckets changed by late spans, waiting to be sealed again")
                .register(registry);
    }

    /**
     * Reads which buckets the store holds, then starts the background sealer (every few seconds). Late spans are
     * marked from the moment this returns.
     */
    public synchronized DependencyAggregator start() {
        initialize();
        sealer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spoor-dependency-sealer");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        sealer.scheduleWithFixedDelay(this::sealRound, 1, 5, TimeUnit.SECONDS);
        return this;
    }

    /**
     * One round of the background sealer. Catches everything (a periodic task that throws is never run again): the
     * error is logged and counted, and the next round retries.
     */
    void sealRound() {
        try {
            sealDue(Long.MAX_VALUE, true);
        } catch (Throwable e) {
            if (closed) {
                return;
            }
            sealFailures.increment();
            log.warn("sealing service-dependency buckets failed; the next round retries (queries derive the "
                    + "unsealed part from spans meanwhile)", e);
        }
    }

    private long now() {
        Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    // ---------------------------------------------------------------- the stage: every stored batch

    /** Takes a batch the store made durable; never fails (the spans are stored whatever happens here). */
    @Override
    public CompletableFuture<Void> consume(List<Span> spans) {
        try {
            observe(spans);
        } catch (Throwable e) {
            observeFailures.increment();
            log.warn("marking dependency buckets for {} stored spans failed; they are sealed again later", spans.size(),
                    e);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Marks the buckets that late spans change: bounded work per span, whatever its timestamps. */
    void observe(List<Span> spans) {
        long target = sealTarget;
        if (target == Long.MIN_VALUE) {
            return;
        }
        long low = floor;
        List<long[]> touched = null;
        for (Span s : spans) {
            long start = DependencyBuckets.index(s.startEpochNanos());
            long lo = start - 1;  // the bucket before its start: a call of its parent there may change
            if (lo >= target) {
                continue; // the common case: a recent span, nothing sealed where it lands
            }
            long end = DependencyBuckets.index(Math.max(s.endEpochNanos(), s.startEpochNanos()));
            long hi = Math.min(Math.min(end, lo + MAX_BUCKETS_PER_SPAN), target - 1);
            lo = Math.max(lo, low);
            if (lo > hi) {
                continue; // wholly past the backfill (a span of 1971), or a lifetime cut off by the day cap
            }
            if (touched == null) {
                touched = new ArrayList<>();
            }
            touched.add(new long[] {lo, hi});
        }
        if (touched != null) {
            markDirty(touched, now());
        }
    }

    private void markDirty(List<long[]> ranges, long touchedAt) {
        synchronized (lock) {
            for (long[] r : ranges) {
                dirty.add(r[0], r[1], touchedAt);
                if (dirty.size() > MAX_DIRTY_RANGES) {
                    dirty.mergeWithNearest(r[0]);
                }
                for (long[] s : sealed.within(r[0], r[1])) {
                    sealed.remove(s[0], s[1]);
                    // Only buckets with spans were stored: this costs what was stored there, not the span's length.
                    for (DependencyBucket b : store.dependencyBuckets(DependencyBuckets.start(s[0]),
                            DependencyBuckets.start(s[1] + 1))) {
                        store.deleteDependencies(b.startEpochNanos());
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- sealing

    /**
     * Seals buckets that are due: settled buckets never sealed, missing ones in the backfill (newest first) and dirty
     * ones quiet for the settle delay. Stops after {@code maxBuckets} seals; returns how many were sealed.
     * Package-private for tests, which call it without throttling.
     */
    int sealDue(long maxBuckets, boolean throttle) {
        initialize();
        long now = now();
        long last = lastDue(now);
        long first = DependencyBuckets.index(now - backfillNanos);
        if (last + 1 > sealTarget) {
            sealTarget = last + 1;
        }
        floor = Math.max(floor, first);
        synchronized (lock) {
            sealed.removeBelow(first);
            dirty.removeBelow(first);
            for (long[] r : dirty.all()) {
                if (now - r[2] >= settleNanos) {
                    dirty.remove(r[0], r[1]); // quiet: its buckets are now simply unsealed
                }
            }
        }
        int[] done = {0};
        List<long[]> gaps;
        synchronized (lock) {
            gaps = BucketRanges.gaps(first, last, sealed, dirty);
        }
        for (long[] gap : gaps) {
            if (done[0] >= maxBuckets || closed) {
                break;
            }
            sealRange(gap[0], gap[1], maxBuckets, throttle, done);
        }
        return done[0];
    }

    /** The last bucket that ended at least the settle delay before {@code now}. */
    private long lastDue(long now) {
        return DependencyBuckets.index(now - settleNanos) - 1;
    }

    /**
     * Once: the buckets the store holds (from an earlier run) are known sealed, and only then are late spans marked,
     * so that a late span cannot miss a bucket stored before the restart.
     */
    private void initialize() {
        if (sealTarget != Long.MIN_VALUE) {
            return;
        }
        synchronized (lock) {
            if (sealTarget != Long.MIN_VALUE) {
                return;
            }
            long now = now();
            long first = DependencyBuckets.index(now - backfillNanos);
            for (DependencyBucket b : store.dependencyBuckets(DependencyBuckets.start(first), Long.MAX_VALUE)) {
                long i = DependencyBuckets.index(b.startEpochNanos());
                sealed.add(i, i, 0);
            }
            floor = first;
            sealTarget = lastDue(now) + 1;
        }
    }

    /**
     * Seals the buckets {@code first..last} (indices, inclusive), newest first. A stretch without any span is found
     * with one search and only remembered as done: a bucket without spans is never stored (a query derives nothing
     * from it at the cost of one empty search).
     */
    private void sealRange(long first, long last, long maxBuckets, boolean throttle, int[] done) {
        if (last < first || done[0] >= maxBuckets || closed) {
            return;
        }
        TimeWindow window = new TimeWindow(DependencyBuckets.start(first), DependencyBuckets.start(last + 1) - 1);
        if (reader.findTraces(TraceQuery.all(1).withWindowAndLimit(window, 1)).isEmpty()) {
            synchronized (lock) {
                for (long[] g : BucketRanges.gaps(first, last, sealed, dirty)) {
                    sealed.add(g[0], g[1], 0);
                }
            }
            return;
        }
        if (first == last) {
            seal(first, throttle);
            done[0]++;
            return;
        }
        long mid = first + (last - first) / 2;
        sealRange(mid + 1, last, maxBuckets, throttle, done);
        sealRange(first, mid, maxBuckets, throttle, done);
    }

    private void seal(long index, boolean throttle) {
        long t0 = System.nanoTime();
        long start = DependencyBuckets.start(index);
        List<DependencyLink> links = DependencyLinker.aggregate(DependencyLinker.callsIn(reader,
                List.of(new TimeWindow(start, start + W - 1))));
        synchronized (lock) {
            // A late span marked the bucket while its links were derived: they may be stale, so do not store them;
            // the bucket is sealed again once quiet.
            if (!dirty.contains(index) && !sealed.contains(index)) {
                store.putDependencies(new DependencyBucket(start, start + W, links));
                sealed.add(index, index, 0);
                sealedBuckets.increment();
            }
        }
        if (throttle) {
            long worked = System.nanoTime() - t0;
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(DUTY_SLEEP_FACTOR * worked, TimeUnit.SECONDS.toNanos(10)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- for tests and metrics

    /** Stretches of dirty buckets (the size of the bookkeeping, whatever they span). */
    int dirtyRanges() {
        synchronized (lock) {
            return dirty.size();
        }
    }

    /** Dirty buckets (counted, not enumerated). */
    long dirtyBuckets() {
        synchronized (lock) {
            return dirty.count();
        }
    }

    int sealedRanges() {
        synchronized (lock) {
            return sealed.size();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (sealer != null) {
            sealer.shutdownNow();
            try {
                sealer.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
