package io.spoor.storage.lucene;

import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import java.nio.charset.StandardCharsets;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;

/**
 * The Lucene document of one {@link Fragment}, with its field instances reused from one document to the next
 * (Lucene allows that; it saves allocating ~10 fields per document). Used by the single indexer thread only.
 *
 * <p>Fields: {@code tid} (16 id bytes), {@code svc}, {@code op}, {@code cat} ("service\0operation\0kind": read back
 * for the catalog, and searched for service + operation with one term per kind), {@code tag} (8-byte {@link TagHash} of "key=value"),
 * {@code start} (earliest span start: point + doc values, so that a sort on it can skip via the points),
 * {@code lastStart}, {@code minDur}, {@code maxDur} (points), {@code n} (span count, doc values) and
 * {@code frag} (the encoded spans, stored).
 */
final class FragmentDocument {
    static final String TRACE_ID = "tid";
    static final String SERVICE = "svc";
    static final String OPERATION = "op";
    static final String CATALOG = "cat";
    static final String TAG = "tag";
    static final String START = "start";
    static final String LAST_START = "lastStart";
    static final String MIN_DURATION = "minDur";
    static final String MAX_DURATION = "maxDur";
    static final String SPAN_COUNT = "n";
    static final String FRAGMENT = "frag";

    /** Indexed term lists, docs only: no positions, frequencies or norms are needed for filtering. */
    private static final FieldType TERMS;

    static {
        TERMS = new FieldType();
        TERMS.setIndexOptions(IndexOptions.DOCS);
        TERMS.setTokenized(true); // required for a field fed by a TokenStream; each token is one whole term
        TERMS.setOmitNorms(true);
        TERMS.freeze();
    }

    private final Document doc = new Document();
    private final Field traceId = new StringField(TRACE_ID, new BytesRef(new byte[16]), Field.Store.NO);
    private final TermList services = new TermList();
    private final TermList ops = new TermList();
    private final TermList catalog = new TermList();
    private final HashTerms tags = new HashTerms();
    private final LongPoint start = new LongPoint(START, 0);
    private final NumericDocValuesField startDv = new NumericDocValuesField(START, 0);
    private final LongPoint lastStart = new LongPoint(LAST_START, 0);
    private final LongPoint minDur = new LongPoint(MIN_DURATION, 0);
    private final LongPoint maxDur = new LongPoint(MAX_DURATION, 0);
    private final NumericDocValuesField spanCount = new NumericDocValuesField(SPAN_COUNT, 0);
    private final StoredField fragment = new StoredField(FRAGMENT, new BytesRef(new byte[1]));
    private final byte[] idBytes = new byte[16];

    FragmentDocument() {
        doc.add(traceId);
        doc.add(new Field(SERVICE, services, TERMS));
        doc.add(new Field(OPERATION, ops, TERMS));
        doc.add(new Field(CATALOG, catalog, TERMS));
        doc.add(new Field(TAG, tags, TERMS));
        doc.add(start);
        doc.add(startDv);
        doc.add(lastStart);
        doc.add(minDur);
        doc.add(maxDur);
        doc.add(spanCount);
        doc.add(fragment);
    }

    static BytesRef traceIdTerm(long high, long low) {
        byte[] b = new byte[16];
        putLong(b, 0, high);
        putLong(b, 8, low);
        return new BytesRef(b);
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = off + 7; i >= off; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
    }

    Document fill(Fragment f) {
        putLong(idBytes, 0, f.traceId().high());
        putLong(idBytes, 8, f.traceId().low());
        traceId.setBytesValue(new BytesRef(idBytes));
        services.set(f.services());
        ops.set(f.operations());
        catalog.set(f.catalogEntries());
        tags.set(f.tags());
        start.setLongValue(f.minStart());
        startDv.setLongValue(f.minStart());
        lastStart.setLongValue(f.maxStart());
        minDur.setLongValue(f.minDuration());
        maxDur.setLongValue(f.maxDuration());
        spanCount.setLongValue(f.spanCount());
        fragment.setBytesValue(new BytesRef(f.bytes(), f.offset(), f.length()));
        return doc;
    }

    /** Emits each 8-byte {@link TagHash} of an array as one term. */
    static final class HashTerms extends TokenStream {
        private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
        private final byte[] bytes = new byte[8];
        private final BytesRef ref = new BytesRef(bytes);
        private long[] values = new long[0];
        private int next;

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
            TagHash.put(values[next++], bytes, 0);
            term.setBytesRef(ref);
            return true;
        }
    }

    static BytesRef hashTerm(long hash) {
        byte[] b = new byte[8];
        TagHash.put(hash, b, 0);
        return new BytesRef(b);
    }

    /**
     * Emits each string of a list as one whole term. Terms go in as UTF-8 bytes: {@code String.getBytes} is an
     * intrinsic copy for Latin-1 strings, where a char-term attribute would convert char by char (profiled: ~25 % of
     * the indexer's time).
     */
    private static final class TermList extends TokenStream {
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
