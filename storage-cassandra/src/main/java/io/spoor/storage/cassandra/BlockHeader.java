package io.spoor.storage.cassandra;

import io.spoor.model.TraceId;
import io.spoor.spanlog.codec.ByteSource;
import io.spoor.spanlog.codec.CorruptDataException;
import java.nio.ByteBuffer;

/** Reads a block header written by {@link WriteEncoder}: the traces of one write that have spans in one bucket. */
final class BlockHeader {
    private BlockHeader() {
    }

    /**
     * One trace of a block: its fragment, the bounds of its spans' starts and durations in this bucket, and the latest
     * start of any span of the fragment (which may have spans in later buckets too).
     */
    record Entry(TraceId traceId, long fragmentId, long minStart, long maxStart, long minDuration, long maxDuration,
                 long fragmentMaxStart) {
    }

    static Entry[] decode(ByteBuffer data, long bucketStart) {
        byte[] bytes;
        int offset;
        int length = data.remaining();
        if (data.hasArray()) {
            bytes = data.array();
            offset = data.arrayOffset() + data.position();
        } else {
            bytes = new byte[length];
            data.duplicate().get(bytes);
            offset = 0;
        }
        ByteSource in = new ByteSource(bytes, offset, length);
        int version = in.readByte();
        if (version != 1) {
            throw new CorruptDataException("unknown block header version " + version);
        }
        int n = in.readCount();
        Entry[] entries = new Entry[n];
        for (int i = 0; i < n; i++) {
            TraceId id = new TraceId(in.readFixedLong(), in.readFixedLong());
            long fragmentId = in.readFixedLong();
            long minStart = bucketStart + in.readZLong();
            long maxStart = minStart + in.readVarLong();
            long minDuration = in.readVarLong();
            long maxDuration = minDuration + in.readVarLong();
            long fragmentMaxStart = maxStart + in.readVarLong();
            entries[i] = new Entry(id, fragmentId, minStart, maxStart, minDuration, maxDuration, fragmentMaxStart);
        }
        return entries;
    }

    /**
     * The posting list of {@code term} in a term-group row (ascending entry numbers of the block header), or null when
     * the row does not hold the term.
     */
    static int[] postings(ByteBuffer data, long term) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        ByteSource in = new ByteSource(bytes, 0, bytes.length);
        int wanted = TermHash.low(term);
        int terms = in.readCount();
        int low = 0;
        for (int t = 0; t < terms; t++) {
            low += in.readVarInt();
            if (low == wanted) {
                return readPostings(in);
            }
            if (low > wanted) {
                return null;
            }
            int n = in.readCount();
            for (int i = 0; i < n; i++) {
                in.readVarInt();
            }
        }
        return null;
    }

    private static int[] readPostings(ByteSource in) {
        int n = in.readCount();
        int[] out = new int[n];
        int prev = 0;
        for (int i = 0; i < n; i++) {
            prev += in.readVarInt();
            out[i] = prev;
        }
        return out;
    }
}
