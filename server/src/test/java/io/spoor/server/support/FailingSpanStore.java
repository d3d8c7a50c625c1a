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
import io.spoor.storage.memory.InMemorySpanStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-memory engine with a switch that makes writes fail, for receiver tests that prove a storage failure
 * reaches the client as a retryable refusal. (Real disk-full failures of the embedded engine are tested in
 * storage-lucene on a small tmpfs.)
 */
public final class FailingSpanStore implements SpanStore {
    private final InMemorySpanStore store = new InMemorySpanStore();
    public final AtomicBoolean failWrites = new AtomicBoolean();

    @Override
    public CompletableFuture<Void> write(List<Span> spans) {
        if (failWrites.get()) {
            return CompletableFuture.failedFuture(new IOException("disk on fire (test)"));
        }
        return store.write(spans);
    }

    public int spanCount() {
        return (int) store.stats().storedSpans();
    }

    @Override
    public Optional<Trace> trace(TraceId traceId, TimeWindow hint) {
        return store.trace(traceId, hint);
    }

    @Override
    public List<TraceSummary> findTraces(TraceQuery query) {
        return store.findTraces(query);
    }

    @Override
    public List<String> services() {
        return store.services();
    }

    @Override
    public List<Operation> operations(String service) {
        return store.operations(service);
    }

    @Override
    public void putDependencies(DependencyBucket bucket) {
        store.putDependencies(bucket);
    }

    @Override
    public List<DependencyBucket> dependencyBuckets(long fromEpochNanos, long toEpochNanos) {
        return store.dependencyBuckets(fromEpochNanos, toEpochNanos);
    }

    @Override
    public void deleteDependencies(long startEpochNanos) {
        store.deleteDependencies(startEpochNanos);
    }

    @Override
    public void enforceRetention() {
        store.enforceRetention();
    }

    @Override
    public StorageStats stats() {
        return store.stats();
    }

    @Override
    public void close() {
        store.close();
    }
}
