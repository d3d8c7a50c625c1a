package io.spoor.storage.lucene;

import io.spoor.spanlog.wal.FsyncPolicy;
import io.spoor.storage.SpanStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the embedded engine. Start from {@link #defaults(Path)} and change what you need with the
 * {@code with…} methods.
 *
 * @param dataDir                where the index ({@code index/}) and the write-ahead log ({@code wal/}) live
 * @param retention              spans whose start is older than this are deleted ({@link SpanStore#DEFAULT_RETENTION})
 * @param maxDiskBytes           when index + log exceed this, the oldest spans are deleted; 0 = unlimited
 * @param fsyncPolicy            see {@link FsyncPolicy} for the power-loss trade-off
 * @param fsyncInterval          how often {@link FsyncPolicy#INTERVAL} fsyncs the log
 * @param refreshInterval        how soon written spans become visible to reads
 * @param commitInterval         how often the index is committed (and the log before it deleted); also bounds how
 *                               much log is replayed after a crash
 * @param retentionCheckInterval how often retention runs in the background
 * @param clock                  "now" for age retention (tests inject a movable clock)
 * @param ramBufferMb            Lucene's indexing buffer before it flushes a segment
 * @param compression            stored span bytes compression
 * @param walSegmentBytes        size at which the log starts a new segment file
 * @param indexQueueBytes        encoded bytes that may wait for the indexer; when full, writes are not acknowledged
 *                               until there is room (back-pressure)
 */
public record LuceneStoreSettings(
        Path dataDir,
        Duration retention,
        long maxDiskBytes,
        FsyncPolicy fsyncPolicy,
        Duration fsyncInterval,
        Duration refreshInterval,
        Duration commitInterval,
        Duration retentionCheckInterval,
        Clock clock,
        double ramBufferMb,
        StoredFieldsCompression compression,
        long walSegmentBytes,
        long indexQueueBytes) {

    public LuceneStoreSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        requirePositive(retention, "retention");
        if (maxDiskBytes < 0) {
            throw new IllegalArgumentException("maxDiskBytes must be >= 0 (0 = unlimited)");
        }
        Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
        requirePositive(fsyncInterval, "fsyncInterval");
        requirePositive(refreshInterval, "refreshInterval");
        requirePositive(commitInterval, "commitInterval");
        requirePositive(retentionCheckInterval, "retentionCheckInterval");
        Objects.requireNonNull(clock, "clock");
        if (ramBufferMb < 1) {
            throw new IllegalArgumentException("ramBufferMb must be >= 1");
        }
        Objects.requireNonNull(compression, "compression");
        if (walSegmentBytes < 1024 || indexQueueBytes < 1024) {
            throw new IllegalArgumentException("walSegmentBytes and indexQueueBytes must be >= 1024");
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    public static LuceneStoreSettings defaults(Path dataDir) {
        return new LuceneStoreSettings(dataDir, SpanStore.DEFAULT_RETENTION, 0, FsyncPolicy.DEFAULT, FsyncPolicy.DEFAULT_INTERVAL,
                Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofMinutes(1), Clock.systemUTC(), 64,
                StoredFieldsCompression.FAST, 64L << 20, 32L << 20);
    }

    public Path indexDir() {
        return dataDir.resolve("index");
    }

    public Path walDir() {
        return dataDir.resolve("wal");
    }

    public LuceneStoreSettings withRetention(Duration v) {
        return new LuceneStoreSettings(dataDir, v, maxDiskBytes, fsyncPolicy, fsyncInterval, refreshInterval,
                commitInterval, retentionCheckInterval, clock, ramBufferMb, compression, walSegmentBytes,
                indexQueueBytes);
    }

    public LuceneStoreSettings withMaxDiskBytes(long v) {
        return new LuceneStoreSettings(dataDir, retention, v, fsyncPolicy, fsyncInterval, refreshInterval,
                commitInterval, retentionCheckInterval, clock, ramBufferMb, compression, walSegmentBytes,
                indexQueueBytes);
    }

    public LuceneStoreSettings withFsyncPolicy(FsyncPolicy v) {
        return new LuceneStoreSettings(dataDir, retention, maxDiskBytes, v, fsyncInterval, refreshInterval,
                commitInterval, retentionCheckInterval, clock, ramBufferMb, compression, walSegmentBytes,
                indexQueueBytes);
    }

    public LuceneStoreSettings withFsyncInterval(Duration v) {
        return new LuceneStoreSettings(dataDir, retention, maxDiskBytes, fsyncPolicy, v, refreshInterval,
                commitInterval, retentionCheckInterval, clock, ramBufferMb, compression, walSegmentBytes,
                indexQueueBytes);
    }

    public LuceneStoreSettings withRefreshInterval(Duration v) {
        return new LuceneStoreSettings(dataDir, retention, maxDiskBytes, fsyncPolicy, fsyncInterval, v,
                commitInterval, retentionCheckInterval, clock, ramBufferMb, compression, walSegmentBytes,
                indexQueueBytes);
    }

    public LuceneStoreSettings withCommitInterval(Duration v) {
        return new LuceneStoreSettings(dataDir, retention, maxDiskBytes, fsyncPolicy, fsyncInterval, refreshInterval,
                v, retentionCheckInterval, clock, ramBufferMb, compression, walSegmentBytes, indexQueueBytes);
    }

    public LuceneStoreSettings withRetentionCheckInterval(Duration v) {
        return new LuceneStoreSettings(dataDir, retention, maxDiskBytes, fsyncPolicy, fsyncInterval, refreshInterval,
                commitInterval, v, clock, ramBufferMb, compression, walSegmentBytes, indexQueueBytes);
    }

    public LuceneStoreSettings withClock(Clock v) {
        return new LuceneStoreSettings(dataDir, retention, maxDiskBytes, fsyncPolicy, fsyncInterval, refreshInterval,
                commitInterval, retentionCheckInterval, v, ramBufferMb, compression, walSegmentBytes,
                indexQueueBytes);
    }

    public LuceneStoreSettings withRamBufferMb(double v) {
        return new LuceneStoreSettings(dataDir, retention, maxDiskBytes, fsyncPolicy, fsyncInterval, refreshInterval,
                commitInterval, retentionCheckInterval, clock, v, compression, walSegmentBytes, indexQueueBytes);
    }

    public LuceneStoreSettings withCompression(StoredFieldsCompression v) {
        return new LuceneStoreSettings(dataDir, retention, maxDiskBytes, fsyncPolicy, fsyncInterval, refreshInterval,
                commitInterval, retentionCheckInterval, clock, ramBufferMb, v, walSegmentBytes, indexQueueBytes);
    }

    public LuceneStoreSettings withWalSegmentBytes(long v) {
        return new LuceneStoreSettings(dataDir, retention, maxDiskBytes, fsyncPolicy, fsyncInterval, refreshInterval,
                commitInterval, retentionCheckInterval, clock, ramBufferMb, compression, v, indexQueueBytes);
    }

    public LuceneStoreSettings withIndexQueueBytes(long v) {
        return new LuceneStoreSettings(dataDir, retention, maxDiskBytes, fsyncPolicy, fsyncInterval, refreshInterval,
                commitInterval, retentionCheckInterval, clock, ramBufferMb, compression, walSegmentBytes, v);
    }
}
