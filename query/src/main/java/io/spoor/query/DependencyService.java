package io.spoor.query;

import io.spoor.model.DependencyLink;
import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.storage.DependencyBucket;
import io.spoor.storage.DependencyStore;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import io.spoor.storage.TraceReader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service dependencies for any time window: the calls {@link DependencyLinker} finds in the stored traces whose time
 * lies in the window, added up per caller → callee.
 *
 * <p><b>How it stays fast.</b> Time is cut into {@link #BUCKET} buckets. Once a bucket is older than the settle delay
 * (traces are complete by then), a background sealer derives its calls from the stored traces and stores the
 * aggregated links in the engine's {@link DependencyStore}. A query adds up the sealed buckets that lie wholly inside
 * its window and derives only the rest — the partial buckets at both ends and the recent, unsealed part — from the
 * stored traces. The answer is therefore exactly what the stored spans say, for any window, at the cost of reading
 * about one bucket of spans at each end plus the last {@code settle + BUCKET} of spans.
 *
 * <p><b>Late spans.</b> Every written batch passes {@link #observe}: a span that lands in a sealed bucket (or may
 * complete a call in one: its own lifetime and the bucket before its start) makes those buckets dirty. Dirty buckets
 * are deleted from the store at once (so a crash cannot leave them stale), are derived from spans by queries, and are
 * sealed again once no late span has touched them for the settle delay. After a restart, buckets missing in the
 * last {@code backfill} are sealed again, newest first.
 *
 * <p>The sealer uses at most a tenth of one core (it sleeps nine times as long as it works), so under sustained
 * heavy ingest it may lag; queries then derive more from spans and stay exact, only slower. Stretches without spans
 * are skipped with one search each and never stored.
 */
public final class DependencyService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DependencyService.class);
    public static final Duration BUCKET = Duration.ofSeconds(10);
    static final long W = BUCKET.toNanos();
    /** The sealer sleeps this many times as long as it worked: it takes at most 1/(1+n) of one core. */
    static final long DUTY_SLEEP_FACTOR = 9;
    /** Buckets marked dirty per span at most (a span lasting over a day marks only its first day). */
    private static final int MAX_BUCKETS_PER_SPAN = 8640;

    private final TraceReader reader;
    private final DependencyStore store;
    private final Clock clock;
    private final long settleNanos;
    private final long backfillNanos;
    /** Dirty bucket start → when it was last touched (clock nanos). */
    private final Map<Long, Long> dirty = new ConcurrentHashMap<>();
    /** Buckets starting before this may be sealed (or being sealed): spans below it are checked by observe. */
    private volatile long sealTarget = Long.MIN_VALUE;
    /** Buckets known to be sealed in the store, from the last sweep (so the sweep does not re-read the store). */
    private final Set<Long> sealed = ConcurrentHashMap.newKeySet();
    private long sweptFrom = Long.MAX_VALUE;
    private ScheduledExecutorService sealer;
    private volatile boolean closed;

    public DependencyService(TraceReader reader, DependencyStore store, Clock clock, Duration settle,
                             Duration backfill) {
        this.reader = reader;
        this.store = store;
        this.clock = clock;
        this.settleNanos = settle.toNanos();
        this.backfillNanos = backfill.toNanos();
    }

    /** Starts the background sealer (every few seconds). */
    public synchronized DependencyService start() {
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

    static long bucketOf(long epochNanos) {
        return Math.floorDiv(epochNanos, W) * W;
    }

    // ---------------------------------------------------------------- write side

    /** Called with every batch once it is stored: marks the buckets that late spans change. */
    public void observe(List<Span> spans) {
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
            for (long b = bucketOf(lo); b <= hi && n < MAX_BUCKETS_PER_SPAN; b += W, n++) {
                if (dirty.put(b, touched) == null && sealed.remove(b)) {
                    store.deleteDependencies(b);
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
        long target = bucketOf(now - settleNanos) - W; // last bucket whose end is at least `settle` ago
        if (target + W > sealTarget) {
            sealTarget = target + W;
        }
        long from = bucketOf(now - backfillNanos);
        if (from < sweptFrom) {
            for (DependencyBucket b : store.dependencyBuckets(from, Long.MAX_VALUE)) {
                sealed.add(b.startEpochNanos());
            }
            sweptFrom = from;
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
                seal(b, throttle);
                dirty.remove(b, e.getValue()); // unless touched again meanwhile
                done[0]++;
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
            for (long b = first; b <= last; b += W) {
                if (!dirty.containsKey(b)) {
                    sealed.add(b);
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
        TimeWindow w = new TimeWindow(bucket, bucket + W - 1);
        List<DependencyLink> links = DependencyLinker.aggregate(callsIn(List.of(w)));
        store.putDependencies(new DependencyBucket(bucket, bucket + W, links));
        sealed.add(bucket);
        if (throttle) {
            long worked = System.nanoTime() - t0;
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(DUTY_SLEEP_FACTOR * worked, TimeUnit.SECONDS.toNanos(10)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- read side

    /** Links of every call whose time lies in {@code window} (inclusive), sorted by parent then child. */
    public List<DependencyLink> dependencies(TimeWindow window) {
        long s = window.startEpochNanos();
        long e = window.endEpochNanos();
        List<DependencyLink> fromBuckets = new ArrayList<>();
        List<TimeWindow> rest = new ArrayList<>();
        long cursor = s; // everything before cursor is accounted for
        long firstFull = Math.floorDiv(s + W - 1, W) * W;
        if (e != Long.MAX_VALUE) {
            for (DependencyBucket b : store.dependencyBuckets(firstFull, e + 1)) {
                long bs = b.startEpochNanos();
                long be = b.endEpochNanos();
                if (bs < s || be - 1 > e || dirty.containsKey(bs)) {
                    continue;
                }
                if (bs > cursor) {
                    rest.add(new TimeWindow(cursor, bs - 1));
                }
                fromBuckets.addAll(b.links());
                cursor = be;
            }
        }
        if (cursor <= e) {
            rest.add(new TimeWindow(cursor, e));
        }
        List<DependencyLink> all = new ArrayList<>(fromBuckets);
        if (!rest.isEmpty()) {
            all.addAll(DependencyLinker.aggregate(callsIn(rest)));
        }
        return DependencyLinker.merge(all);
    }

    /** Calls whose time lies in one of the windows, derived from the stored traces (each trace read once). */
    private List<DependencyLinker.Call> callsIn(List<TimeWindow> windows) {
        Set<TraceId> seen = new HashSet<>();
        List<DependencyLinker.Call> calls = new ArrayList<>();
        for (TimeWindow w : windows) {
            reader.scanTraces(w, trace -> {
                if (!seen.add(trace.traceId())) {
                    return;
                }
                for (DependencyLinker.Call c : DependencyLinker.calls(trace)) {
                    for (TimeWindow x : windows) {
                        if (x.contains(c.epochNanos())) {
                            calls.add(c);
                            break;
                        }
                    }
                }
            });
        }
        return calls;
    }

    /** Dirty buckets right now (for tests and metrics). */
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
