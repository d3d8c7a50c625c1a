package io.spoor.storage;

/** Figures for /metrics. */
public record StorageStats(long storedSpans, long diskBytes, long pendingSpans) {
}
