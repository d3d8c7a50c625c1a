package io.spoor.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.pipeline.memory.HeapProbe;
import io.spoor.spanlog.wal.FsyncPolicy;
import io.spoor.storage.SpanWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the composition root gives the pipeline to build with.
 *
 * @param store            where the {@code spoor} exporter writes (the storage engine's write side)
 * @param afterStore       the stage every batch goes to once the store made it durable (service dependencies); its
 *                         failures never fail the export, which is already durable
 * @param dataDir          the server's data directory: the tail sampler's log lives under it unless configured
 *                         elsewhere (null: no default, so a tail sampler with its log on must name a directory)
 * @param logFsync         how Spoor's logs are synced ({@code spoor.storage.fsync}): the tail sampler's log makes
 *                         the same promise as the store's
 * @param logFsyncInterval how often {@link FsyncPolicy#INTERVAL} syncs
 * @param heap             the live-heap probe of the memory limiter
 * @param maxHeap          the JVM's maximum heap, for the memory limiter's defaults and percentages
 */
public record PipelineContext(SpanWriter store, SpanConsumer afterStore, Path dataDir, FsyncPolicy logFsync,
                              Duration logFsyncInterval, HeapProbe heap, long maxHeap, MeterRegistry registry) {
    public PipelineContext {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(afterStore, "afterStore");
        Objects.requireNonNull(logFsync, "logFsync");
        Objects.requireNonNull(logFsyncInterval, "logFsyncInterval");
        Objects.requireNonNull(heap, "heap");
        Objects.requireNonNull(registry, "registry");
    }
}
