package io.spoor.server.support;

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** A test double: stores in memory, and can be told to fail writes (to prove storage failures are retryable). */
public final class InMemorySpanStore implements SpanStore {
    private final Map<TraceId, List<Span>> traces = new ConcurrentHashMap<>();
    public final AtomicBoolean failWrites = new AtomicBoolean();
    private volatile boolean closed;

    @Override
    public synchronized CompletableFuture<Void> write(List<Span> spans) {
        if (failWrites.get()) {
            return CompletableFuture.failedFuture(new java.io.IOException("disk on fire (test)"));
        }
        for (Span s : spans) {
            traces.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
        }
        return CompletableFuture.completedFuture(null);
    }

    public synchronized int spanCount() {
        return traces.values().stream().mapToInt(List::size).sum();
    }

    @Override
    public synchronized Optional<Trace> trace(TraceId traceId, TimeWindow hint) {
        List<Span> spans = traces.get(traceId);
        return spans == null ? Optional.empty() : Optional.of(Trace.ofDeduplicated(traceId, spans));
    }

    @Override
    public synchronized List<TraceSummary> findTraces(TraceQuery query) {
        return traces.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(query::matches))
                .map(e -> TraceSummary.of(Trace.ofDeduplicated(e.getKey(), e.getValue())))
                .sorted(Comparator.comparingLong(TraceSummary::startEpochNanos).reversed())
                .limit(query.limit()).toList();
    }

    @Override
    public synchronized List<String> services() {
        TreeSet<String> s = new TreeSet<>();
        traces.values().forEach(l -> l.forEach(span -> s.add(span.serviceName())));
        return List.copyOf(s);
    }

    @Override
    public synchronized List<Operation> operations(String service) {
        TreeMap<String, Operation> ops = new TreeMap<>();
        traces.values().forEach(l -> l.stream().filter(s -> s.serviceName().equals(service))
                .forEach(s -> ops.putIfAbsent(s.name(), new Operation(s.name(), s.kind()))));
        return List.copyOf(ops.values());
    }

    private final java.util.NavigableMap<Long, DependencyBucket> buckets = new java.util.concurrent.ConcurrentSkipListMap<>();

    @Override
    public void putDependencies(DependencyBucket bucket) {
        buckets.put(bucket.startEpochNanos(), bucket);
    }

    @Override
    public List<DependencyBucket> dependencyBuckets(long fromEpochNanos, long toEpochNanos) {
        return toEpochNanos <= fromEpochNanos ? List.of()
                : List.copyOf(buckets.subMap(fromEpochNanos, true, toEpochNanos, false).values());
    }

    @Override
    public void deleteDependencies(long startEpochNanos) {
        buckets.remove(startEpochNanos);
    }

    @Override
    public void enforceRetention() {
    }

    @Override
    public StorageStats stats() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        return new StorageStats(spanCount(), 0, 0);
    }

    @Override
    public void close() {
        closed = true;
    }
}
