package io.spoor.pipeline.sampling.tail;

import io.spoor.spanlog.wal.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the tail sampler logs what it buffers: the directory (by default under the server's data dir), the
 * store's fsync policy and interval (the same promise for both logs), and the size at which a segment file ends
 * (segments are the unit of truncation).
 */
public record TailLogSettings(Path dir, FsyncPolicy fsyncPolicy, Duration fsyncInterval, long segmentBytes) {
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

    public TailLogSettings {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(fsyncPolicy, "fsyncPolicy");
        Objects.requireNonNull(fsyncInterval, "fsyncInterval");
        if (segmentBytes < 1024) {
            throw new IllegalArgumentException("segmentBytes must be >= 1024");
        }
    }

    public static TailLogSettings of(Path dir, FsyncPolicy fsyncPolicy, Duration fsyncInterval) {
        return new TailLogSettings(dir, fsyncPolicy, fsyncInterval, DEFAULT_SEGMENT_BYTES);
    }
}
