package io.spoor.storage;

/** An inclusive window of epoch nanoseconds. */
public record TimeWindow(long startEpochNanos, long endEpochNanos) {
    public static final TimeWindow ALL = new TimeWindow(0, Long.MAX_VALUE);

    public TimeWindow {
        if (endEpochNanos < startEpochNanos) {
            throw new IllegalArgumentException("time window ends before it starts");
        }
    }

    public boolean contains(long epochNanos) {
        return epochNanos >= startEpochNanos && epochNanos <= endEpochNanos;
    }
}
