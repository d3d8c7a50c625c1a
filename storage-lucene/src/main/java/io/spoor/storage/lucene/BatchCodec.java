package io.spoor.storage.lucene;

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
 * Turns one write's spans into one log record: {@code count(var), {length(4), fragment}*}, fragments grouped by trace
 * id. The same bytes are the stored field of the write's {@link Block} document, so they are encoded once and shared
 * by the log, the indexer and the index. The fixed-length prefixes let a reader hop from fragment to fragment and
 * compare trace ids (at a fixed place in each fragment) without decoding spans. Not thread-safe: one instance per
 * writing thread.
 */
final class BatchCodec {
    private final SpanCodec codec = new SpanCodec();
    private final ByteSink sink = new ByteSink(256 * 1024);
    private final Block.Describer describer = new Block.Describer();

    record Encoded(byte[] payload, IndexBatch batch) {
    }

    Encoded encode(List<Span> spans) {
        Map<TraceId, List<Span>> byTrace = groupByTrace(spans);
        sink.reset();
        sink.writeVarInt(byTrace.size());
        for (Map.Entry<TraceId, List<Span>> e : byTrace.entrySet()) {
            // reserve a fixed 4-byte length so the fragment can be encoded in place (no copy)
            int lengthAt = sink.size();
            sink.writeFixedInt(0);
            int offset = sink.size();
            codec.encodeFragment(e.getKey(), e.getValue(), sink);
            sink.setFixedInt(lengthAt, sink.size() - offset);
        }
        byte[] payload = sink.toByteArray();
        Block block = describer.describe(payload, new ArrayList<>(byTrace.keySet()), new ArrayList<>(byTrace.values()),
                spans.size());
        return new Encoded(payload, new IndexBatch(block));
    }

    private static Map<TraceId, List<Span>> groupByTrace(List<Span> spans) {
        Map<TraceId, List<Span>> byTrace = new LinkedHashMap<>();
        TraceId last = null;
        List<Span> lastList = null;
        for (Span s : spans) {
            // spans of a trace tend to be adjacent; skip the hash lookup while they are
            if (!s.traceId().equals(last)) {
                last = s.traceId();
                lastList = byTrace.computeIfAbsent(last, k -> new ArrayList<>());
            }
            lastList.add(s);
        }
        return byTrace;
    }

    /** Reads a log record back (replay after a crash) and recomputes the index terms. */
    static IndexBatch decode(byte[] payload) {
        List<TraceId> ids = new ArrayList<>();
        List<List<Span>> groups = new ArrayList<>();
        int[] spans = new int[1];
        forEachFragment(payload, (offset, length) -> {
            ids.add(SpanCodec.traceIdOf(payload, offset, length));
            List<Span> decoded = SpanCodec.decodeFragment(payload, offset, length);
            groups.add(decoded);
            spans[0] += decoded.size();
        });
        return new IndexBatch(new Block.Describer().describe(payload, ids, groups, spans[0]));
    }

    interface FragmentVisitor {
        void visit(int offset, int length);
    }

    /** Calls {@code visitor} with the place of each fragment of an encoded batch. */
    static void forEachFragment(byte[] payload, FragmentVisitor visitor) {
        ByteSource in = new ByteSource(payload, 0, payload.length);
        int n = in.readCount();
        for (int i = 0; i < n; i++) {
            int length = in.readFixedInt();
            int offset = in.position();
            in.skip(length);
            visitor.visit(offset, length);
        }
        if (in.hasRemaining()) {
            throw new CorruptDataException("trailing bytes after " + n + " fragments");
        }
    }

    /** True when the fragment at {@code offset} belongs to the trace; reads 16 bytes, decodes nothing. */
    static boolean isOfTrace(byte[] payload, int offset, int length, long high, long low) {
        if (length < SpanCodec.TRACE_ID_END) {
            throw new CorruptDataException("fragment too short: " + length + " bytes");
        }
        return readLong(payload, offset + 1) == high && readLong(payload, offset + 9) == low;
    }

    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }
}
