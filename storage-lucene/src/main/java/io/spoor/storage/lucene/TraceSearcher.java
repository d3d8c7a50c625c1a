package io.spoor.storage.lucene;

import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import io.spoor.spanlog.codec.SpanCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.LeafReaderContext;
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
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * Reads over one point-in-time {@link IndexSearcher}. The index only narrows the candidates to blocks (one per write;
 * a block may hold the service in one span and the tag in another, or a colliding hash); every candidate fragment is
 * decoded and checked with {@link TraceQuery#matches}, so results are exact. Decompressed blocks are cached for the
 * life of this object (one read call), since a search looks up the traces it found in the blocks it just read.
 */
final class TraceSearcher {
    private static final Sort NEWEST_FIRST = new Sort(new SortField(BlockDocument.START, SortField.Type.LONG, true));
    private static final int MAX_PAGE = 10_000;
    private static final int CACHED_BLOCKS = 32;

    private final IndexSearcher searcher;
    private final StoredFields stored;
    private final BlockBytesVisitor visitor = new BlockBytesVisitor();
    private final Map<Integer, byte[]> blocks = new LinkedHashMap<>(CACHED_BLOCKS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
            return size() > CACHED_BLOCKS;
        }
    };

    TraceSearcher(IndexSearcher searcher) throws IOException {
        this.searcher = searcher;
        this.stored = searcher.storedFields();
    }

    IndexSearcher indexSearcher() {
        return searcher;
    }

    private byte[] block(int doc) throws IOException {
        byte[] b = blocks.get(doc);
        if (b == null) {
            stored.document(doc, visitor);
            b = visitor.bytes;
            blocks.put(doc, b);
        }
        return b;
    }

    /**
     * Every stored span of the trace, duplicates removed. The hint is not needed: one term lookup finds the blocks;
     * in each, only the trace's own fragments are decoded (found by comparing the id bytes at the head of each).
     */
    Optional<Trace> trace(TraceId traceId) throws IOException {
        int[] docs = searcher.search(new TermQuery(new Term(BlockDocument.TRACE_ID,
                BlockDocument.traceIdTerm(traceId.high(), traceId.low()))), new AllDocs());
        if (docs.length == 0) {
            return Optional.empty();
        }
        Arrays.sort(docs); // ascending doc ids read stored-field blocks in order
        List<Span> spans = new ArrayList<>();
        for (int doc : docs) {
            byte[] b = block(doc);
            BatchCodec.forEachFragment(b, (offset, length) -> {
                if (BatchCodec.isOfTrace(b, offset, length, traceId.high(), traceId.low())) {
                    spans.addAll(SpanCodec.decodeFragment(b, offset, length));
                }
            });
        }
        return spans.isEmpty() ? Optional.empty() : Optional.of(Trace.ofDeduplicated(traceId, spans));
    }

    /**
     * Pages through candidate blocks newest first (by their earliest span). A trace starts no later than any of its
     * spans, so once {@code limit} verified traces start at or after the current block's start, no later candidate can
     * displace them: the answer is exact without reading every candidate, and the limit is applied after all filters.
     */
    List<TraceSummary> findTraces(TraceQuery query) throws IOException {
        Query filter = toLuceneQuery(query);
        int limit = query.limit();
        int page = Math.min(MAX_PAGE, Math.max(64, limit * 2));
        Map<TraceId, TraceSummary> verified = new HashMap<>();
        // the `limit` newest verified starts; its head is the oldest of them
        PriorityQueue<Long> newest = new PriorityQueue<>();
        List<TraceId> matched = new ArrayList<>();
        FragmentPrefilter prefilter = new FragmentPrefilter(query);
        ScoreDoc after = null;
        while (true) {
            TopDocs hits = after == null ? searcher.search(filter, page, NEWEST_FIRST)
                    : searcher.searchAfter(after, filter, page, NEWEST_FIRST);
            for (ScoreDoc hit : hits.scoreDocs) {
                long blockStart = (Long) ((FieldDoc) hit).fields[0];
                if (newest.size() >= limit && newest.peek() >= blockStart) {
                    return newestFirst(verified.values(), limit);
                }
                byte[] b = block(hit.doc);
                matched.clear();
                BatchCodec.forEachFragment(b, (offset, length) -> {
                    TraceId id = SpanCodec.traceIdOf(b, offset, length);
                    if (!verified.containsKey(id) && prefilter.mayMatch(b, offset, length)
                            && anyMatches(SpanCodec.decodeFragment(b, offset, length), query)) {
                        matched.add(id);
                    }
                });
                for (TraceId id : matched) {
                    if (verified.containsKey(id)) {
                        continue;
                    }
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

    /**
     * The coarse filter: a fragment can only hold a matching span if it passes every clause. Blocks stored without
     * their terms ({@link BlockDocument#fillUnindexed}) are candidates whenever their times and durations fit, so a
     * search finds their spans by every field too (after exact verification, as every candidate).
     */
    static Query toLuceneQuery(TraceQuery q) {
        List<Query> terms = new ArrayList<>();
        if (q.service().isPresent() && q.operation().isPresent()) {
            terms.add(hashQuery(TagHash.serviceOperation(q.service().get(), q.operation().get())));
        } else if (q.service().isPresent()) {
            terms.add(hashQuery(TagHash.of(TagHash.SERVICE_KEY, q.service().get())));
        } else if (q.operation().isPresent()) {
            terms.add(hashQuery(TagHash.of(TagHash.OPERATION_KEY, q.operation().get())));
        }
        for (TraceQuery.Tag t : q.tags()) {
            if (Block.indexable(t.key(), t.value())) {
                terms.add(hashQuery(TagHash.of(t.key(), t.value())));
            }
        }
        List<Query> ranges = new ArrayList<>();
        if (q.minDurationNanos() > 0) {
            ranges.add(LongPoint.newRangeQuery(BlockDocument.MAX_DURATION, q.minDurationNanos(), Long.MAX_VALUE));
        }
        if (q.maxDurationNanos() < Long.MAX_VALUE) {
            ranges.add(LongPoint.newRangeQuery(BlockDocument.MIN_DURATION, Long.MIN_VALUE, q.maxDurationNanos()));
        }
        TimeWindow w = q.window();
        if (w.endEpochNanos() < Long.MAX_VALUE) {
            ranges.add(LongPoint.newRangeQuery(BlockDocument.START, Long.MIN_VALUE, w.endEpochNanos()));
        }
        if (w.startEpochNanos() > 0) {
            ranges.add(LongPoint.newRangeQuery(BlockDocument.LAST_START, w.startEpochNanos(), Long.MAX_VALUE));
        }
        if (terms.isEmpty()) {
            return ranges.isEmpty() ? new MatchAllDocsQuery() : allOf(ranges, List.of());
        }
        Query indexed = allOf(terms, ranges);
        Query unindexed = allOf(List.of(hashQuery(TagHash.UNINDEXED)), ranges);
        return new BooleanQuery.Builder()
                .add(indexed, BooleanClause.Occur.SHOULD)
                .add(unindexed, BooleanClause.Occur.SHOULD)
                .setMinimumNumberShouldMatch(1)
                .build();
    }

    private static Query allOf(List<Query> a, List<Query> b) {
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        a.forEach(c -> all.add(c, BooleanClause.Occur.FILTER));
        b.forEach(c -> all.add(c, BooleanClause.Occur.FILTER));
        return all.build();
    }

    private static Query hashQuery(long hash) {
        return new TermQuery(new Term(BlockDocument.TERMS, BlockDocument.hashTerm(hash)));
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
