package io.spoor.storage;

import java.time.Duration;

/**
 * One storage engine: both sides of the SPI plus housekeeping. Engines enforce their own retention
 * (age and size) in the background; {@link #enforceRetention()} runs one pass now so that the contract
 * suite can check it through the SPI.
 */
public interface SpanStore extends SpanWriter, TraceReader, DependencyStore, AutoCloseable {

    /** How long spans are kept when nothing is configured, whatever the engine (7 days). */
    Duration DEFAULT_RETENTION = Duration.ofDays(7);

    /** Runs one retention pass (age, then size; dependency buckets by age) and returns when it is done. */
    void enforceRetention();

    StorageStats stats();

    /**
     * Whether writes can be made durable now. Engines that can fail and recover (a full disk) report what fails;
     * the default is always up.
     */
    default StorageHealth health() {
        return StorageHealth.UP;
    }

    /** Flushes what is buffered, stops background work and releases files. Acknowledged spans stay durable. */
    @Override
    void close();
}
