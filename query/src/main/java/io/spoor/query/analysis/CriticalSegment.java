package io.spoor.query.analysis;

/** A stretch of one span's time that lies on the trace's critical path (epoch nanoseconds, end exclusive). */
public record CriticalSegment(long spanId, long startEpochNanos, long endEpochNanos) {
    public long durationNanos() {
        return endEpochNanos - startEpochNanos;
    }
}
