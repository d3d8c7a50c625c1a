package io.spoor.spanlog.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only log of opaque records in segment files {@code <20-digit start position>.wal}. A position is a byte
 * offset over the concatenation of all segments ever written, so it stays meaningful after old segments are deleted.
 * Record: {@code length(4) crc32c(4) payload}; a torn tail from a crash fails the length or CRC check on replay and
 * is cut off, and a corrupt record elsewhere is skipped alone ({@link FrameScanner} finds the next intact one).
 *
 * <p>One writer thread does all file I/O (group commit): it drains every pending append, writes them with one
 * gathering write, fsyncs as {@link FsyncPolicy} says, then hands each record to the {@link AppendListener} in log
 * order and completes its future. The listener may block; that is how back-pressure from the consumer (the indexer)
 * reaches writers: their futures stay incomplete.
 *
 * @param <T> what a caller attaches to a record for the listener (the decoded form, so it need not be re-read)
 */
public final class WriteAheadLog<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriteAheadLog.class);
    private static final String SUFFIX = ".wal";
    static final int HEADER_BYTES = 8;
    /** Guards replay against a corrupt length field asking for an absurd allocation. */
    static final int MAX_RECORD_BYTES = 512 << 20;
    /** Size of the scratch file {@link #probe} writes. */
    static final int PROBE_BYTES = 64 * 1024;

    /** Receives records after they were written, in log order, on the writer thread. */
    public interface AppendListener<T> {
        void appended(T attachment, int payloadBytes, long endPosition) throws InterruptedException;
    }

    /** Receives records during replay. */
    public interface ReplayConsumer {
        void replay(byte[] payload, long endPosition);
    }

    private sealed interface Request permits Append, Roll, Wake {
    }

    /** Wakes the writer so that it notices {@code closing} without waiting for its poll timeout. */
    private record Wake() implements Request {
    }

    private record Append(ByteBuffer header, ByteBuffer payload, Object attachment, CompletableFuture<Long> done)
            implements Request {
    }

    private record Roll(CompletableFuture<Void> done) implements Request {
    }

    private final Path dir;
    private final FsyncPolicy fsyncPolicy;
    private final long fsyncIntervalNanos;
    private final long segmentBytes;
    private final ConcurrentSkipListMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private final AtomicLong skippedBytes = new AtomicLong();
    private final AtomicLong skippedRegions = new AtomicLong();
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private AppendListener<T> listener;
    private Thread writer;
    private volatile boolean closing;
    /** The writer thread stopped (a bug, or a file it cannot even size): appends fail for good. */
    private volatile Throwable fatal;
    /** The last write, fsync or segment creation failed and none succeeded since (a full disk): appends are tried. */
    private final AtomicReference<Throwable> failing = new AtomicReference<>();

    // owned by the writer thread once started
    private FileChannel channel;
    private long segmentBase;
    private long segmentSize;
    private volatile long writtenPosition;
    private boolean dirty;
    private long lastSyncNanos = System.nanoTime();

    /** Opens the directory (creating it) without starting the writer; call {@link #replay} then {@link #start}. */
    public WriteAheadLog(Path dir, FsyncPolicy fsyncPolicy, Duration fsyncInterval, long segmentBytes) {
        this.dir = dir;
        this.fsyncPolicy = fsyncPolicy;
        this.fsyncIntervalNanos = fsyncInterval.toNanos();
        this.segmentBytes = segmentBytes;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).forEach(p -> {
                    String name = p.getFileName().toString();
                    segments.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), p);
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open write-ahead log in " + dir, e);
        }
    }

    /**
     * Feeds every intact record at or after {@code fromPosition} to {@code consumer}, cuts off a torn tail (a crash
     * in the middle of an append: bytes at the end of the last segment that hold no intact record; they were never
     * acknowledged) and returns the position where the log ends. Corrupt bytes with intact records after them — in
     * the middle of a segment, or at the end of one that is not the last — are skipped, logged and counted
     * ({@link #skippedBytes()}); the records around them are replayed.
     */
    public long replay(long fromPosition, ReplayConsumer consumer) {
        long end = fromPosition;
        List<Map.Entry<Long, Path>> all = new ArrayList<>(segments.entrySet());
        for (int i = 0; i < all.size(); i++) {
            long base = all.get(i).getKey();
            Path file = all.get(i).getValue();
            boolean last = i == all.size() - 1;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long size = ch.size();
                if (base + size <= fromPosition) {
                    end = Math.max(end, base + size);
                    continue; // wholly indexed and committed already; deleted after the next commit
                }
                FrameScanner.Result r = new FrameScanner(ch).scan(Math.max(0, fromPosition - base), size,
                        (payload, endOffset) -> consumer.replay(payload, base + endOffset), skipLogger(file));
                count(r);
                if (r.badTailAt() >= 0 && last) {
                    log.warn("write-ahead log {}: torn record at offset {} (of {} bytes), written by a crash in the "
                            + "middle of an append and never acknowledged; truncating", file.getFileName(),
                            r.badTailAt(), size);
                    ch.truncate(r.badTailAt());
                    ch.force(true);
                    end = base + r.badTailAt();
                } else {
                    if (r.badTailAt() >= 0) {
                        skippedTail(file, r.badTailAt(), size);
                    }
                    end = base + size;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot replay " + file, e);
            }
        }
        return end;
    }

    /**
     * Feeds the intact records that end in {@code (fromPosition, toPosition]} to {@code consumer}, without changing
     * any file: for re-reading what was written while the log is running (an index rebuilt after a failure). The
     * records must have been written already ({@code toPosition <= }{@link #writtenPosition()}). Corrupt bytes are
     * skipped and counted as in {@link #replay}.
     */
    public void read(long fromPosition, long toPosition, ReplayConsumer consumer) {
        for (Map.Entry<Long, Path> e : segments.entrySet()) {
            long base = e.getKey();
            Long next = segments.higherKey(base);
            if (next != null && next <= fromPosition) {
                continue;
            }
            if (base >= toPosition) {
                break;
            }
            Path file = e.getValue();
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long limit = Math.min(ch.size(), toPosition - base);
                FrameScanner.Result r = new FrameScanner(ch).scan(Math.max(0, fromPosition - base), limit,
                        (payload, endOffset) -> consumer.replay(payload, base + endOffset), skipLogger(file));
                count(r);
                if (r.badTailAt() >= 0) {
                    skippedTail(file, r.badTailAt(), limit);
                }
            } catch (NoSuchFileException gone) {
                throw new UncheckedIOException("write-ahead log segment deleted while it was read: " + gone.getFile(),
                        gone);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot read " + file, ex);
            }
        }
    }

    private static FrameScanner.SkipListener skipLogger(Path file) {
        return (from, to) -> log.error("write-ahead log {}: {} corrupt bytes at offsets [{}, {}) skipped; the records "
                + "before and after them are kept", file.getFileName(), to - from, from, to);
    }

    private void skippedTail(Path file, long from, long to) {
        log.error("write-ahead log {}: {} corrupt bytes at offsets [{}, {}) up to the end of the segment skipped; the "
                + "records before them and in the next segments are kept", file.getFileName(), to - from, from, to);
        skippedBytes.addAndGet(to - from);
        skippedRegions.incrementAndGet();
    }

    private void count(FrameScanner.Result r) {
        skippedBytes.addAndGet(r.skippedBytes());
        skippedRegions.addAndGet(r.skippedRegions());
    }

    /** Corrupt bytes skipped by {@link #replay} and {@link #read} so far (not a torn tail, which is cut off). */
    public long skippedBytes() {
        return skippedBytes.get();
    }

    /** Corrupt stretches skipped by {@link #replay} and {@link #read} so far. */
    public long skippedRegions() {
        return skippedRegions.get();
    }

    /**
     * Starts appending in a fresh segment at {@code position} (where replay said the log ends). When the segment
     * file cannot be created (a full disk), the log starts anyway and reports the failure ({@link #failure()}); the
     * writer creates the file with the first append that succeeds.
     */
    public void start(long position, AppendListener<T> appendListener) {
        this.listener = appendListener;
        segmentBase = position;
        segmentSize = 0;
        try {
            openSegment(position);
        } catch (IOException e) {
            noteFailure(new IOException("cannot create write-ahead log segment in " + dir + ": " + e.getMessage(), e));
        }
        writtenPosition = position;
        writer = new Thread(this::runWriter, "spoor-wal-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Queues a record. The future completes with the record's end position once the bytes were written (and
     * fsynced, per policy) and the listener accepted it. It fails when the write (or the fsync of
     * {@link FsyncPolicy#EVERY_BATCH}) fails — with a full disk, at once — and then nothing of the record stays in
     * the log; the next append tries again. The payload array must not be changed afterwards.
     */
    public CompletableFuture<Long> append(byte[] payload, T attachment) {
        if (payload.length == 0) {
            // a zero-length frame would read like zeroed bytes; no caller has anything to say with one
            throw new IllegalArgumentException("a write-ahead log record cannot be empty");
        }
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (payload.length > MAX_RECORD_BYTES) {
            // replay would take a longer length field for corruption
            done.completeExceptionally(new IllegalArgumentException("a write-ahead log record cannot exceed "
                    + MAX_RECORD_BYTES + " bytes; this one has " + payload.length));
            return done;
        }
        Throwable stopped = fatal;
        if (stopped != null || closing) {
            done.completeExceptionally(stopped != null ? new IOException("write-ahead log stopped", stopped)
                    : new IllegalStateException("write-ahead log is closed"));
            return done;
        }
        // the checksum is computed on the caller's thread: it spreads the work over the writers
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(payload.length).putInt((int) crc.getValue())
                .flip();
        queue.add(new Append(header, ByteBuffer.wrap(payload), attachment, done));
        return done;
    }

    /**
     * Why the log cannot write now (the last write, fsync or segment creation failed and none succeeded since), or
     * null while it works.
     */
    public Throwable failure() {
        Throwable stopped = fatal;
        return stopped != null ? stopped : failing.get();
    }

    /**
     * While the log is failing, checks whether its directory takes writes again: writes {@value #PROBE_BYTES} bytes
     * to a scratch file, fsyncs and deletes it. On success the failure is cleared (a health check goes up without
     * waiting for a client's retry). Returns whether the log is writable as far as this can tell.
     */
    public boolean probe() {
        Throwable seen = failing.get();
        if (fatal != null) {
            return false;
        }
        if (seen == null) {
            return true;
        }
        Path scratch = dir.resolve("probe.tmp");
        try (FileChannel ch = FileChannel.open(scratch, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer zeros = ByteBuffer.allocate(PROBE_BYTES);
            while (zeros.hasRemaining()) {
                ch.write(zeros);
            }
            ch.force(false);
        } catch (IOException e) {
            return false;
        } finally {
            try {
                Files.deleteIfExists(scratch);
            } catch (IOException e) {
                log.debug("cannot delete {}", scratch, e);
            }
        }
        if (failing.compareAndSet(seen, null)) {
            log.warn("write-ahead log {}: the directory takes writes again", dir);
        }
        return true;
    }

    /** Ends the current segment (if it holds anything) so that it becomes deletable once committed past. */
    public CompletableFuture<Void> roll() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closing) {
            done.complete(null);
        } else {
            queue.add(new Roll(done));
        }
        return done;
    }

    /** Deletes every segment that ends at or before {@code position}; never the one being written. */
    public void deleteBefore(long position) {
        for (Map.Entry<Long, Path> e : segments.entrySet()) {
            Long next = segments.higherKey(e.getKey());
            if (next == null || next > position) {
                break;
            }
            try {
                Files.deleteIfExists(e.getValue());
                segments.remove(e.getKey());
            } catch (IOException ex) {
                log.warn("cannot delete write-ahead log segment {}", e.getValue(), ex);
            }
        }
    }

    /** End position of everything handed to the OS so far. */
    public long writtenPosition() {
        return writtenPosition;
    }

    public long sizeBytes() {
        long total = 0;
        for (Path p : segments.values()) {
            try {
                total += Files.size(p);
            } catch (NoSuchFileException e) {
                // deleted concurrently
            } catch (IOException e) {
                log.debug("cannot size {}", p, e);
            }
        }
        return total;
    }

    public int segmentCount() {
        return segments.size();
    }

    /**
     * Makes a new segment at {@code base} the current one. The new file is created first, so that a failure (a full
     * disk) leaves the current segment in place to keep writing to.
     */
    private void openSegment(long base) throws IOException {
        Path file = dir.resolve(String.format("%020d%s", base, SUFFIX));
        FileChannel fresh = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        FileChannel old = channel;
        boolean oldDirty = dirty;
        channel = fresh;
        segments.put(base, file);
        segmentBase = base;
        segmentSize = 0;
        dirty = false;
        if (old != null) {
            try {
                if (fsyncPolicy != FsyncPolicy.NONE && oldDirty) {
                    old.force(false);
                }
            } catch (IOException e) {
                noteFailure(e);
            } finally {
                old.close();
            }
        }
        if (fsyncPolicy != FsyncPolicy.NONE) {
            syncDirectory(); // the new file's directory entry must survive power loss too
        }
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            log.debug("cannot fsync directory {} (not supported here)", dir, e);
        }
    }

    // ---------------------------------------------------------------- writer thread

    private void runWriter() {
        List<Request> batch = new ArrayList<>();
        long pollNanos = fsyncPolicy == FsyncPolicy.INTERVAL ? Math.max(1_000_000, fsyncIntervalNanos / 2)
                : TimeUnit.MILLISECONDS.toNanos(200);
        try {
            while (true) {
                Request first = queue.poll(pollNanos, TimeUnit.NANOSECONDS);
                if (first == null) {
                    syncIfDue();
                    if (closing && queue.isEmpty()) {
                        break;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 4096);
                process(batch);
                batch.clear();
                syncIfDue();
                if (closing && queue.isEmpty()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            fail(t);
        } finally {
            failPending(new IllegalStateException("write-ahead log is closed"));
        }
    }

    /**
     * Writes a group of requests. Appends go in chunks, one per segment they land in; each chunk is written (and
     * fsynced under {@link FsyncPolicy#EVERY_BATCH}) as a unit: when that fails, the chunk's bytes are cut off again
     * and its appends fail, so that no torn or unacknowledged record stays in front of later ones, and the next chunk
     * is tried as usual. A full disk therefore fails appends at once, and appends succeed again as soon as there is
     * room — no restart needed.
     */
    private void process(List<Request> batch) throws InterruptedException {
        List<Append> chunk = new ArrayList<>();
        long chunkBytes = 0;
        for (Request r : batch) {
            switch (r) {
                case Roll roll -> {
                    flush(chunk);
                    chunk.clear();
                    chunkBytes = 0;
                    rollSegment();
                    roll.done().complete(null);
                }
                case Wake w -> {
                }
                case Append a -> {
                    long recordBytes = HEADER_BYTES + a.payload().remaining();
                    if (segmentSize + chunkBytes > 0 && segmentSize + chunkBytes + recordBytes > segmentBytes) {
                        flush(chunk);
                        chunk.clear();
                        chunkBytes = 0;
                        rollSegment();
                    }
                    chunk.add(a);
                    chunkBytes += recordBytes;
                }
            }
        }
        flush(chunk);
    }

    /** Starts a new segment after the current one if it holds anything; keeps the current one if that fails. */
    private void rollSegment() {
        if (channel != null && segmentSize == 0) {
            return;
        }
        try {
            openSegment(segmentBase + segmentSize);
        } catch (IOException e) {
            noteFailure(e);
            log.warn("write-ahead log: cannot start a new segment in {} ({}); the current one grows on", dir,
                    e.getMessage());
        }
    }

    private void flush(List<Append> chunk) throws InterruptedException {
        if (chunk.isEmpty()) {
            return;
        }
        long start = segmentSize;
        long[] ends = new long[chunk.size()];
        try {
            if (channel == null) {
                openSegment(segmentBase); // the start could not create it
            }
            ByteBuffer[] buffers = new ByteBuffer[chunk.size() * 2];
            long total = 0;
            for (int i = 0; i < chunk.size(); i++) {
                Append a = chunk.get(i);
                buffers[2 * i] = a.header();
                buffers[2 * i + 1] = a.payload();
                total += HEADER_BYTES + a.payload().remaining();
                ends[i] = segmentBase + start + total;
            }
            write(buffers, total);
            segmentSize = start + total;
            dirty = true;
            if (fsyncPolicy == FsyncPolicy.EVERY_BATCH) {
                channel.force(false);
                dirty = false;
                lastSyncNanos = System.nanoTime();
            }
        } catch (IOException e) {
            undo(start);
            noteFailure(e);
            for (Append a : chunk) {
                a.done().completeExceptionally(e);
            }
            return;
        }
        writtenPosition = segmentBase + segmentSize;
        if (failing.get() != null && !(failing.get() instanceof SyncFailure)) {
            clearFailure();
        }
        for (int i = 0; i < chunk.size(); i++) {
            Append a = chunk.get(i);
            @SuppressWarnings("unchecked")
            T attachment = (T) a.attachment();
            listener.appended(attachment, a.payload().capacity(), ends[i]);
            a.done().complete(ends[i]);
        }
    }

    /** Cuts the current segment back to {@code size} after a failed chunk. */
    private void undo(long size) {
        if (channel == null) {
            return;
        }
        try {
            channel.truncate(size);
            channel.position(size);
            segmentSize = size;
        } catch (IOException e) {
            // Cannot cut it off: the partial bytes stay, and replay skips them as corrupt (FrameScanner). Positions
            // must follow the file, so the segment goes on after them.
            try {
                segmentSize = channel.size();
                channel.position(segmentSize);
                log.error("write-ahead log: cannot cut a failed write off ({}); its {} bytes stay and are skipped on "
                        + "replay", e.getMessage(), segmentSize - size);
            } catch (IOException stuck) {
                fatal = stuck;
                log.error("write-ahead log {} failed and cannot tell its own size; refusing further writes", dir,
                        stuck);
            }
        }
    }

    private void write(ByteBuffer[] array, long total) throws IOException {
        long remaining = total;
        int from = 0;
        while (remaining > 0) {
            remaining -= channel.write(array, from, Math.min(array.length - from, 1024));
            while (from < array.length && !array[from].hasRemaining()) {
                from++;
            }
        }
    }

    private void syncIfDue() {
        if (fsyncPolicy == FsyncPolicy.INTERVAL && dirty && System.nanoTime() - lastSyncNanos >= fsyncIntervalNanos) {
            try {
                channel.force(false);
                dirty = false;
                lastSyncNanos = System.nanoTime();
                if (failing.get() instanceof SyncFailure) {
                    clearFailure();
                }
            } catch (IOException e) {
                // still dirty: tried again at the next interval; acknowledged bytes are in the page cache
                noteFailure(new SyncFailure(e));
            }
        }
    }

    /** An fsync under {@link FsyncPolicy#INTERVAL} failed: only a later fsync clears it, not a write. */
    private static final class SyncFailure extends IOException {
        SyncFailure(IOException cause) {
            super("fsync failed: " + cause.getMessage(), cause);
        }
    }

    private void noteFailure(Throwable t) {
        if (failing.getAndSet(t) == null) {
            log.error("write-ahead log {}: writing failed ({}); appends fail until it works again", dir,
                    t.getMessage());
        } else {
            log.debug("write-ahead log {}: writing failed again", dir, t);
        }
    }

    private void clearFailure() {
        if (failing.getAndSet(null) != null) {
            log.warn("write-ahead log {}: writing works again", dir);
        }
    }

    private void fail(Throwable t) {
        if (fatal == null) {
            log.error("write-ahead log writer stopped; refusing further writes", t);
            fatal = t;
        }
    }

    private void failPending(Throwable t) {
        Request r;
        while ((r = queue.poll()) != null) {
            switch (r) {
                case Append a -> a.done().completeExceptionally(t);
                case Roll roll -> roll.done().complete(null);
                case Wake w -> {
                }
            }
        }
    }

    /** Writes what is queued, fsyncs and closes the segment. */
    @Override
    public void close() {
        closing = true;
        if (writer != null) {
            queue.add(new Wake());
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (channel != null) {
            try {
                channel.force(false);
            } catch (IOException e) {
                log.warn("cannot fsync the write-ahead log segment on close", e);
            }
            try {
                channel.close();
            } catch (IOException e) {
                log.warn("cannot close write-ahead log segment", e);
            }
        }
        failPending(new IllegalStateException("write-ahead log is closed"));
    }
}
