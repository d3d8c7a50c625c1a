package io.spoor.pipeline.sampling.tail;

import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.spanlog.codec.ByteSink;
import io.spoor.spanlog.codec.ByteSource;
import io.spoor.spanlog.codec.CorruptDataException;
import io.spoor.spanlog.codec.SpanCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of the tail-sampling log. Two kinds:
 * <pre>
 * spans:     kind(1)=1 seq(8) arrivalEpochMillis(8) count(var) {spanCount(var) length(4) fragment}*
 * decisions: kind(1)=2 count(var) {traceIdHigh(8) traceIdLow(8) sampled(1) lastSeq(var)}*
 * </pre>
 * A fragment is {@link SpanCodec}'s encoding of one trace's spans (the store's span encoding); a spans record is one
 * export, and the sampler's buffer keeps slices of the same bytes. {@code seq} numbers spans records in log order;
 * it is patched in when the record's place in the log is fixed. A decision covers the parts of its trace in spans
 * records up to {@code lastSeq}.
 */
final class TailLogCodec {
    static final byte SPANS = 1;
    static final byte DECISIONS = 2;
    static final int SEQ_OFFSET = 1;

    private static final ThreadLocal<TailLogCodec> PER_THREAD = ThreadLocal.withInitial(TailLogCodec::new);

    private final SpanCodec codec = new SpanCodec();
    private final ByteSink sink = new ByteSink(256 * 1024);

    /** One export, encoded: {@code payload} holds part {@code i} (trace {@code ids[i]}) at {@code offsets[i]}. */
    record Encoded(byte[] payload, TraceId[] ids, int[] offsets, int[] lengths, int[] spanCounts,
                   List<List<Span>> groups) {
        int parts() {
            return ids.length;
        }
    }

    static Encoded encode(List<Span> spans, long arrivalEpochMillis) {
        return PER_THREAD.get().encodeSpans(spans, arrivalEpochMillis);
    }

    private Encoded encodeSpans(List<Span> spans, long arrivalEpochMillis) {
        Map<TraceId, List<Span>> byTrace = groupByTrace(spans);
        int n = byTrace.size();
        TraceId[] ids = new TraceId[n];
        int[] offsets = new int[n];
        int[] lengths = new int[n];
        int[] counts = new int[n];
        List<List<Span>> groups = new ArrayList<>(n);
        sink.reset();
        sink.writeByte(SPANS);
        sink.writeFixedLong(0); // seq, patched in by setSeq
        sink.writeFixedLong(arrivalEpochMillis);
        sink.writeVarInt(n);
        int i = 0;
        for (Map.Entry<TraceId, List<Span>> e : byTrace.entrySet()) {
            sink.writeVarInt(e.getValue().size());
            int lengthAt = sink.size();
            sink.writeFixedInt(0);
            int offset = sink.size();
            codec.encodeFragment(e.getKey(), e.getValue(), sink);
            sink.setFixedInt(lengthAt, sink.size() - offset);
            ids[i] = e.getKey();
            offsets[i] = offset;
            lengths[i] = sink.size() - offset;
            counts[i] = e.getValue().size();
            groups.add(e.getValue());
            i++;
        }
        return new Encoded(sink.toByteArray(), ids, offsets, lengths, counts, groups);
    }

    private static Map<TraceId, List<Span>> groupByTrace(List<Span> spans) {
        Map<TraceId, List<Span>> byTrace = new LinkedHashMap<>();
        TraceId last = null;
        List<Span> lastList = null;
        for (Span s : spans) {
            if (!s.traceId().equals(last)) { // spans of a trace tend to be adjacent
                last = s.traceId();
                lastList = byTrace.computeIfAbsent(last, k -> new ArrayList<>());
            }
            lastList.add(s);
        }
        return byTrace;
    }

    static void setSeq(byte[] payload, long seq) {
        for (int i = 0; i < 8; i++) {
            payload[SEQ_OFFSET + i] = (byte) (seq >>> (56 - 8 * i));
        }
    }

    /** One decided trace, as a decisions record lists it. */
    record Decided(TraceId id, boolean sampled, long lastSeq) {
    }

    static byte[] encodeDecisions(List<Decided> decided) {
        ByteSink out = new ByteSink(16 + decided.size() * 20);
        out.writeByte(DECISIONS);
        out.writeVarInt(decided.size());
        for (Decided d : decided) {
            out.writeFixedLong(d.id().high());
            out.writeFixedLong(d.id().low());
            out.writeByte(d.sampled() ? 1 : 0);
            out.writeVarLong(d.lastSeq());
        }
        return out.toByteArray();
    }

    /** Receives the content of a record on replay. */
    interface Visitor {
        void spans(long seq, long arrivalEpochMillis, int parts);

        void part(TraceId id, int spanCount, byte[] payload, int offset, int length);

        void decided(Decided d);
    }

    /** Reads a record; throws {@link CorruptDataException} for bytes that are not one. */
    static void read(byte[] payload, Visitor visitor) {
        ByteSource in = new ByteSource(payload, 0, payload.length);
        int kind = in.readByte();
        switch (kind) {
            case SPANS -> {
                long seq = in.readFixedLong();
                long arrival = in.readFixedLong();
                int n = in.readCount();
                visitor.spans(seq, arrival, n);
                for (int i = 0; i < n; i++) {
                    int spanCount = in.readVarInt();
                    int length = in.readFixedInt();
                    int offset = in.position();
                    in.skip(length);
                    visitor.part(SpanCodec.traceIdOf(payload, offset, length), spanCount, payload, offset, length);
                }
            }
            case DECISIONS -> {
                int n = in.readCount();
                for (int i = 0; i < n; i++) {
                    TraceId id = new TraceId(in.readFixedLong(), in.readFixedLong());
                    boolean sampled = in.readByte() == 1;
                    visitor.decided(new Decided(id, sampled, in.readVarLong()));
                }
            }
            default -> throw new CorruptDataException("unknown tail-sampling log record kind " + kind);
        }
        if (in.hasRemaining()) {
            throw new CorruptDataException("trailing bytes in a tail-sampling log record");
        }
    }

    private TailLogCodec() {
    }
}
