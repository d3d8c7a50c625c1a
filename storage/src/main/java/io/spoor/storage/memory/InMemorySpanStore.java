package io.spoor.storage.memory;

import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.DependencyBucket;
import io.spoor.storage.Operation;
import io.spoor.storage.SpanStore;
import io.spoor.storage.StorageStats;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * A storage engine that keeps everything on the heap, as Zipkin's in-memory storage does: for tests, demos and
 * short-lived instances. Nothing survives the process. It passes the storage contract (except durability across a
 * restart, which it does not promise), so a component that works on it works on a durable engine.
 *
 * <p><b>Bound.</b> At most {@link InMemoryStoreSettings#maxSpans()} spans are held. A write that goes past it evicts
 * whole traces, the one that started first going first (the newest data is what users look at), and counts them
 * ({@link #evictedSpans()}). A write is acknowledged when its spans are in memory, so an acknowledged span can be
 * evicted later by newer ones; that is the price of the bound and why this engine is not for production.
 *
 * <p><b>Shape.</b> One map of traces by id, each trace's spans by span id (a retried span replaces its copy, so it
 * appears once); the traces ordered by their start, which serves "newest first" searches and oldest-first
 * eviction; reference-counted services and operations for the catalog. One read-write lock: reads run together,
 * writes one at a time. Searches check every candidate with {@link TraceQuery#matches}, newest trace first, so the
 * limit is applied after every filter.
 */
public final class InMemorySpanStore implements SpanStore {
    private static final Comparator<StoredTrace> BY_START =
            Comparator.comparingLong((StoredTrace t) -> t.start).thenComparing(t -> t.id);
    private static final Comparator<Operation> OPERATION_ORDER =
            Comparator.comparing(Operation::name).thenComparing(Operation::kind);

    private final InMemoryStoreSettings settings;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // guarded by lock
    private final Map<TraceId, StoredTrace> traces = new HashMap<>();
    private final TreeSet<StoredTrace> byStart = new TreeSet<>(BY_START);
    private final TreeMap<String, TreeMap<Operation, Integer>> catalog = new TreeMap<>();
    private final TreeMap<Long, DependencyBucket> buckets = new TreeMap<>();
    private long spanCount;
    private final AtomicLong evicted = new AtomicLong();
    private volatile boolean closed;

    /** The spans of one trace, by span id, and the earliest start among them. */
    private static final class StoredTrace {
        final TraceId id;
        final LinkedHashMap<Long, Span> spans = new LinkedHashMap<>();
        long start = Long.MAX_VALUE;

        StoredTrace(TraceId id) {
            this.id = id;
        }

        Trace toTrace() {
            return new Trace(id, new ArrayList<>(spans.values()));
        }
    }

    public InMemorySpanStore(InMemoryStoreSettings settings) {
        this.settings = settings;
    }

    /** With the defaults: {@value InMemoryStoreSettings#DEFAULT_MAX_SPANS} spans, 7 days, the system clock. */
    public InMemorySpanStore() {
        this(InMemoryStoreSettings.defaults());
    }

    // ---------------------------------------------------------------- write side

    /** Completes at once: the spans are in memory (there is nothing more durable to wait for). */
    @Override
    public CompletableFuture<Void> write(List<Span> spans) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("span store is closed"));
        }
        lock.writeLock().lock();
        try {
            for (Span s : spans) {
                add(s);
            }
            evictBeyondBound();
        } finally {
            lock.writeLock().unlock();
        }
        return CompletableFuture.completedFuture(null);
    }

    private void add(Span s) {
        StoredTrace t = traces.get(s.traceId());
        if (t == null) {
            t = new StoredTrace(s.traceId());
            traces.put(t.id, t);
        } else if (s.startEpochNanos() < t.start) {
            byStart.remove(t); // re-sorted below with its new start
        }
        if (s.startEpochNanos() < t.start) {
            t.start = s.startEpochNanos();
            byStart.add(t);
        }
        Span old = t.spans.put(s.spanId(), s);
        if (old == null) {
            spanCount++;
        } else {
            uncatalog(old);
        }
        catalog(s);
    }

    private void evictBeyondBound() {
        while (spanCount > settings.maxSpans() && !byStart.isEmpty()) {
            StoredTrace oldest = byStart.pollFirst();
            traces.remove(oldest.id);
            for (Span s : oldest.spans.values()) {
                uncatalog(s);
            }
            spanCount -= oldest.spans.size();
            evicted.addAndGet(oldest.spans.size());
        }
    }

    private void catalog(Span s) {
        catalog.computeIfAbsent(s.serviceName(), k -> new TreeMap<>(OPERATION_ORDER))
                .merge(new Operation(s.name(), s.kind()), 1, Integer::sum);
    }

    private void uncatalog(Span s) {
        TreeMap<Operation, Integer> ops = catalog.get(s.serviceName());
        if (ops == null) {
            return;
        }
        ops.computeIfPresent(new Operation(s.name(), s.kind()), (k, n) -> n == 1 ? null : n - 1);
        if (ops.isEmpty()) {
            catalog.remove(s.serviceName());
        }
    }

    // ---------------------------------------------------------------- read side

    /** The hint is not needed: a lookup by id costs the same for any age. */
    @Override
    public Optional<Trace> trace(TraceId traceId, TimeWindow hint) {
        lock.readLock().lock();
        try {
            StoredTrace t = traces.get(traceId);
            return t == null ? Optional.empty() : Optional.of(t.toTrace());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<TraceSummary> findTraces(TraceQuery query) {
        List<TraceSummary> found = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (Iterator<StoredTrace> it = byStart.descendingIterator(); it.hasNext() && found.size() < query.limit(); ) {
                StoredTrace t = it.next();
                for (Span s : t.spans.values()) {
                    if (query.matches(s)) {
                        found.add(TraceSummary.of(t.toTrace()));
                        break;
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return found;
    }

    @Override
    public List<String> services() {
        lock.readLock().lock();
        try {
            return List.copyOf(catalog.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Operation> operations(String service) {
        lock.readLock().lock();
        try {
            TreeMap<Operation, Integer> ops = catalog.get(service);
            return ops == null ? List.of() : List.copyOf(ops.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Copies the matching traces under the read lock, then hands them over without it. */
    @Override
    public void scanTraces(TimeWindow window, Consumer<Trace> action) {
        List<Trace> matching = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (StoredTrace t : byStart) {
                for (Span s : t.spans.values()) {
                    if (window.contains(s.startEpochNanos())) {
                        matching.add(t.toTrace());
                        break;
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        matching.forEach(action);
    }

    // ---------------------------------------------------------------- dependency buckets

    @Override
    public void putDependencies(DependencyBucket bucket) {
        lock.writeLock().lock();
        try {
            buckets.put(bucket.startEpochNanos(), bucket);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public List<DependencyBucket> dependencyBuckets(long fromEpochNanos, long toEpochNanos) {
        if (toEpochNanos <= fromEpochNanos) {
            return List.of();
        }
        lock.readLock().lock();
        try {
            return List.copyOf(buckets.subMap(fromEpochNanos, true, toEpochNanos, false).values());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void deleteDependencies(long startEpochNanos) {
        lock.writeLock().lock();
        try {
            buckets.remove(startEpochNanos);
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- housekeeping

    /**
     * Deletes every span that started before now − retention (a trace whose every span is that old goes whole) and
     * every dependency bucket that ended before it.
     */
    @Override
    public void enforceRetention() {
        Instant now = settings.clock().instant();
        long cutoff = now.getEpochSecond() * 1_000_000_000L + now.getNano() - settings.retention().toNanos();
        lock.writeLock().lock();
        try {
            while (!byStart.isEmpty() && byStart.first().start < cutoff) {
                StoredTrace t = byStart.pollFirst();
                long newStart = Long.MAX_VALUE;
                for (Iterator<Span> it = t.spans.values().iterator(); it.hasNext(); ) {
                    Span s = it.next();
                    if (s.startEpochNanos() < cutoff) {
                        it.remove();
                        uncatalog(s);
                        spanCount--;
                    } else {
                        newStart = Math.min(newStart, s.startEpochNanos());
                    }
                }
                if (t.spans.isEmpty()) {
                    traces.remove(t.id);
                } else {
                    t.start = newStart;
                    byStart.add(t);
                }
            }
            buckets.values().removeIf(b -> b.endEpochNanos() <= cutoff);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Held spans; nothing on disk, nothing pending. */
    @Override
    public StorageStats stats() {
        if (closed) {
            throw new IllegalStateException("span store is closed");
        }
        lock.readLock().lock();
        try {
            return new StorageStats(spanCount, 0, 0);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Spans evicted so far to stay within {@link InMemoryStoreSettings#maxSpans()}. */
    public long evictedSpans() {
        return evicted.get();
    }

    /** Refuses further writes; what is held stays readable until the object is dropped. */
    @Override
    public void close() {
        closed = true;
    }
}
