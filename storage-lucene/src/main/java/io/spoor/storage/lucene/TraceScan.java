package io.spoor.storage.lucene;

import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.model.Trace;
import io.spoor.storage.TimeWindow;
import io.spoor.spanlog.codec.SpanCodec;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;

/**
 * {@link io.spoor.storage.TraceReader#scanTraces} for the block engine, in two passes over one point-in-time
 * searcher: (1) every block whose span starts overlap the window is read once, in doc order, and the ids of the
 * traces with a span starting inside the window are noted (in the order their first block was met); (2) each of
 * those traces is read whole through one {@link TraceSearcher}, whose block cache then serves neighbouring traces
 * from the block just read. Only ids are held between the passes, so memory does not grow with the spans in the
 * window. (A separate class beside the engine so that the engine's own read path stays untouched.)
 */
final class TraceScan {
    private TraceScan() {
    }

    static void scan(IndexSearcher searcher, TimeWindow w, Consumer<Trace> action) throws IOException {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(LongPoint.newRangeQuery(BlockDocument.START, Long.MIN_VALUE, w.endEpochNanos()),
                BooleanClause.Occur.FILTER);
        b.add(LongPoint.newRangeQuery(BlockDocument.LAST_START, w.startEpochNanos(), Long.MAX_VALUE),
                BooleanClause.Occur.FILTER);
        Query query = searcher.rewrite(b.build());
        Weight weight = searcher.createWeight(query, ScoreMode.COMPLETE_NO_SCORES, 1f);
        StoredFields stored = searcher.storedFields();
        BlockBytesVisitor visitor = new BlockBytesVisitor();
        Set<TraceId> ids = new LinkedHashSet<>();
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Scorer scorer = weight.scorer(leaf);
            if (scorer == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            DocIdSetIterator it = scorer.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (live != null && !live.get(doc)) {
                    continue;
                }
                stored.document(leaf.docBase + doc, visitor);
                byte[] block = visitor.bytes;
                BatchCodec.forEachFragment(block, (offset, length) -> {
                    TraceId id = SpanCodec.traceIdOf(block, offset, length);
                    if (ids.contains(id)) {
                        return;
                    }
                    List<Span> spans = SpanCodec.decodeFragment(block, offset, length);
                    for (Span s : spans) {
                        if (w.contains(s.startEpochNanos())) {
                            ids.add(id);
                            return;
                        }
                    }
                });
            }
        }
        TraceSearcher traces = new TraceSearcher(searcher);
        for (TraceId id : ids) {
            traces.trace(id).ifPresent(action);
        }
    }
}
