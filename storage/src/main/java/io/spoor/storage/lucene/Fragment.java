package io.spoor.storage.lucene;

import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import io.spoor.model.TraceId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Spans of one trace from one write, encoded once ({@code bytes[offset, offset+length)}), plus what the index needs
 * to know about them. One fragment becomes one Lucene document: far fewer documents than one per span, which is what
 * makes indexing cheap. The terms make the index a coarse filter; exact matching happens on the decoded spans.
 */
record Fragment(
        TraceId traceId,
        byte[] bytes,
        int offset,
        int length,
        int spanCount,
        long minStart,
        long maxStart,
        long minDuration,
        long maxDuration,
        List<String> services,
        List<String> operations,
        List<String> catalogEntries,
        long[] tags) {

    /** Values longer than this are not indexed as tag terms (stack traces, SQL); queries for them only verify. */
    static final int MAX_INDEXED_TAG_CHARS = 256;
    static final char SEP = '\0';

    /** A tag can be found through the index only when both sides agree it was indexed. */
    static boolean indexable(String key, String value) {
        return key.length() <= MAX_INDEXED_TAG_CHARS && value.length() <= MAX_INDEXED_TAG_CHARS;
    }

    static String catalogEntry(String service, String operation, SpanKind kind) {
        return service + SEP + operation + SEP + (char) ('0' + kind.ordinal());
    }

    /** Computes the index terms of {@code spans} (all of {@code traceId}) encoded at the given place. */
    static Fragment describe(TraceId traceId, List<Span> spans, byte[] bytes, int offset, int length) {
        return describe(traceId, spans, bytes, offset, length, new LongSet());
    }

    /** {@code tagSet} is scratch space reused across calls by one thread. */
    static Fragment describe(TraceId traceId, List<Span> spans, byte[] bytes, int offset, int length,
                             LongSet tagSet) {
        long minStart = Long.MAX_VALUE, maxStart = Long.MIN_VALUE, minDur = Long.MAX_VALUE, maxDur = Long.MIN_VALUE;
        Set<String> services = new HashSet<>(4);
        Set<String> ops = new HashSet<>();
        Set<String> catalog = new HashSet<>();
        LongSet tags = tagSet;
        tags.clear();
        // spans of one export share their resource by reference: resolve its service and tags once
        Resource lastResource = null;
        String service = null;
        for (Span s : spans) {
            long start = s.startEpochNanos();
            long d = s.durationNanos();
            minStart = Math.min(minStart, start);
            maxStart = Math.max(maxStart, start);
            minDur = Math.min(minDur, d);
            maxDur = Math.max(maxDur, d);
            if (s.resource() != lastResource) {
                lastResource = s.resource();
                service = s.serviceName();
                if (services.add(service) || !lastResource.attributes().isEmpty()) {
                    addTags(lastResource.attributes(), tags);
                }
            }
            String name = s.name();
            if (catalog.add(catalogEntry(service, name, s.kind()))) {
                ops.add(name);
            }
            addTags(s.attributes(), tags);
        }
        return new Fragment(traceId, bytes, offset, length, spans.size(), minStart, maxStart, minDur, maxDur,
                new ArrayList<>(services), new ArrayList<>(ops),
                new ArrayList<>(catalog), tags.toSortedArray());
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

    /** A rough heap cost, for bounding the indexing queue. */
    long approximateBytes() {
        long terms = 8L * tags.length;
        return length + terms + 64L * (services.size() + operations.size()
                + catalogEntries.size()) + 128;
    }
}
