package io.spoor.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.pipeline.memory.MemoryLimiter;
import io.spoor.spanlog.wal.FsyncPolicy;
import io.spoor.storage.SpanWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * What a factory may use while {@link PipelineFactory} builds one pipeline: the composition root's
 * {@link PipelineContext}, the pipeline's memory limiter, and the directories stages of this pipeline already use.
 */
public final class StageContext {
    private final PipelineContext context;
    private final MemoryLimiter limiter;
    private final Set<Path> directories = new HashSet<>();

    public StageContext(PipelineContext context, MemoryLimiter limiter) {
        this.context = context;
        this.limiter = limiter;
    }

    public MeterRegistry registry() {
        return context.registry();
    }

    /** The storage engine's write side, for the {@code spoor} exporter. */
    public SpanWriter store() {
        return context.store();
    }

    /** What follows the store (service dependencies). */
    public SpanConsumer afterStore() {
        return context.afterStore();
    }

    /** The data directory, or null when there is none to put things under. */
    public Path dataDir() {
        return context.dataDir();
    }

    public FsyncPolicy logFsync() {
        return context.logFsync();
    }

    public Duration logFsyncInterval() {
        return context.logFsyncInterval();
    }

    public MemoryLimiter limiter() {
        return limiter;
    }

    /**
     * Claims {@code dir} for a component's files; false when another component of this pipeline has it already
     * (two logs in one directory would truncate each other).
     */
    public boolean claimDirectory(Path dir) {
        return directories.add(dir.toAbsolutePath().normalize());
    }
}
