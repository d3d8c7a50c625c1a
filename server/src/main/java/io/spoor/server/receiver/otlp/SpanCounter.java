package io.spoor.server.receiver.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/**
 * Counts the spans of an export without decoding them, so that an export refused by admission can still be
 * counted in {@code spoor_receiver_refused_spans_total} without spending the heap that admission protects.
 * Best effort: malformed input counts what was seen before the damage.
 */
final class SpanCounter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private SpanCounter() {
    }

    /** ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2) → ScopeSpans.spans(2). */
    static int countProtobuf(byte[] body, int offset, int length) {
        int[] count = {0};
        try {
            CodedInputStream in = CodedInputStream.newInstance(body, offset, length);
            forEach(in, 1, rs -> forEach(rs, 2, ss -> forEach(ss, 2, span -> count[0]++)));
        } catch (IOException | RuntimeException e) {
            // best effort
        }
        return count[0];
    }

    private interface Visitor {
        void visit(CodedInputStream in) throws IOException;
    }

    private static void forEach(CodedInputStream in, int field, Visitor v) throws IOException {
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (tag == (field << 3 | LEN)) {
                int length = in.readRawVarint32();
                int old = in.pushLimit(length);
                v.visit(in);
                in.skipRawBytes(in.getBytesUntilLimit());
                in.popLimit(old);
            } else if (!in.skipField(tag)) {
                return;
            }
        }
    }

    static int countJson(byte[] body, int offset, int length) {
        int count = 0;
        try (JsonParser p = JSON.createParser(body, offset, length)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME && "spans".equals(p.currentName())
                        && p.nextToken() == JsonToken.START_ARRAY) {
                    while ((t = p.nextToken()) != null && t != JsonToken.END_ARRAY) {
                        p.skipChildren();
                        count++;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
        return count;
    }
}
