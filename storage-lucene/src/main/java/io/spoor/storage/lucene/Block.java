package io.spoor.storage.lucene;

import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import io.spoor.model.TraceId;
import io.spoor.storage.CatalogNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * One write's spans as one Lucene document: the encoded batch ({@link BatchCodec} layout, i.e. the log record
 * itself, with each trace's fragment length-prefixed so a reader can hop to the fragments of one trace) plus what the
 * index needs to know about it.
 *
 * <p>Why a document per write instead of per trace fragment: indexing cost is dominated by (term, document) postings.
 * Within a 1000-span batch most low-cardinality values (service, operation, route, status code, region, …) repeat,
 * so one document carries each of them once instead of once per fragment. The index becomes a coarser filter; reads
 * verify every candidate exactly anyway.
 *
 * @param terms distinct 8-byte {@link TagHash}es: tags of spans and their resources, service, operation,
 *              service + operation
 * @param traceIds the distinct trace ids, as (high, low) pairs
 * @param truncatedCatalogNames service or operation names cut to {@link #MAX_CATALOG_NAME_CHARS} for the catalog
 */
record Block(
        byte[] bytes,
        int spanCount,
        long minStart,
        long maxStart,
        long minDuration,
        long maxDuration,
        long[] traceIds,
        long[] terms,
        List<String> catalogEntries,
        int truncatedCatalogNames) {

    /** Values longer than this are not indexed as tag terms (stack traces, SQL); queries for them only verify. */
    static final int MAX_INDEXED_TAG_CHARS = 256;
    static final char SEP = '\0';
    /**
     * Service and operation names longer than this are cut (and end in an ellipsis) in the catalog's {@code cat}
     * term ({@link CatalogNames}): Lucene refuses a term over 32,766 UTF-8 bytes, and a refused term used to make the
     * whole block's document fail. Only the catalog shows the cut name; the span keeps its whole name, and searches by
     * it match through the hashed terms and exact verification.
     */
    static final int MAX_CATALOG_NAME_CHARS = CatalogNames.MAX_CHARS;

    /** A tag can be found through the index only when both sides agree it was indexed. */
    static boolean indexable(String key, String value) {
        return key.length() <= MAX_INDEXED_TAG_CHARS && value.length() <= MAX_INDEXED_TAG_CHARS;
    }

    static String catalogEntry(String service, String operation, SpanKind kind) {
        return capped(service) + SEP + capped(operation) + SEP + (char) ('0' + kind.ordinal());
    }

    static boolean tooLongForCatalog(String name) {
        return CatalogNames.tooLong(name);
    }

    private static String capped(String name) {
        return CatalogNames.cap(name);
    }

    /** A rough heap cost, for bounding the indexing queue. */
    long approximateBytes() {
        return bytes.length + 8L * (terms.length + traceIds.length) + 64L * catalogEntries.size() + 128;
    }

    /**
     * Computes a block's index terms. Reusable scratch state, one instance per thread: the term set, the resources
     * already seen in this block (spans of one export share a resource by reference, so its service and tags are
     * resolved once per block) and the catalog entries already seen (checked by hash before building any string).
     */
    static final class Describer {
        private final LongSet terms = new LongSet();
        /** Exact, unlike the hashed terms: the catalog lists services and operations and must not lose one. */
        private final HashSet<CatalogKey> catalogSeen = new HashSet<>();
        private final IdentityHashMap<Resource, String> services = new IdentityHashMap<>();

        Block describe(byte[] bytes, List<TraceId> traceIds, List<List<Span>> groups, int spanCount) {
            terms.clear();
            catalogSeen.clear();
            services.clear();
            List<String> catalog = new ArrayList<>();
            int truncated = 0;
            long minStart = Long.MAX_VALUE, maxStart = Long.MIN_VALUE, minDur = Long.MAX_VALUE, maxDur = Long.MIN_VALUE;
            long[] ids = new long[traceIds.size() * 2];
            for (int g = 0; g < groups.size(); g++) {
                ids[2 * g] = traceIds.get(g).high();
                ids[2 * g + 1] = traceIds.get(g).low();
                for (Span s : groups.get(g)) {
                    long start = s.startEpochNanos();
                    long d = s.durationNanos();
                    minStart = Math.min(minStart, start);
                    maxStart = Math.max(maxStart, start);
                    minDur = Math.min(minDur, d);
                    maxDur = Math.max(maxDur, d);
                    String service = serviceOf(s.resource());
                    String name = s.name();
                    if (catalogSeen.add(new CatalogKey(service, name, s.kind()))) {
                        terms.add(TagHash.serviceOperation(service, name));
                        terms.add(TagHash.of(TagHash.OPERATION_KEY, name));
                        catalog.add(catalogEntry(service, name, s.kind()));
                        if (tooLongForCatalog(service) || tooLongForCatalog(name)) {
                            truncated++;
                        }
                    }
                    addTags(s.attributes(), terms);
                }
            }
            return new Block(bytes, spanCount, minStart, maxStart, minDur, maxDur, ids, terms.toSortedArray(),
                    catalog, truncated);
        }

        private record CatalogKey(String service, String name, SpanKind kind) {
        }

        private String serviceOf(Resource resource) {
            String service = services.get(resource);
            if (service == null) {
                service = resource.serviceName();
                services.put(resource, service);
                terms.add(TagHash.of(TagHash.SERVICE_KEY, service));
                addTags(resource.attributes(), terms);
            }
            return service;
        }
    }

    private static void addTags(Attributes attributes, LongSet out) {
        List<Attribute> list = attributes.asList();
        for (int i = 0; i < list.size(); i++) {
            Attribute a = list.get(i);
            if (indexable(a)) {
                out.add(TagHash.of(a.key(), a.value()));
            }
        }
    }

    /** Long strings (stack traces, SQL) are not worth hashing; a query for them only verifies. */
    private static boolean indexable(Attribute a) {
        if (a.key().length() > MAX_INDEXED_TAG_CHARS) {
            return false;
        }
        return switch (a.value()) {
            case AttributeValue.StringValue s -> s.value().length() <= MAX_INDEXED_TAG_CHARS;
            case AttributeValue.LongValue l -> true;
            default -> a.value().asString().length() <= MAX_INDEXED_TAG_CHARS;
        };
    }
}
