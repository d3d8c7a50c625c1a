package io.spoor.storage;

import java.util.List;

/**
 * Durable storage for aggregated dependency links, one record per time bucket (the write side decides the buckets
 * and what goes in them, io.spoor.pipeline.dependencies.DependencyAggregator; the read side adds them up,
 * io.spoor.query.DependencyService). Like Jaeger's dependency store and Zipkin's
 * dependency table, it holds aggregates, not spans: an engine keeps it beside its spans, under the same age-based
 * retention.
 */
public interface DependencyStore {

    /**
     * Stores a bucket, replacing any bucket with the same start. Returns once the bucket is durable against a
     * process crash.
     */
    void putDependencies(DependencyBucket bucket);

    /** Buckets whose start lies in {@code [fromEpochNanos, toEpochNanos)}, ordered by start. */
    List<DependencyBucket> dependencyBuckets(long fromEpochNanos, long toEpochNanos);

    /** Forgets the bucket starting at {@code startEpochNanos}, if any (it no longer matches the spans). */
    void deleteDependencies(long startEpochNanos);
}
