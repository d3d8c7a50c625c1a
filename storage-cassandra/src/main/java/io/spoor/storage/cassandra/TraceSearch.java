package io.spoor.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import io.spoor.spanlog.codec.CorruptDataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A search: the index is a coarse filter, every result is verified exactly on the whole trace.
 *
 * <ol>
 *   <li>The buckets of the window that hold data come from {@code buckets}, newest first.</li>
 *   <li>In each bucket, every shard is asked for the rows of the query's terms (service + operation, or either;
 *       each indexable tag). The blocks that have every term, and in each the header entries present in every
 *       posting list, are the candidates; a query without terms takes every block.</li>
 *   <li>Blocks are taken newest first (a block's id starts with its latest span start). For each, the header gives
 *       trace ids and the start/duration bounds of their spans there, which drop entries that cannot match; the
 *       rest are read whole and checked with {@link TraceQuery#matches}.</li>
 *   <li>A trace starts no later than any of its spans, so once {@code limit} verified traces start at or after the
 *       latest possible start of the next block, nothing unread can displace them: the search stops, and the limit
 *       has been applied after every filter.</li>
 * </ol>
 */
final class TraceSearch {
    private static final Logger log = LoggerFactory.getLogger(TraceSearch.class);
    /**
     * Blocks whose headers are read in one request (CQL IN on the clustering key): few at first, since a broad query
     * is usually answered by the newest blocks, more while a narrow one has to look further.
     */
    private static final int FIRST_HEADER_CHUNK = 2;
    private static final int HEADER_CHUNK = 32;
    /** Traces read at once while verifying. */
    private static final int PARALLEL_READS = 16;

    private final CqlSession session;
    private final Statements statements;
    private final TraceReads reads;
    private final IndexLayout layout;

    TraceSearch(CqlSession session, Statements statements, TraceReads reads, IndexLayout layout) {
        this.session = session;
        this.statements = statements;
        this.reads = reads;
        this.layout = layout;
    }

    List<TraceSummary> find(TraceQuery query) {
        long[] terms = terms(query);
        int limit = query.limit();
        Map<TraceId, TraceSummary> verified = new HashMap<>();
        Set<TraceId> rejected = new HashSet<>();
        PriorityQueue<Long> newest = new PriorityQueue<>(); // the `limit` newest verified starts; head = oldest
        TimeWindow w = query.window();
        for (long bucket : buckets(w)) {
            long nextBucketStart = layout.bucketStart(bucket + 1);
            if (full(newest, limit, nextBucketStart)) {
                break;
            }
            TreeMap<Long, Candidate> blocks = candidates(bucket, terms); // by block id, newest first
            List<Candidate> chunk = new ArrayList<>();
            int chunkSize = FIRST_HEADER_CHUNK;
            boolean done = false;
            for (Candidate c : blocks.values()) {
                if (chunk.isEmpty() && full(newest, limit, BlockId.maxStartNanos(c.blockId))) {
                    done = true;
                    break;
                }
                chunk.add(c);
                if (chunk.size() == chunkSize) {
                    done = verifyChunk(bucket, chunk, query, verified, rejected, newest);
                    chunk.clear();
                    chunkSize = Math.min(HEADER_CHUNK, chunkSize * 2);
                    if (done) {
                        break;
                    }
                }
            }
            if (!done && !chunk.isEmpty()) {
                done = verifyChunk(bucket, chunk, query, verified, rejected, newest);
            }
            if (done) {
                break;
            }
        }
        return newestFirst(verified.values(), limit);
    }

    private static boolean full(PriorityQueue<Long> newest, int limit, long latestPossibleStart) {
        return newest.size() >= limit && newest.peek() >= latestPossibleStart;
    }

    /** The index terms of the query; verification checks everything else. */
    static long[] terms(TraceQuery q) {
        List<Long> terms = new ArrayList<>();
        if (q.service().isPresent() && q.operation().isPresent()) {
            terms.add(TermHash.serviceOperation(q.service().get(), q.operation().get()));
        } else if (q.service().isPresent()) {
            terms.add(TermHash.service(q.service().get()));
        } else if (q.operation().isPresent()) {
            terms.add(TermHash.operation(q.operation().get()));
        }
        for (TraceQuery.Tag t : q.tags()) {
            if (TermHash.indexable(t.key(), t.value())) {
                terms.add(TermHash.tag(t.key(), t.value()));
            }
        }
        return terms.stream().mapToLong(Long::longValue).distinct().toArray();
    }

    /** Buckets of the window that hold data, newest first. */
    private List<Long> buckets(TimeWindow w) {
        List<Long> out = new ArrayList<>();
        for (Row row : session.execute(statements.selectBuckets.bind(layout.bucketOf(w.startEpochNanos()),
                layout.bucketOf(w.endEpochNanos())))) {
            out.add(row.getLong(0));
        }
        return out;
    }

    /** A candidate block: where it is, and which header entries may match (null = all). */
    private static final class Candidate {
        final int shard;
        final long blockId;
        int[] entries;
        ByteBuffer header;

        Candidate(int shard, long blockId, int[] entries) {
            this.shard = shard;
            this.blockId = blockId;
            this.entries = entries;
        }
    }

    private TreeMap<Long, Candidate> candidates(long bucket, long[] terms) {
        TreeMap<Long, Candidate> blocks = new TreeMap<>(Comparator.reverseOrder());
        List<CompletableFuture<List<Row>>> requests = new ArrayList<>();
        List<int[]> keys = new ArrayList<>(); // {shard, term index}
        for (int shard = 0; shard < layout.shards(); shard++) {
            short sh = (short) shard;
            if (terms.length == 0) {
                requests.add(all(statements.selectHeaders.bind(bucket, sh)));
                keys.add(new int[] {shard, -1});
            } else {
                for (int t = 0; t < terms.length; t++) {
                    requests.add(all(statements.selectTerm.bind(bucket, sh, TermHash.group(terms[t]))));
                    keys.add(new int[] {shard, t});
                }
            }
        }
        CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();
        if (terms.length == 0) {
            for (int i = 0; i < requests.size(); i++) {
                int shard = keys.get(i)[0];
                for (Row row : requests.get(i).join()) {
                    Candidate c = new Candidate(shard, row.getLong(0), null);
                    c.header = row.getByteBuffer(1);
                    blocks.put(c.blockId, c);
                }
            }
            return blocks;
        }
        // per shard: intersect the blocks, and the entries within them, over all terms
        for (int shard = 0; shard < layout.shards(); shard++) {
            Map<Long, int[]> acc = null;
            for (int i = 0; i < requests.size(); i++) {
                if (keys.get(i)[0] != shard) {
                    continue;
                }
                long term = terms[keys.get(i)[1]];
                Map<Long, int[]> these = new HashMap<>();
                for (Row row : requests.get(i).join()) {
                    int[] postings;
                    try {
                        postings = BlockHeader.postings(row.getByteBuffer(1), term);
                    } catch (CorruptDataException e) {
                        log.warn("skipping an undecodable index row in bucket {}: {}", bucket, e.getMessage());
                        continue;
                    }
                    if (postings != null) {
                        these.put(row.getLong(0), postings);
                    }
                }
                if (acc == null) {
                    acc = these;
                } else {
                    Map<Long, int[]> next = new HashMap<>();
                    for (Map.Entry<Long, int[]> e : acc.entrySet()) {
                        int[] other = these.get(e.getKey());
                        if (other != null) {
                            int[] both = intersect(e.getValue(), other);
                            if (both.length > 0) {
                                next.put(e.getKey(), both);
                            }
                        }
                    }
                    acc = next;
                }
            }
            if (acc != null) {
                for (Map.Entry<Long, int[]> e : acc.entrySet()) {
                    blocks.put(e.getKey(), new Candidate(shard, e.getKey(), e.getValue()));
                }
            }
        }
        return blocks;
    }

    /**
     * Verifies the candidates of some blocks, newest possible start first, a few traces at a time; returns true once
     * the answer is known (nothing older can displace the {@code limit} newest verified traces).
     */
    private boolean verifyChunk(long bucket, List<Candidate> chunk, TraceQuery query,
                                Map<TraceId, TraceSummary> verified, Set<TraceId> rejected,
                                PriorityQueue<Long> newest) {
        readHeaders(bucket, chunk);
        long bucketStart = layout.bucketStart(bucket);
        TimeWindow w = query.window();
        // candidates that the header bounds allow and that are not decided yet, by their latest possible start
        Map<TraceId, Long> latest = new HashMap<>();
        for (Candidate c : chunk) {
            if (c.header == null) {
                continue; // expired or swept meanwhile
            }
            BlockHeader.Entry[] entries;
            try {
                entries = BlockHeader.decode(c.header, bucketStart);
            } catch (CorruptDataException e) {
                // one damaged header must not fail every search that passes it; its fragments stay readable by id
                log.warn("skipping an undecodable index block {} in bucket {}: {}", c.blockId, bucket, e.getMessage());
                continue;
            }
            int n = c.entries == null ? entries.length : c.entries.length;
            for (int k = 0; k < n; k++) {
                int idx = c.entries == null ? k : c.entries[k];
                if (idx >= entries.length) {
                    continue;
                }
                BlockHeader.Entry e = entries[idx];
                if (e.maxStart() < w.startEpochNanos() || e.minStart() > w.endEpochNanos()
                        || e.maxDuration() < query.minDurationNanos() || e.minDuration() > query.maxDurationNanos()
                        || verified.containsKey(e.traceId()) || rejected.contains(e.traceId())) {
                    continue;
                }
                latest.merge(e.traceId(), e.maxStart(), Math::max);
            }
        }
        List<Map.Entry<TraceId, Long>> order = new ArrayList<>(latest.entrySet());
        order.sort(Map.Entry.<TraceId, Long>comparingByValue().reversed());
        for (int from = 0; from < order.size(); from += PARALLEL_READS) {
            if (full(newest, query.limit(), order.get(from).getValue())) {
                return true;
            }
            List<Map.Entry<TraceId, Long>> wave = order.subList(from, Math.min(order.size(), from + PARALLEL_READS));
            List<CompletableFuture<Optional<Trace>>> traces = new ArrayList<>(wave.size());
            for (Map.Entry<TraceId, Long> e : wave) {
                traces.add(reads.read(e.getKey()).toCompletableFuture());
            }
            for (int i = 0; i < wave.size(); i++) {
                TraceId id = wave.get(i).getKey();
                Optional<Trace> trace = traces.get(i).join();
                if (trace.isPresent() && anyMatches(trace.get().spans(), query)) {
                    TraceSummary summary = TraceSummary.of(trace.get());
                    verified.put(id, summary);
                    newest.add(summary.startEpochNanos());
                    if (newest.size() > query.limit()) {
                        newest.poll();
                    }
                } else {
                    rejected.add(id);
                }
            }
        }
        return false;
    }

    private void readHeaders(long bucket, List<Candidate> chunk) {
        Map<Integer, List<Long>> byShard = new HashMap<>();
        for (Candidate c : chunk) {
            if (c.header == null) {
                byShard.computeIfAbsent(c.shard, s -> new ArrayList<>()).add(c.blockId);
            }
        }
        if (byShard.isEmpty()) {
            return;
        }
        Map<Long, Candidate> byId = new HashMap<>();
        for (Candidate c : chunk) {
            byId.put(c.blockId, c);
        }
        List<CompletableFuture<List<Row>>> requests = new ArrayList<>();
        for (Map.Entry<Integer, List<Long>> e : byShard.entrySet()) {
            requests.add(all(statements.selectHeadersOf.bind(bucket, (short) (int) e.getKey(), e.getValue())));
        }
        for (CompletableFuture<List<Row>> r : requests) {
            for (Row row : r.join()) {
                Candidate c = byId.get(row.getLong(0));
                if (c != null) {
                    c.header = row.getByteBuffer(1);
                }
            }
        }
    }

    private CompletableFuture<List<Row>> all(BoundStatement statement) {
        return session.executeAsync(statement).thenCompose(rs -> collect(rs, new ArrayList<>()))
                .toCompletableFuture();
    }

    private static CompletionStage<List<Row>> collect(AsyncResultSet rs, List<Row> rows) {
        for (Row row : rs.currentPage()) {
            rows.add(row);
        }
        if (rs.hasMorePages()) {
            return rs.fetchNextPage().thenCompose(next -> collect(next, rows));
        }
        return CompletableFuture.completedFuture(rows);
    }

    static int[] intersect(int[] a, int[] b) {
        int[] out = new int[Math.min(a.length, b.length)];
        int i = 0, j = 0, n = 0;
        while (i < a.length && j < b.length) {
            if (a[i] < b[j]) {
                i++;
            } else if (a[i] > b[j]) {
                j++;
            } else {
                out[n++] = a[i];
                i++;
                j++;
            }
        }
        return Arrays.copyOf(out, n);
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
}
