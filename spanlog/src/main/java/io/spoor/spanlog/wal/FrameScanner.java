package io.spoor.spanlog.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Walks the records ({@code length(4) crc32c(4) payload}) of one segment file between two offsets, and gets past
 * corrupt bytes instead of stopping at them: after a frame whose length or checksum is wrong, it looks for the next
 * intact frame and goes on from there, so that one bad record costs only itself and not every record after it.
 *
 * <p>Finding the next frame: when the bad frame's length field is plausible and an intact frame (or the end) follows
 * exactly where it says the record ends, only that record's payload was damaged and it is skipped alone (the usual
 * case: a bit flip in a payload). Otherwise every later offset is tried: a plausible length (1 to
 * {@link WriteAheadLog#MAX_RECORD_BYTES}, within the range) whose payload matches the checksum marks the next frame.
 * A false match needs a 32-bit checksum collision and then fails to decode (a record the reader skips as
 * unreadable), so it cannot make up data. Checksumming candidates costs reading them, so a search reads at most
 * {@link #SEARCH_BUDGET_BYTES}; past that, the rest of the range counts as corrupt.
 */
final class FrameScanner {
    static final long SEARCH_BUDGET_BYTES = 256L << 20;
    private static final int WINDOW = 64 * 1024;

    /** Receives each intact record with the offset where it ends. */
    interface Visitor {
        void record(byte[] payload, long endOffset) throws IOException;
    }

    /**
     * What a scan found besides records: {@code skippedBytes} in {@code skippedRegions} corrupt stretches followed by
     * an intact record, and, when the range ends in bytes that hold no intact record, where they start
     * ({@code badTailAt}, else -1): a torn tail when this is the end of the log.
     */
    record Result(long skippedBytes, int skippedRegions, long badTailAt) {
    }

    /** A corrupt stretch that an intact record follows, for the caller's log line. */
    interface SkipListener {
        void skipped(long fromOffset, long toOffset);
    }

    private final FileChannel ch;
    private final ByteBuffer header = ByteBuffer.allocate(WriteAheadLog.HEADER_BYTES);
    private final ByteBuffer chunk = ByteBuffer.allocate(WINDOW);
    private final CRC32C crc = new CRC32C();

    FrameScanner(FileChannel ch) {
        this.ch = ch;
    }

    /** Visits every intact record that lies in {@code [from, limit)}. */
    Result scan(long from, long limit, Visitor visitor, SkipListener skips) throws IOException {
        long offset = from;
        long skippedBytes = 0;
        int regions = 0;
        while (offset < limit) {
            byte[] payload = intactFrame(offset, limit);
            if (payload != null) {
                offset += WriteAheadLog.HEADER_BYTES + payload.length;
                visitor.record(payload, offset);
                continue;
            }
            long next = nextFrame(offset, limit);
            if (next < 0) {
                return new Result(skippedBytes, regions, offset);
            }
            skips.skipped(offset, next);
            skippedBytes += next - offset;
            regions++;
            offset = next;
        }
        return new Result(skippedBytes, regions, -1);
    }

    /** The payload of the frame at {@code offset} when its length is plausible and its checksum matches, else null. */
    private byte[] intactFrame(long offset, long limit) throws IOException {
        int length = plausibleLength(offset, limit);
        if (length < 0) {
            return null;
        }
        int expected = header.getInt(4);
        if (checksum(offset + WriteAheadLog.HEADER_BYTES, length) != expected) {
            return null;
        }
        byte[] payload = new byte[length];
        readFully(ByteBuffer.wrap(payload), offset + WriteAheadLog.HEADER_BYTES);
        return payload;
    }

    /** Reads the header at {@code offset} and returns its length if a record of it fits the range, else -1. */
    private int plausibleLength(long offset, long limit) throws IOException {
        if (limit - offset < WriteAheadLog.HEADER_BYTES) {
            return -1;
        }
        header.clear();
        readFully(header, offset);
        int length = header.getInt(0);
        if (length <= 0 || length > WriteAheadLog.MAX_RECORD_BYTES
                || offset + WriteAheadLog.HEADER_BYTES + length > limit) {
            return -1;
        }
        return length;
    }

    /** Where the next intact frame after the bad one at {@code bad} starts, or {@code limit}, or -1 if none. */
    private long nextFrame(long bad, long limit) throws IOException {
        int length = plausibleLength(bad, limit);
        if (length > 0) {
            long after = bad + WriteAheadLog.HEADER_BYTES + length;
            if (after == limit || intactFrame(after, limit) != null) {
                return after; // only this record's payload is damaged
            }
        }
        long budget = SEARCH_BUDGET_BYTES;
        ByteBuffer window = ByteBuffer.allocate(WINDOW + WriteAheadLog.HEADER_BYTES);
        long windowStart = -1;
        for (long p = bad + 1; p + WriteAheadLog.HEADER_BYTES <= limit; p++) {
            if (windowStart < 0 || p + WriteAheadLog.HEADER_BYTES > windowStart + window.limit()) {
                windowStart = p;
                window.clear();
                window.limit((int) Math.min(window.capacity(), limit - p));
                readFully(window, p);
                window.flip();
            }
            int candidate = window.getInt((int) (p - windowStart));
            if (candidate <= 0 || candidate > WriteAheadLog.MAX_RECORD_BYTES
                    || p + WriteAheadLog.HEADER_BYTES + candidate > limit) {
                continue;
            }
            budget -= candidate;
            if (budget < 0) {
                return -1;
            }
            int expected = window.getInt((int) (p - windowStart) + 4);
            if (checksum(p + WriteAheadLog.HEADER_BYTES, candidate) == expected) {
                return p;
            }
        }
        return -1;
    }

    private int checksum(long position, int length) throws IOException {
        crc.reset();
        long at = position;
        long end = position + length;
        while (at < end) {
            chunk.clear();
            chunk.limit((int) Math.min(chunk.capacity(), end - at));
            readFully(chunk, at);
            chunk.flip();
            crc.update(chunk);
            at += chunk.limit();
        }
        return (int) crc.getValue();
    }

    private void readFully(ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            at += n;
        }
    }
}
