package io.spoor.pipeline.dependencies;

import static io.spoor.dependencies.DependencyBuckets.W;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 */
public final class DependencyAggregator implements SpanConsumer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DependencyAggregator.class);
    /** The sealer sleeps this many times as long as it worked: it takes at most 1/(1+n) of one core. */
    static final long DUTY_SLEEP_FACTOR = 9;
    /** Buckets marked dirty per span at most (a span lasting over a day marks only its first day). */
    private static final int MAX_BUCKETS_PER_SPAN = 8640;

    private final TraceReader reader;
    private final DependencyStore store;
    private final Clock clock;
    private final long settleNanos;
    private final long backfillNanos;
    /** Guards the store's buckets between a mark and a seal. */
    private final Object lock = new Object();
    /** Dirty bucket start → when it was last touched (clock nanos). */
    private final Map<Long, Long> dirty = new ConcurrentHashMap<>();
    /** Buckets starting before this may be sealed (or being sealed): spans below it are checked by observe. */
    private volatile long sealTarget = Long.MIN_VALUE;
    /** Buckets known to be sealed in the store, from the last sweep (so the sweep does not re-read the store). */
    private final Set<Long> sealed = ConcurrentHashMap.newKeySet();
    private long sweptFrom = Long.MAX_VALUE;
    private ScheduledExecutorService sealer;
    private volatile boolean closed;

    public DependencyAggregator(TraceReader reader, DependencyStore store, Clock clock, Duration settle,
                                Duration backfill) {
        this.reader = reader;
        this.store = store;
        this.clock = clock;
        this.settleNanos = settle.toNanos();
        this.backfillNanos = backfill.toNanos();
    }

    /** Starts the background sealer (every few seconds). */
    public synchronized DependencyAggregator start() {
        sealer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spoor-dependency-sealer");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        sealer.scheduleWithFixedDelay(() -> {
            try {
                sealDue(Long.MAX_VALUE, true);
            } catch (RuntimeException e) {
                if (!closed) {
                    log.warn("sealing dependency buckets failed; will retry", e);
                }
            }
        }, 1, 5, TimeUnit.SECONDS);
        return this;
    }

    private long now() {
        java.time.Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    // ---------------------------------------------------------------- the stage: every stored batch

    /** Takes a batch the store made durable; the spans are stored whatever happens here. */
    @Override
    public CompletableFuture<Void> consume(List<Span> spans) {
        observe(spans);
        return CompletableFuture.completedFuture(null);
    }

    /** Marks the buckets that late spans change. */
    void observe(List<Span> spans) {
        long target = sealTarget;
        if (target == Long.MIN_VALUE) {
            return;
        }
        long touched = now();
        for (Span s : spans) {
            long lo = s.startEpochNanos() - W;
            if (lo >= target) {
                continue; // the common case: a recent span, nothing sealed where it lands
            }
            long hi = Math.min(Math.max(s.endEpochNanos(), s.startEpochNanos()), target - 1);
            int n = 0;
            synchronized (lock) {
                for (long b = DependencyBuckets.bucketOf(lo); b <= hi && n < MAX_BUCKETS_PER_SPAN; b += W, n++) {
                    if (dirty.put(b, touched) == null) {
                        sealed.remove(b);
                        store.deleteDependencies(b);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- sealing

    /**
     * Seals buckets that are due: new settled buckets, missing ones in the backfill window (newest first) and dirty
     * ones that have been quiet for the settle delay. Stops after {@code maxBuckets}. Package-private for tests,
     * which call it without throttling.
     */
    int sealDue(long maxBuckets, boolean throttle) {
        long now = now();
        long target = DependencyBuckets.bucketOf(now - settleNanos) - W; // last bucket whose end is `settle` ago
        long from = DependencyBuckets.bucketOf(now - backfillNanos);
        if (from < sweptFrom) {
            for (DependencyBucket b : store.dependencyBuckets(from, Long.MAX_VALUE)) {
                sealed.add(b.startEpochNanos());
            }
            sweptFrom = from;
        }
        if (target + W > sealTarget) {
            sealTarget = target + W;
        }
        sealed.removeIf(b -> b < from);
        int[] done = {0};
        sealRange(from, target, maxBuckets, throttle, done);
        for (Map.Entry<Long, Long> e : List.copyOf(dirty.entrySet())) {
            if (done[0] >= maxBuckets || closed) {
                break;
            }
            long b = e.getKey();
            if (now - e.getValue() >= settleNanos && b <= target) {
                if (dirty.remove(b, e.getValue())) { // unless touched again meanwhile
                    seal(b, throttle);
                    done[0]++;
                }
            } else if (b < from) {
                dirty.remove(b);
            }
        }
        return done[0];
    }

    /**
     * Seals the unsealed buckets between {@code first} and {@code last} (bucket starts, inclusive), newest first.
     * A stretch without any span is found with one search and skipped whole: a bucket without spans is never
     * stored (a query derives nothing from it at the cost of one empty search), only remembered as done.
     */
    private void sealRange(long first, long last, long maxBuckets, boolean throttle, int[] done) {
        if (last < first || done[0] >= maxBuckets || closed) {
            return;
        }
        if (allSealed(first, last)) {
            return;
        }
        boolean empty = reader.findTraces(TraceQuery.all(1).withWindowAndLimit(new TimeWindow(first, last + W - 1), 1))
                .isEmpty();
        if (empty) {
            synchronized (lock) {
                for (long b = first; b <= last; b += W) {
                    if (!dirty.containsKey(b)) {
                        sealed.add(b);
                    }
                }
            }
            return;
        }
        if (first == last) {
            if (!sealed.contains(first) && !dirty.containsKey(first)) {
                seal(first, throttle);
                done[0]++;
            }
            return;
        }
        long mid = first + ((last - first) / W / 2) * W;
        sealRange(mid + W, last, maxBuckets, throttle, done);
        sealRange(first, mid, maxBuckets, throttle, done);
    }

    private boolean allSealed(long first, long last) {
        if ((last - first) / W + 1 > sealed.size()) {
            return false;
        }
        for (long b = last; b >= first; b -= W) {
            if (!sealed.contains(b)) {
                return false;
            }
        }
        return true;
    }

    private void seal(long bucket, boolean throttle) {
        long t0 = System.nanoTime();
        List<DependencyLink> links = DependencyLinker.aggregate(DependencyLinker.callsIn(reader,
                List.of(new TimeWindow(bucket, bucket + W - 1))));
        synchronized (lock) {
            // A late span marked the bucket while its links were derived: they may be stale, so do not store them;
            // the bucket is sealed again once quiet.
            if (!dirty.containsKey(bucket)) {
                store.putDependencies(new DependencyBucket(bucket, bucket + W, links));
                sealed.add(bucket);
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

    /** Dirty buckets right now (for tests). */
    int dirtyBuckets() {
        return dirty.size();
    }

    Set<Long> sealedBuckets() {
        return new HashSet<>(sealed);
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
