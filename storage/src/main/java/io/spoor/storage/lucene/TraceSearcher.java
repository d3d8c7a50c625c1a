package io.spoor.storage.lucene;

import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import io.spoor.storage.codec.SpanCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.search.TopDocs;

/**
 * Reads over one point-in-time {@link IndexSearcher}. The index only narrows the candidates (a fragment may carry the
 * service of one span and the tag of another); every candidate is decoded and checked with
 * {@link TraceQuery#matches}, so results are exact.
 */
final class TraceSearcher {
    private static final Sort NEWEST_FIRST = new Sort(new SortField(FragmentDocument.START, SortField.Type.LONG, true));
    private static final int MAX_PAGE = 10_000;

    private final IndexSearcher searcher;

    TraceSearcher(IndexSearcher searcher) {
        this.searcher = searcher;
    }

    /** Every stored span of the trace, duplicates removed. The hint is not needed: one term lookup finds it. */
    Optional<Trace> trace(TraceId traceId) throws IOException {
        int[] docs = searcher.search(new TermQuery(new Term(FragmentDocument.TRACE_ID,
                FragmentDocument.traceIdTerm(traceId.high(), traceId.low()))), new AllDocs());
        if (docs.length == 0) {
            return Optional.empty();
        }
        Arrays.sort(docs); // ascending doc ids read stored-field blocks in order
        StoredFields stored = searcher.storedFields();
        FragmentVisitor visitor = new FragmentVisitor();
        List<Span> spans = new ArrayList<>();
        for (int doc : docs) {
            stored.document(doc, visitor);
            spans.addAll(SpanCodec.decodeFragment(visitor.bytes));
        }
        return Optional.of(Trace.ofDeduplicated(traceId, spans));
    }

    /**
     * Pages through candidate fragments newest first (by their earliest span). A trace starts no later than any of its
     * fragments, so once {@code limit} verified traces start at or after the current fragment, no later candidate can
     * displace them: the answer is exact without reading every candidate, and the limit is applied after all filters.
     */
    List<TraceSummary> findTraces(TraceQuery query) throws IOException {
        Query filter = toLuceneQuery(query);
        int limit = query.limit();
        int page = Math.min(MAX_PAGE, Math.max(64, limit * 2));
        Map<TraceId, TraceSummary> verified = new HashMap<>();
        // the `limit` newest verified starts; its head is the oldest of them
        PriorityQueue<Long> newest = new PriorityQueue<>();
        StoredFields stored = searcher.storedFields();
        FragmentVisitor visitor = new FragmentVisitor();
        ScoreDoc after = null;
        while (true) {
            TopDocs hits = after == null ? searcher.search(filter, page, NEWEST_FIRST)
                    : searcher.searchAfter(after, filter, page, NEWEST_FIRST);
            for (ScoreDoc hit : hits.scoreDocs) {
                long fragmentStart = (Long) ((FieldDoc) hit).fields[0];
                if (newest.size() >= limit && newest.peek() >= fragmentStart) {
                    return newestFirst(verified.values(), limit);
                }
                stored.document(hit.doc, visitor);
                TraceId id = SpanCodec.traceIdOf(visitor.bytes, 0, visitor.bytes.length);
                if (verified.containsKey(id)) {
                    continue;
                }
                if (anyMatches(SpanCodec.decodeFragment(visitor.bytes), query)) {
                    Optional<Trace> trace = trace(id);
                    if (trace.isPresent()) {
                        TraceSummary summary = TraceSummary.of(trace.get());
                        verified.put(id, summary);
                        newest.add(summary.startEpochNanos());
                        if (newest.size() > limit) {
                            newest.poll();
                        }
                    }
                }
            }
            if (hits.scoreDocs.length < page) {
                return newestFirst(verified.values(), limit);
            }
            after = hits.scoreDocs[hits.scoreDocs.length - 1];
            page = Math.min(MAX_PAGE, page * 2);
        }
    }

    private static boolean anyMatches(List<Span> spans, TraceQuery query) {
        for (Span s : spans) {
            if (query.matches(s)) {
                return true;
            }
        }
        return false;
    }

    private static List<TraceSummary> newestFirst(Collection<TraceSummary> summaries, int limit) {
        return summaries.stream()
                .sorted(Comparator.comparingLong(TraceSummary::startEpochNanos).reversed()
                        .thenComparing(TraceSummary::traceId))
                .limit(limit)
                .toList();
    }

    /** The coarse filter: a fragment can only hold a matching span if it passes every clause. */
    static Query toLuceneQuery(TraceQuery q) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        int clauses = 0;
        if (q.service().isPresent()) {
            b.add(new TermQuery(new Term(FragmentDocument.SERVICE, q.service().get())), BooleanClause.Occur.FILTER);
            clauses++;
            if (q.operation().isPresent()) {
                List<BytesRef> kinds = new ArrayList<>();
                for (SpanKind kind : SpanKind.values()) {
                    kinds.add(new BytesRef(Fragment.catalogEntry(q.service().get(), q.operation().get(), kind)));
                }
                b.add(new TermInSetQuery(FragmentDocument.CATALOG, kinds), BooleanClause.Occur.FILTER);
            }
        } else if (q.operation().isPresent()) {
            b.add(new TermQuery(new Term(FragmentDocument.OPERATION, q.operation().get())), BooleanClause.Occur.FILTER);
            clauses++;
        }
        for (TraceQuery.Tag t : q.tags()) {
            if (Fragment.indexable(t.key(), t.value())) {
                b.add(new TermQuery(new Term(FragmentDocument.TAG,
                        FragmentDocument.hashTerm(TagHash.of(t.key(), t.value())))),
                        BooleanClause.Occur.FILTER);
                clauses++;
            }
        }
        if (q.minDurationNanos() > 0) {
            b.add(LongPoint.newRangeQuery(FragmentDocument.MAX_DURATION, q.minDurationNanos(), Long.MAX_VALUE),
                    BooleanClause.Occur.FILTER);
            clauses++;
        }
        if (q.maxDurationNanos() < Long.MAX_VALUE) {
            b.add(LongPoint.newRangeQuery(FragmentDocument.MIN_DURATION, Long.MIN_VALUE, q.maxDurationNanos()),
                    BooleanClause.Occur.FILTER);
            clauses++;
        }
        TimeWindow w = q.window();
        if (w.endEpochNanos() < Long.MAX_VALUE) {
            b.add(LongPoint.newRangeQuery(FragmentDocument.START, Long.MIN_VALUE, w.endEpochNanos()),
                    BooleanClause.Occur.FILTER);
            clauses++;
        }
        if (w.startEpochNanos() > 0) {
            b.add(LongPoint.newRangeQuery(FragmentDocument.LAST_START, w.startEpochNanos(), Long.MAX_VALUE),
                    BooleanClause.Occur.FILTER);
            clauses++;
        }
        return clauses == 0 ? new MatchAllDocsQuery() : b.build();
    }

    /** Reads only the encoded fragment. */
    private static final class FragmentVisitor extends StoredFieldVisitor {
        byte[] bytes;

        @Override
        public Status needsField(FieldInfo fieldInfo) {
            return FragmentDocument.FRAGMENT.equals(fieldInfo.name) ? Status.YES : Status.NO;
        }

        @Override
        public void binaryField(FieldInfo fieldInfo, byte[] value) {
            bytes = value;
        }
    }

    /** Collects the global doc ids of every hit (a trace has a handful of fragments; no scoring, no top-k). */
    private static final class AllDocs implements CollectorManager<AllDocs.Ids, int[]> {
        static final class Ids implements Collector {
            int[] docs = new int[8];
            int size;

            @Override
            public LeafCollector getLeafCollector(LeafReaderContext context) {
                int base = context.docBase;
                return new LeafCollector() {
                    @Override
                    public void setScorer(Scorable scorer) {
                    }

                    @Override
                    public void collect(int doc) {
                        if (size == docs.length) {
                            docs = Arrays.copyOf(docs, size * 2);
                        }
                        docs[size++] = base + doc;
                    }
                };
            }

            @Override
            public ScoreMode scoreMode() {
                return ScoreMode.COMPLETE_NO_SCORES;
            }
        }

        @Override
        public Ids newCollector() {
            return new Ids();
        }

        @Override
        public int[] reduce(Collection<Ids> collectors) {
            int n = 0;
            for (Ids c : collectors) {
                n += c.size;
            }
            int[] all = new int[n];
            int at = 0;
            for (Ids c : collectors) {
                System.arraycopy(c.docs, 0, all, at, c.size);
                at += c.size;
            }
            return all;
        }
    }
}
