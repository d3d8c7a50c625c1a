package io.spoor.storage.lucene;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;

/**
 * The Lucene document of one {@link Block} (and the fallback document of a block the index refused), with its field instances reused from one document to the next (Lucene
 * allows that). Used by the single indexer thread only.
 *
 * <p>Fields: {@code tid} (16 bytes per trace id), {@code h} (8-byte {@link TagHash}es of tags, service, operation and
 * service + operation), {@code cat} ("service\0operation\0kind", read back for the catalog), {@code start} (earliest
 * span start: point + doc values, so that a sort on it can skip via the points), {@code lastStart}, {@code minDur},
 * {@code maxDur} (points), {@code n} (span count, doc values) and {@code blk} (the encoded batch, stored).
 */
final class BlockDocument {
    static final String TRACE_ID = "tid";
    static final String TERMS = "h";
    static final String CATALOG = "cat";
    static final String START = "start";
    static final String LAST_START = "lastStart";
    static final String MIN_DURATION = "minDur";
    static final String MAX_DURATION = "maxDur";
    static final String SPAN_COUNT = "n";
    static final String BLOCK = "blk";

    /** Indexed term lists, docs only: no positions, frequencies or norms are needed for filtering. */
    private static final FieldType DOCS_ONLY;

    static {
        DOCS_ONLY = new FieldType();
        DOCS_ONLY.setIndexOptions(IndexOptions.DOCS);
        DOCS_ONLY.setTokenized(true); // required for a field fed by a TokenStream; each token is one whole term
        DOCS_ONLY.setOmitNorms(true);
        DOCS_ONLY.freeze();
    }

    private final Document doc = new Document();
    private final Document unindexedDoc = new Document();
    private final LongTerms traceIds = new LongTerms(2);
    private final LongTerms terms = new LongTerms(1);
    private final LongTerms unindexedMarker = new LongTerms(1);
    private final StringTerms catalog = new StringTerms();
    private final LongPoint start = new LongPoint(START, 0);
    private final NumericDocValuesField startDv = new NumericDocValuesField(START, 0);
    private final LongPoint lastStart = new LongPoint(LAST_START, 0);
    private final LongPoint minDur = new LongPoint(MIN_DURATION, 0);
    private final LongPoint maxDur = new LongPoint(MAX_DURATION, 0);
    private final NumericDocValuesField spanCount = new NumericDocValuesField(SPAN_COUNT, 0);
    private final StoredField block = new StoredField(BLOCK, new BytesRef(new byte[1]));

    BlockDocument() {
        doc.add(new Field(TRACE_ID, traceIds, DOCS_ONLY));
        doc.add(new Field(TERMS, terms, DOCS_ONLY));
        doc.add(new Field(CATALOG, catalog, DOCS_ONLY));
        doc.add(start);
        doc.add(startDv);
        doc.add(lastStart);
        doc.add(minDur);
        doc.add(maxDur);
        doc.add(spanCount);
        doc.add(block);
        unindexedMarker.set(new long[] {TagHash.UNINDEXED});
        // the same field instances: only one of the two documents is filled and added at a time
        unindexedDoc.add(new Field(TRACE_ID, traceIds, DOCS_ONLY));
        unindexedDoc.add(new Field(TERMS, unindexedMarker, DOCS_ONLY));
        unindexedDoc.add(start);
        unindexedDoc.add(startDv);
        unindexedDoc.add(lastStart);
        unindexedDoc.add(minDur);
        unindexedDoc.add(maxDur);
        unindexedDoc.add(spanCount);
        unindexedDoc.add(block);
    }

    static BytesRef traceIdTerm(long high, long low) {
        byte[] b = new byte[16];
        TagHash.put(high, b, 0);
        TagHash.put(low, b, 8);
        return new BytesRef(b);
    }

    static BytesRef hashTerm(long hash) {
        byte[] b = new byte[8];
        TagHash.put(hash, b, 0);
        return new BytesRef(b);
    }

    Document fill(Block b) {
        traceIds.set(b.traceIds());
        terms.set(b.terms());
        catalog.set(b.catalogEntries());
        start.setLongValue(b.minStart());
        startDv.setLongValue(b.minStart());
        lastStart.setLongValue(b.maxStart());
        minDur.setLongValue(b.minDuration());
        maxDur.setLongValue(b.maxDuration());
        spanCount.setLongValue(b.spanCount());
        block.setBytesValue(new BytesRef(b.bytes()));
        return doc;
    }

    /**
     * The document of a block whose full document the index refused: trace ids (so that the trace reads by id),
     * times, durations, span count and the stored spans, and instead of the tag, service and operation terms the one
     * {@link TagHash#UNINDEXED} term, which every search with term criteria also takes as a candidate (and verifies
     * exactly). No catalog terms: its services appear in the catalog until the next restart only.
     */
    Document fillUnindexed(Block b) {
        fill(b);
        return unindexedDoc;
    }

    /** Emits groups of {@code width} longs of an array as one big-endian term each (8 or 16 bytes). */
    private static final class LongTerms extends TokenStream {
        private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
        private final int width;
        private final byte[] bytes;
        private final BytesRef ref;
        private long[] values = new long[0];
        private int next;

        LongTerms(int width) {
            this.width = width;
            this.bytes = new byte[8 * width];
            this.ref = new BytesRef(bytes);
        }

        void set(long[] v) {
            values = v;
        }

        @Override
        public void reset() {
            next = 0;
        }

        @Override
        public boolean incrementToken() {
            if (next >= values.length) {
                return false;
            }
            clearAttributes();
            for (int i = 0; i < width; i++) {
                TagHash.put(values[next++], bytes, 8 * i);
            }
            term.setBytesRef(ref);
            return true;
        }
    }

    /** Emits each string of a list as one whole term, as UTF-8 bytes (a char-term attribute converts char by char). */
    private static final class StringTerms extends TokenStream {
        private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
        private final BytesRef ref = new BytesRef();
        private List<String> values = List.of();
        private int next;

        void set(List<String> v) {
            values = v;
        }

        @Override
        public void reset() {
            next = 0;
        }

        @Override
        public boolean incrementToken() {
            if (next >= values.size()) {
                return false;
            }
            clearAttributes();
            byte[] bytes = values.get(next++).getBytes(StandardCharsets.UTF_8);
            ref.bytes = bytes;
            ref.offset = 0;
            ref.length = bytes.length;
            term.setBytesRef(ref);
            return true;
        }
    }
}
