package io.spoor.pipeline.sampling.tail;

import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.spanlog.codec.SpanCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The spans of one undecided trace, kept compact: one <em>part</em> per export that carried spans of the trace, each
 * a slice of that export's encoded record ({@link TailLogCodec}: Spoor's span encoding, one fragment per trace).
 * The record's bytes are shared by every trace of the export, and they are the very bytes the tail-sampling log
 * holds, so a span is encoded once for both. Decoded again only when the decision is due.
 */
final class BufferedTrace {
    final TraceId id;
    final long firstArrivalNanos;
    private byte[][] payloads = new byte[2][];
    private int[] offsets = new int[2];
    private int[] lengths = new int[2];
    /** The log record of each part (null without a log). */
    private TailLog.Record[] records = new TailLog.Record[2];
    private int parts;
    private int spans;
    private long bytes;

    BufferedTrace(TraceId id, long firstArrivalNanos) {
        this.id = id;
        this.firstArrivalNanos = firstArrivalNanos;
    }

    /** Adds a part: {@code spanCount} spans encoded as a fragment at {@code payload[offset, offset+length)}. */
    void add(byte[] payload, int offset, int length, int spanCount, TailLog.Record record) {
        if (parts == payloads.length) {
            int n = parts * 2;
            payloads = Arrays.copyOf(payloads, n);
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            records = Arrays.copyOf(records, n);
        }
        payloads[parts] = payload;
        offsets[parts] = offset;
        lengths[parts] = length;
        records[parts] = record;
        parts++;
        spans += spanCount;
        bytes += length;
    }

    int spanCount() {
        return spans;
    }

    long encodedBytes() {
        return bytes;
    }

    int partCount() {
        return parts;
    }

    TailLog.Record record(int part) {
        return records[part];
    }

    /** The log sequence number of the last part's record (-1 without a log). */
    long lastSeq() {
        TailLog.Record last = parts == 0 ? null : records[parts - 1];
        return last == null ? -1 : last.seq;
    }

    List<Span> decode() {
        List<Span> out = new ArrayList<>(spans);
        for (int i = 0; i < parts; i++) {
            out.addAll(SpanCodec.decodeFragment(payloads[i], offsets[i], lengths[i]));
        }
        return out;
    }
}
