package io.spoor.storage.lucene;

import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.storage.codec.ByteSink;
import io.spoor.storage.codec.ByteSource;
import io.spoor.storage.codec.SpanCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one write's spans into one log record: {@code count(var), {length(4), fragment}*}, fragments grouped by trace id.
 * The fragments of the returned batch point into the record's array, so the bytes are encoded once and shared by
 * the log, the indexer and the stored field. Not thread-safe: one instance per writing thread.
 */
final class BatchCodec {
    private final SpanCodec codec = new SpanCodec();
    private final ByteSink sink = new ByteSink(256 * 1024);
    private final LongSet tagSet = new LongSet();

    record Encoded(byte[] payload, IndexBatch batch) {
    }

    Encoded encode(List<Span> spans) {
        Map<TraceId, List<Span>> byTrace = groupByTrace(spans);
        sink.reset();
        sink.writeVarInt(byTrace.size());
        int[] offsets = new int[byTrace.size()];
        int[] lengths = new int[byTrace.size()];
        int i = 0;
        for (Map.Entry<TraceId, List<Span>> e : byTrace.entrySet()) {
            // reserve a fixed 4-byte length so the fragment can be encoded in place (no copy)
            int lengthAt = sink.size();
            sink.writeFixedInt(0);
            offsets[i] = sink.size();
            codec.encodeFragment(e.getKey(), e.getValue(), sink);
            lengths[i] = sink.size() - offsets[i];
            sink.setFixedInt(lengthAt, lengths[i]);
            i++;
        }
        byte[] payload = sink.toByteArray();
        List<Fragment> fragments = new ArrayList<>(byTrace.size());
        long approx = 0;
        i = 0;
        for (Map.Entry<TraceId, List<Span>> e : byTrace.entrySet()) {
            Fragment f = Fragment.describe(e.getKey(), e.getValue(), payload, offsets[i], lengths[i], tagSet);
            approx += f.approximateBytes();
            fragments.add(f);
            i++;
        }
        return new Encoded(payload, new IndexBatch(fragments, spans.size(), approx));
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
        ByteSource in = new ByteSource(payload, 0, payload.length);
        int n = in.readCount();
        List<Fragment> fragments = new ArrayList<>(n);
        int spans = 0;
        long approx = 0;
        for (int i = 0; i < n; i++) {
            int length = in.readFixedInt();
            int offset = in.position();
            List<Span> decoded = SpanCodec.decodeFragment(payload, offset, length);
            TraceId traceId = SpanCodec.traceIdOf(payload, offset, length);
            Fragment f = Fragment.describe(traceId, decoded, payload, offset, length);
            fragments.add(f);
            spans += f.spanCount();
            approx += f.approximateBytes();
            in.skip(length);
        }
        return new IndexBatch(fragments, spans, approx);
    }
}
