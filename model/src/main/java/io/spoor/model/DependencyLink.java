package io.spoor.model;

import java.util.Objects;

/**
 * Calls from one service to another over some time window: {@code callCount} calls of which {@code errorCount}
 * failed. The shape of Zipkin's and Jaeger's dependency links (Jaeger leaves out the error count).
 */
public record DependencyLink(String parent, String child, long callCount, long errorCount) {
    public DependencyLink {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(child, "child");
        if (callCount < 0 || errorCount < 0 || errorCount > callCount) {
            throw new IllegalArgumentException("counts must satisfy 0 <= errorCount <= callCount");
        }
    }

    /** This link with the counts of {@code other} (same parent and child) added. */
    public DependencyLink plus(DependencyLink other) {
        return new DependencyLink(parent, child, callCount + other.callCount, errorCount + other.errorCount);
    }
}
