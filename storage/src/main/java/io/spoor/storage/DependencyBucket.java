package io.spoor.storage;

import io.spoor.model.DependencyLink;
import java.util.List;
import java.util.Objects;

/**
 * The dependency links of every call that started in {@code [startEpochNanos, endEpochNanos)}, as the query side
 * aggregated them once the bucket had settled. A cache of what the spans say, kept by the engine so that a
 * dependency graph over days does not need every span of those days read again.
 */
public record DependencyBucket(long startEpochNanos, long endEpochNanos, List<DependencyLink> links) {
    public DependencyBucket {
        if (endEpochNanos <= startEpochNanos) {
            throw new IllegalArgumentException("a bucket must end after it starts");
        }
        links = List.copyOf(links);
        Objects.requireNonNull(links, "links");
    }
}
