package io.spoor.protocol.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.spoor.model.SpanId;
import io.spoor.model.TraceId;

/**
 * Id conversions at the OTLP edge that never throw: the decoders turn a bad id into a rejected span (or a
 * dropped link), so validation answers with a message instead of an exception on the hot path.
 */
final class Ids {
    static final int TRACE_ID_BYTES = 16;
    static final int SPAN_ID_BYTES = 8;
    static final int TRACE_ID_HEX = 32;
    static final int SPAN_ID_HEX = 16;

    private Ids() {
    }

    /** Big-endian long from 8 bytes of {@code b} starting at {@code off}. */
    static long readLong(ByteString b, int off) {
        long v = 0;
        for (int i = off; i < off + 8; i++) {
            v = (v << 8) | (b.byteAt(i) & 0xff);
        }
        return v;
    }

    /** Problem with an OTLP trace id, or null when it is valid (16 bytes, not all zero). */
    static String traceIdProblem(ByteString b, String field) {
        if (b.size() != TRACE_ID_BYTES) {
            return field + " must be 16 bytes, got " + b.size();
        }
        if (readLong(b, 0) == 0 && readLong(b, 8) == 0) {
            return field + " must not be all zero";
        }
        return null;
    }

    /** Problem with an OTLP span id, or null when it is valid (8 bytes, not all zero). */
    static String spanIdProblem(ByteString b, String field) {
        if (b.size() != SPAN_ID_BYTES) {
            return field + " must be 8 bytes, got " + b.size();
        }
        if (readLong(b, 0) == 0) {
            return field + " must not be all zero";
        }
        return null;
    }

    /** A usable link target: 16-byte trace id and 8-byte span id, neither all zero. */
    static boolean isValidLinkTarget(ByteString traceId, ByteString spanId) {
        return traceId.size() == TRACE_ID_BYTES && (readLong(traceId, 0) != 0 || readLong(traceId, 8) != 0)
                && spanId.size() == SPAN_ID_BYTES && readLong(spanId, 0) != 0;
    }

    /** Problem with a parent span id, or null: empty and all-zero both mean "no parent". */
    static String parentSpanIdProblem(ByteString b) {
        return b.isEmpty() || b.size() == SPAN_ID_BYTES ? null : "parent_span_id must be empty or 8 bytes, got " + b.size();
    }

    static TraceId traceId(ByteString b) {
        return new TraceId(readLong(b, 0), readLong(b, 8));
    }

    static ByteString traceIdBytes(TraceId id) {
        // toBytes() returns a fresh array nobody else holds, so wrapping it without a copy is safe.
        return UnsafeByteOperations.unsafeWrap(id.toBytes());
    }

    static ByteString spanIdBytes(long spanId) {
        return UnsafeByteOperations.unsafeWrap(SpanId.toBytes(spanId));
    }

    /** Parses {@code len} (at most 16) hex characters from {@code off}; the caller checks {@link #isHex} first. */
    static long parseHex(char[] chars, int off, int len) {
        long v = 0;
        for (int i = off; i < off + len; i++) {
            v = (v << 4) | Character.digit(chars[i], 16);
        }
        return v;
    }

    /** True when every character is 0-9, a-f or A-F (Character.digit would also accept non-ASCII digits). */
    static boolean isHex(char[] chars, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = chars[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
