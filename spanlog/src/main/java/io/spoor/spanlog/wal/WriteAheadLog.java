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
    private volatile Throwable failure;

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

    /** Starts appending in a fresh segment at {@code position} (where replay said the log ends). */
    public void start(long position, AppendListener<T> appendListener) {
        this.listener = appendListener;
        try {
            openSegment(position);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create write-ahead log segment in " + dir, e);
        }
        writtenPosition = position;
        writer = new Thread(this::runWriter, "spoor-wal-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Queues a record. The future completes with the record's end position once the bytes were written (and
     * fsynced, per policy) and the listener accepted it. The payload array must not be changed afterwards.
     */
    public CompletableFuture<Long> append(byte[] payload, T attachment) {
        if (payload.length == 0) {
            // a zero-length frame would read like zeroed bytes; no caller has anything to say with one
            throw new IllegalArgumentException("a write-ahead log record cannot be empty");
        }
        CompletableFuture<Long> done = new CompletableFuture<>();
        Throwable failed = failure;
        if (failed != null || closing) {
            done.completeExceptionally(failed != null ? new IOException("write-ahead log failed", failed)
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

    private void openSegment(long base) throws IOException {
        if (channel != null) {
            if (fsyncPolicy != FsyncPolicy.NONE) {
                channel.force(false);
            }
            channel.close();
        }
        Path file = dir.resolve(String.format("%020d%s", base, SUFFIX));
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        segments.put(base, file);
        segmentBase = base;
        segmentSize = 0;
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

    private void process(List<Request> batch) throws InterruptedException {
        List<Append> written = new ArrayList<>(batch.size());
        long[] ends = new long[batch.size()];
        try {
            List<ByteBuffer> buffers = new ArrayList<>(batch.size() * 2);
            long pending = 0;
            for (Request r : batch) {
                switch (r) {
                    case Roll roll -> {
                        write(buffers, pending);
                        pending = 0;
                        if (segmentSize > 0) {
                            openSegment(segmentBase + segmentSize);
                        }
                        roll.done().complete(null);
                    }
                    case Wake w -> {
                    }
                    case Append a -> {
                        long recordBytes = HEADER_BYTES + a.payload().remaining();
                        if (segmentSize + pending > 0 && segmentSize + pending + recordBytes > segmentBytes) {
                            write(buffers, pending);
                            pending = 0;
                            openSegment(segmentBase + segmentSize);
                        }
                        buffers.add(a.header());
                        buffers.add(a.payload());
                        pending += recordBytes;
                        ends[written.size()] = segmentBase + segmentSize + pending;
                        written.add(a);
                    }
                }
            }
            write(buffers, pending);
            if (fsyncPolicy == FsyncPolicy.EVERY_BATCH && dirty) {
                channel.force(false);
                dirty = false;
                lastSyncNanos = System.nanoTime();
            }
        } catch (IOException e) {
            // A partial write leaves a torn record; appending after it would hide later records from replay.
            // Fail-stop: refuse further appends and let the operator look at the disk.
            fail(e);
            for (Append a : written) {
                a.done().completeExceptionally(e);
            }
            return;
        }
        for (int i = 0; i < written.size(); i++) {
            Append a = written.get(i);
            @SuppressWarnings("unchecked")
            T attachment = (T) a.attachment();
            listener.appended(attachment, a.payload().capacity(), ends[i]);
            a.done().complete(ends[i]);
        }
    }

    private void write(List<ByteBuffer> buffers, long total) throws IOException {
        if (buffers.isEmpty()) {
            return;
        }
        ByteBuffer[] array = buffers.toArray(ByteBuffer[]::new);
        long remaining = total;
        int from = 0;
        while (remaining > 0) {
            remaining -= channel.write(array, from, Math.min(array.length - from, 1024));
            while (from < array.length && !array[from].hasRemaining()) {
                from++;
            }
        }
        segmentSize += total;
        writtenPosition = segmentBase + segmentSize;
        dirty = true;
        buffers.clear();
    }

    private void syncIfDue() {
        if (fsyncPolicy == FsyncPolicy.INTERVAL && dirty && System.nanoTime() - lastSyncNanos >= fsyncIntervalNanos) {
            try {
                channel.force(false);
                dirty = false;
                lastSyncNanos = System.nanoTime();
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    private void fail(Throwable t) {
        if (failure == null) {
            log.error("write-ahead log failed; refusing further writes", t);
            failure = t;
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
                channel.close();
            } catch (IOException e) {
                log.warn("cannot close write-ahead log segment", e);
            }
        }
        failPending(new IllegalStateException("write-ahead log is closed"));
    }
}
