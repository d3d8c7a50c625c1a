package io.spoor.spanlog.wal;

/**
 * When the write-ahead log asks the OS to put written bytes on the device ({@code fsync}).
 *
 * <p>A write is acknowledged once its bytes were handed to the OS ({@code write(2)} returned). From then on the
 * bytes survive a crash or {@code kill -9} of the Spoor process under every policy, because they live in the
 * kernel's page cache. What the policies differ in is a <em>power loss or kernel crash</em>:
 * <ul>
 *   <li>{@link #NONE}: never fsync while running (only on close). The OS writes dirty pages back on its own,
 *       typically within ~30 s ({@code vm.dirty_expire_centisecs}); that much acknowledged data can be lost on power
 *       loss. Cheapest.</li>
 *   <li>{@link #INTERVAL} (default): fsync at most every {@code fsyncInterval} (1 s by default), off the write
 *       path. Up to one interval of acknowledged spans can be lost on power loss; costs one fsync per interval.</li>
 *   <li>{@link #EVERY_BATCH}: fsync before acknowledging; acknowledged spans survive power loss. Writes that arrive
 *       while one fsync runs are grouped into the next (group commit), so throughput holds up on fast devices, but
 *       each acknowledgement waits for the device's flush latency (sub-ms on NVMe, many ms on network disks).</li>
 * </ul>
 * The Lucene index itself is always fsynced by its commits; the log only has to cover the span since the last one.
 */
public enum FsyncPolicy {
    NONE, INTERVAL, EVERY_BATCH;

    /** The policy when none is configured: every log (the store's, the tail sampler's) starts from it. */
    public static final FsyncPolicy DEFAULT = INTERVAL;
    /** How often {@link #INTERVAL} fsyncs when no interval is configured. */
    public static final java.time.Duration DEFAULT_INTERVAL = java.time.Duration.ofSeconds(1);
}
