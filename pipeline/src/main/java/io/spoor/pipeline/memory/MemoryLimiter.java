package io.spoor.pipeline.memory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Refuses new data before the heap runs out. A reservation is taken per admitted export and held until its
 * spans are stored, so that a burst arriving between two garbage collections is counted at once rather than
 * only after the next collection reveals it.
 */
public final class MemoryLimiter {
    /**
     * Decoded spans take several times their wire size on the heap (objects, strings, the parsed message).
     * Measured on demo-like OTLP batches: ~5-7x; 8 keeps a margin.
     */
    static final int WIRE_TO_HEAP_FACTOR = 8;

    private final MemoryLimiterSettings settings;
    private final HeapProbe probe;
    private final AtomicLong reservedHeapBytes = new AtomicLong();

    public MemoryLimiter(MemoryLimiterSettings settings, HeapProbe probe) {
        this.settings = settings;
        this.probe = probe;
    }

    /** Reserves heap for an export of {@code wireBytes}; false when that would cross the soft limit. */
    public boolean tryReserve(long wireBytes) {
        long heapBytes = wireBytes * WIRE_TO_HEAP_FACTOR;
        long live = probe.liveHeapBytes();
        while (true) {
            long reserved = reservedHeapBytes.get();
            if (live + reserved + heapBytes > settings.softLimitBytes()) {
                return false;
            }
            if (reservedHeapBytes.compareAndSet(reserved, reserved + heapBytes)) {
                return true;
            }
        }
    }

    public void release(long wireBytes) {
        reservedHeapBytes.addAndGet(-wireBytes * WIRE_TO_HEAP_FACTOR);
    }

    /** True while the live heap alone is above the soft limit: buffers that can shed data early should. */
    public boolean overSoftLimit() {
        return probe.liveHeapBytes() > settings.softLimitBytes();
    }

    public long reservedHeapBytes() {
        return reservedHeapBytes.get();
    }

    public long liveHeapBytes() {
        return probe.liveHeapBytes();
    }

    public MemoryLimiterSettings settings() {
        return settings;
    }
}
