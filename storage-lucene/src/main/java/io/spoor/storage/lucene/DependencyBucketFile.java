package io.spoor.storage.lucene;

import io.spoor.model.DependencyLink;
import io.spoor.storage.DependencyBucket;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link io.spoor.storage.DependencyStore} for embedded engines: every bucket in memory (a week of one-minute
 * buckets is ~10,000 small records), every change appended to one log file ({@code buckets.log}) as a
 * length + CRC framed record. Appends are written before {@link #put} returns, so they survive {@code kill -9}; a
 * torn last record is cut off on open. The log is rewritten (to a temporary file, fsynced, atomically renamed) when it
 * has grown to several times its live content, and after retention dropped old buckets.
 */
public final class DependencyBucketFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DependencyBucketFile.class);
    private static final byte PUT = 1;
    private static final byte DELETE = 2;
    private static final String FILE = "buckets.log";

    private final Path dir;
    private final NavigableMap<Long, DependencyBucket> buckets = new TreeMap<>();
    private final Map<String, String> names = new HashMap<>();
    private FileChannel channel;
    private long liveBytes;
    private long fileBytes;

    private DependencyBucketFile(Path dir) {
        this.dir = dir;
    }

    /** Opens (creating if needed) the bucket log in {@code dir}. */
    public static DependencyBucketFile open(Path dir) {
        DependencyBucketFile f = new DependencyBucketFile(dir);
        try {
            Files.createDirectories(dir);
            f.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open dependency buckets in " + dir, e);
        }
        return f;
    }

    private void load() throws IOException {
        Path file = dir.resolve(FILE);
        long valid = 0;
        if (Files.exists(file)) {
            byte[] all = Files.readAllBytes(file);
            ByteBuffer in = ByteBuffer.wrap(all);
            while (in.remaining() >= 8) {
                int length = in.getInt();
                int crc = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    break;
                }
                CRC32C check = new CRC32C();
                check.update(all, in.position(), length);
                if ((int) check.getValue() != crc) {
                    break;
                }
                apply(all, in.position(), length);
                in.position(in.position() + length);
                valid = in.position();
            }
            if (valid < all.length) {
                log.warn("dependency bucket log {}: cutting off {} bytes of a torn or corrupt tail", file,
                        all.length - valid);
            }
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.truncate(valid);
        channel.position(valid);
        fileBytes = valid;
        liveBytes = 0;
        for (DependencyBucket b : buckets.values()) {
            liveBytes += encodePut(b).length + 8L;
        }
    }

    private void apply(byte[] all, int offset, int length) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, offset, length));
        byte type = in.readByte();
        long start = in.readLong();
        if (type == DELETE) {
            buckets.remove(start);
            return;
        }
        long end = in.readLong();
        int n = in.readInt();
        List<DependencyLink> links = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String parent = intern(in.readUTF());
            String child = intern(in.readUTF());
            links.add(new DependencyLink(parent, child, in.readLong(), in.readLong()));
        }
        buckets.put(start, new DependencyBucket(start, end, links));
    }

    private String intern(String s) {
        return names.computeIfAbsent(s, k -> k);
    }

    public synchronized void put(DependencyBucket bucket) {
        List<DependencyLink> links = new ArrayList<>(bucket.links().size());
        for (DependencyLink l : bucket.links()) {
            links.add(new DependencyLink(intern(l.parent()), intern(l.child()), l.callCount(), l.errorCount()));
        }
        DependencyBucket b = new DependencyBucket(bucket.startEpochNanos(), bucket.endEpochNanos(), links);
        byte[] record = encodePut(b);
        append(record);
        DependencyBucket old = buckets.put(b.startEpochNanos(), b);
        if (old != null) {
            liveBytes -= encodePut(old).length + 8L;
        }
        liveBytes += record.length + 8L;
        maybeCompact();
    }

    public synchronized void delete(long start) {
        DependencyBucket old = buckets.remove(start);
        if (old == null) {
            return;
        }
        append(encodeDelete(start));
        liveBytes -= encodePut(old).length + 8L;
        maybeCompact();
    }

    public synchronized List<DependencyBucket> range(long from, long to) {
        if (to <= from) {
            return List.of();
        }
        return List.copyOf(buckets.subMap(from, true, to, false).values());
    }

    /** Drops every bucket that ended before {@code cutoffEpochNanos}; returns how many. */
    public synchronized int deleteEndingBefore(long cutoffEpochNanos) {
        List<Long> expired = new ArrayList<>();
        for (DependencyBucket b : buckets.values()) {
            if (b.endEpochNanos() > cutoffEpochNanos) {
                break; // ordered by start; buckets do not overlap
            }
            expired.add(b.startEpochNanos());
        }
        for (Long start : expired) {
            buckets.remove(start);
        }
        if (!expired.isEmpty()) {
            compact();
        }
        return expired.size();
    }

    public synchronized int size() {
        return buckets.size();
    }

    public synchronized long diskBytes() {
        return fileBytes;
    }

    private void append(byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(8 + payload.length);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        frame.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        try {
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write dependency buckets", e);
        }
        fileBytes += 8L + payload.length;
    }

    private void maybeCompact() {
        if (fileBytes > 1 << 20 && fileBytes > 4 * Math.max(liveBytes, 1)) {
            compact();
        }
    }

    /** Rewrites the log with only the live buckets: temp file, fsync, atomic rename, fsync of the directory. */
    private void compact() {
        Path file = dir.resolve(FILE);
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            channel.close();
            long written = 0;
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (DependencyBucket b : buckets.values()) {
                    byte[] payload = encodePut(b);
                    CRC32C crc = new CRC32C();
                    crc.update(payload);
                    ByteBuffer frame = ByteBuffer.allocate(8 + payload.length);
                    frame.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
                    while (frame.hasRemaining()) {
                        out.write(frame);
                    }
                    written += frame.capacity();
                }
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                log.debug("cannot fsync directory {}", dir, e);
            }
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
            channel.position(written);
            fileBytes = written;
            liveBytes = written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact dependency buckets in " + dir, e);
        }
    }

    private static byte[] encodePut(DependencyBucket b) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + 48 * b.links().size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(PUT);
            out.writeLong(b.startEpochNanos());
            out.writeLong(b.endEpochNanos());
            out.writeInt(b.links().size());
            for (DependencyLink l : b.links()) {
                out.writeUTF(l.parent());
                out.writeUTF(l.child());
                out.writeLong(l.callCount());
                out.writeLong(l.errorCount());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] encodeDelete(long start) {
        return ByteBuffer.allocate(9).put(DELETE).putLong(start).array();
    }

    @Override
    public synchronized void close() {
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            buckets.clear();
        }
    }

}
