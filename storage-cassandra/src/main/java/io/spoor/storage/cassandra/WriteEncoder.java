package io.spoor.storage.cassandra;

import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import io.spoor.model.TraceId;
import io.spoor.spanlog.codec.ByteSink;
import io.spoor.spanlog.codec.SpanCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one write's spans into what Cassandra stores (see {@link CassandraSchema} for the tables):
 * <ul>
 *   <li>one <em>fragment</em> per trace: its spans of this write, duplicates by span id removed, in Spoor's span
 *       encoding ({@link SpanCodec}); its id is a hash of the span ids, so a replayed write overwrites itself;</li>
 *   <li>per time bucket that the write's spans start in, one <em>block</em> of the search index: a header listing
 *       the block's traces (id, fragment id, start and duration bounds, the fragment's latest start) and one posting
 *       list per distinct term (service, operation, service + operation, tag), naming the header entries whose spans
 *       carry the term; the posting lists are stored 16 terms' worth of hash space to a row ({@link TermHash#group});</li>
 *   <li>the services and operations seen.</li>
 * </ul>
 * Not thread-safe: one instance per writing thread.
 */
final class WriteEncoder {
    private static final int HEADER_VERSION = 1;

    private final SpanCodec codec = new SpanCodec();
    private final ByteSink sink = new ByteSink(64 * 1024);
    private final IdentityHashMap<Resource, ResourceTerms> resources = new IdentityHashMap<>();
    private List<Span> lastGroup;
    private ByteBuffer lastEncoded;

    /** Largest fragment written as one row (see {@link #fragmentsOf}). */
    static final int MAX_FRAGMENT_BYTES = 1 << 20;
    /** Largest index mutation: a block's rows are split into batches of at most this many bytes. */
    static final int MAX_INDEX_BATCH_BYTES = 1 << 20;

    record Fragment(TraceId traceId, long fragmentId, ByteBuffer bytes, int spanCount) {
    }

    /**
     * One block of the index: the rows of one partition (bucket, shard), written as one mutation: the header, and per
     * term group ({@link TermHash#group}) the posting lists of the group's terms.
     */
    record Block(long bucket, int shard, long blockId, ByteBuffer header, long[] terms, ByteBuffer[] postings) {
        int rows() {
            return terms.length + 1;
        }
    }

    record CatalogEntry(String service, String operation, SpanKind kind) {
    }

    record Encoded(List<Fragment> fragments, List<Block> blocks, Map<CatalogEntry, Long> operationsLastSeen,
                   Map<String, Long> servicesLastSeen, int spanCount, long bytes) {
    }

    Encoded encode(List<Span> spans, IndexLayout layout) {
        resources.clear();
        Map<TraceId, List<Span>> byTrace = groupByTrace(spans);
        List<Fragment> fragments = new ArrayList<>(byTrace.size());
        Map<Long, BlockBuilder> parts = new LinkedHashMap<>();
        Map<CatalogEntry, Long> operations = new HashMap<>();
        Map<String, Long> services = new HashMap<>();
        long contentHash = 0;
        long bytes = 0;
        int spanCount = 0;
        for (Map.Entry<TraceId, List<Span>> e : byTrace.entrySet()) {
            TraceId traceId = e.getKey();
            for (List<Span> group : fragmentsOf(traceId, e.getValue())) {
                ByteBuffer encoded = encoded(traceId, group);
                long fragmentId = fragmentId(group);
                long fragmentMaxStart = Long.MIN_VALUE;
                for (Span s : group) {
                    fragmentMaxStart = Math.max(fragmentMaxStart, s.startEpochNanos());
                }
                fragments.add(new Fragment(traceId, fragmentId, encoded, group.size()));
                bytes += encoded.remaining();
                spanCount += group.size();
                contentHash = TermHash.mix(contentHash ^ TermHash.mix(traceId.high() ^ TermHash.mix(traceId.low()))
                        ^ fragmentId);
                for (Span s : group) {
                    long bucket = layout.bucketOf(s.startEpochNanos());
                    BlockBuilder part = parts.computeIfAbsent(bucket, b -> new BlockBuilder(b, layout));
                    int local = part.entry(traceId, fragmentId, fragmentMaxStart, s);
                    ResourceTerms rt = resourceTerms(s.resource());
                    part.addAll(rt.terms, local);
                    String name = s.name();
                    part.add(TermHash.operation(name), local);
                    part.add(TermHash.serviceOperation(rt.service, name), local);
                    addTags(s.attributes(), part, local);
                    operations.merge(new CatalogEntry(rt.service, name, s.kind()), s.startEpochNanos(), Math::max);
                    services.merge(rt.service, s.startEpochNanos(), Math::max);
                }
            }
        }
        List<Block> blocks = new ArrayList<>(parts.size());
        int shard = (int) Math.floorMod(contentHash >>> 32, (long) layout.shards());
        for (BlockBuilder part : parts.values()) {
            blocks.add(part.build(shard, contentHash));
        }
        return new Encoded(fragments, blocks, operations, services, spanCount, bytes);
    }

    /**
     * A trace's spans of this write as fragments of at most {@link #MAX_FRAGMENT_BYTES} (halving the group until each
     * part fits): Cassandra refuses a mutation above half its commit log segment (16 MiB by default), and a refused
     * fragment would fail the whole batch on every retry. A single span above the limit stays one fragment.
     */
    private List<List<Span>> fragmentsOf(TraceId traceId, List<Span> group) {
        sink.reset();
        codec.encodeFragment(traceId, group, sink);
        if (sink.size() <= MAX_FRAGMENT_BYTES || group.size() == 1) {
            lastEncoded = ByteBuffer.wrap(Arrays.copyOf(sink.array(), sink.size()));
            lastGroup = group;
            return List.of(group);
        }
        List<List<Span>> parts = new ArrayList<>();
        int half = group.size() / 2;
        parts.addAll(fragmentsOf(traceId, group.subList(0, half)));
        parts.addAll(fragmentsOf(traceId, group.subList(half, group.size())));
        lastGroup = null;
        return parts;
    }

    private ByteBuffer encoded(TraceId traceId, List<Span> group) {
        if (group == lastGroup) {
            return lastEncoded; // the common case: the whole group fitted and was just encoded
        }
        sink.reset();
        codec.encodeFragment(traceId, group, sink);
        return ByteBuffer.wrap(Arrays.copyOf(sink.array(), sink.size()));
    }

    /** The id of a trace's fragment: the same spans give the same id in any order, so a replay overwrites its row. */
    static long fragmentId(List<Span> group) {
        long h = 0;
        for (Span s : group) {
            h += TermHash.mix(s.spanId() ^ 0x9E3779B97F4A7C15L);
        }
        return TermHash.mix(h + group.size());
    }

    private static Map<TraceId, List<Span>> groupByTrace(List<Span> spans) {
        Map<TraceId, List<Span>> byTrace = new LinkedHashMap<>();
        Map<TraceId, Set<Long>> seen = new HashMap<>();
        TraceId last = null;
        List<Span> lastList = null;
        Set<Long> lastSeen = null;
        for (Span s : spans) {
            if (!s.traceId().equals(last)) {
                last = s.traceId();
                lastList = byTrace.computeIfAbsent(last, k -> new ArrayList<>());
                lastSeen = seen.computeIfAbsent(last, k -> new HashSet<>());
            }
            if (lastSeen.add(s.spanId())) { // a client's duplicate inside one export is stored once
                lastList.add(s);
            }
        }
        return byTrace;
    }

    private record ResourceTerms(String service, long[] terms) {
    }

    private ResourceTerms resourceTerms(Resource r) {
        ResourceTerms rt = resources.get(r);
        if (rt == null) {
            String service = r.serviceName();
            List<Long> terms = new ArrayList<>();
            terms.add(TermHash.service(service));
            for (Attribute a : r.attributes().asList()) {
                if (indexable(a)) {
                    terms.add(TermHash.tag(a.key(), a.value()));
                }
            }
            rt = new ResourceTerms(service, terms.stream().mapToLong(Long::longValue).toArray());
            resources.put(r, rt);
        }
        return rt;
    }

    private static void addTags(Attributes attributes, BlockBuilder part, int local) {
        List<Attribute> list = attributes.asList();
        for (int i = 0; i < list.size(); i++) {
            Attribute a = list.get(i);
            if (indexable(a)) {
                part.add(TermHash.tag(a.key(), a.value()), local);
            }
        }
    }

    /** Long values (stack traces, SQL) are not worth a term; a query for them verifies candidates instead. */
    static boolean indexable(Attribute a) {
        if (a.key().length() > TermHash.MAX_INDEXED_CHARS) {
            return false;
        }
        return switch (a.value()) {
            case AttributeValue.StringValue s -> s.value().length() <= TermHash.MAX_INDEXED_CHARS;
            case AttributeValue.LongValue l -> true;
            default -> a.value().asString().length() <= TermHash.MAX_INDEXED_CHARS;
        };
    }

    /** The index rows of one bucket of this write. */
    private static final class BlockBuilder {
        private final long bucket;
        private final long bucketStart;
        /** Header entry per fragment (a trace has several when it was split, see {@link #fragmentsOf}). */
        private final Map<FragmentKey, Integer> locals = new HashMap<>();
        private final List<Entry> entries = new ArrayList<>();
        /** term → posting list of local entry numbers, ascending (entries are filled trace by trace). */
        private final HashMap<Long, IntList> postings = new HashMap<>();
        private long maxStart = Long.MIN_VALUE;

        BlockBuilder(long bucket, IndexLayout layout) {
            this.bucket = bucket;
            this.bucketStart = layout.bucketStart(bucket);
        }

        int entry(TraceId traceId, long fragmentId, long fragmentMaxStart, Span s) {
            FragmentKey key = new FragmentKey(traceId, fragmentId);
            Integer local = locals.get(key);
            Entry e;
            if (local == null) {
                local = entries.size();
                locals.put(key, local);
                e = new Entry(traceId, fragmentId, fragmentMaxStart);
                entries.add(e);
            } else {
                e = entries.get(local);
            }
            long start = s.startEpochNanos();
            long d = Math.max(0, s.durationNanos());
            e.minStart = Math.min(e.minStart, start);
            e.maxStart = Math.max(e.maxStart, start);
            e.minDuration = Math.min(e.minDuration, d);
            e.maxDuration = Math.max(e.maxDuration, d);
            maxStart = Math.max(maxStart, start);
            return local;
        }

        void add(long term, int local) {
            IntList list = postings.get(term);
            if (list == null) {
                list = new IntList();
                postings.put(term, list);
            }
            list.addIfNotLast(local);
        }

        void addAll(long[] terms, int local) {
            for (long t : terms) {
                add(t, local);
            }
        }

        /** One row per term group: {@code count, {lowDelta, postings}*} with the terms' low bits ascending. */
        Block build(int shard, long contentHash) {
            long[] all = new long[postings.size()];
            int n = 0;
            for (long t : postings.keySet()) {
                all[n++] = t;
            }
            Arrays.sort(all); // the terms of one group are contiguous, their low bits ascending
            List<Long> groups = new ArrayList<>();
            List<ByteBuffer> rows = new ArrayList<>();
            ByteSink out = new ByteSink(256);
            int from = 0;
            while (from < n) {
                long group = TermHash.group(all[from]);
                int to = from;
                while (to < n && TermHash.group(all[to]) == group) {
                    to++;
                }
                out.reset();
                out.writeVarInt(to - from);
                int prevLow = 0;
                for (int i = from; i < to; i++) {
                    int low = TermHash.low(all[i]);
                    out.writeVarInt(low - prevLow);
                    prevLow = low;
                    postings.get(all[i]).writeTo(out);
                }
                groups.add(group);
                rows.add(ByteBuffer.wrap(out.toByteArray()));
                from = to;
            }
            long[] keys = groups.stream().mapToLong(Long::longValue).toArray();
            return new Block(bucket, shard, BlockId.of(maxStart, contentHash), header(), keys,
                    rows.toArray(ByteBuffer[]::new));
        }

        private ByteBuffer header() {
            ByteSink out = new ByteSink(16 + entries.size() * 40);
            out.writeByte(HEADER_VERSION);
            out.writeVarInt(entries.size());
            for (Entry e : entries) {
                out.writeFixedLong(e.traceId.high());
                out.writeFixedLong(e.traceId.low());
                out.writeFixedLong(e.fragmentId);
                out.writeZLong(e.minStart - bucketStart);
                out.writeVarLong(e.maxStart - e.minStart);
                out.writeVarLong(e.minDuration);
                out.writeVarLong(e.maxDuration - e.minDuration);
                out.writeVarLong(e.fragmentMaxStart - e.maxStart);
            }
            return ByteBuffer.wrap(out.toByteArray());
        }
    }

    private record FragmentKey(TraceId traceId, long fragmentId) {
    }

    private static final class Entry {
        final TraceId traceId;
        final long fragmentId;
        /** The latest start of the whole fragment, which may have spans in later buckets too. */
        final long fragmentMaxStart;
        long minStart = Long.MAX_VALUE;
        long maxStart = Long.MIN_VALUE;
        long minDuration = Long.MAX_VALUE;
        long maxDuration = Long.MIN_VALUE;

        Entry(TraceId traceId, long fragmentId, long fragmentMaxStart) {
            this.traceId = traceId;
            this.fragmentId = fragmentId;
            this.fragmentMaxStart = fragmentMaxStart;
        }
    }

    /** Ascending ints; written as a count and deltas. */
    static final class IntList {
        private int[] values = new int[2];
        private int size;

        void addIfNotLast(int v) {
            if (size > 0 && values[size - 1] == v) {
                return;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        void writeTo(ByteSink out) {
            out.writeVarInt(size);
            int prev = 0;
            for (int i = 0; i < size; i++) {
                out.writeVarInt(values[i] - prev);
                prev = values[i];
            }
        }
    }
}
