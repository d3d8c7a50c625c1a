package io.spoor.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One serialized {@code ExportTraceServiceRequest} (optionally behind a 5-byte gRPC frame header) plus
 * the byte offsets of everything that has to change between sends: every trace id (grouped by trace)
 * and every nanosecond timestamp (span start/end, event time).
 *
 * <p>{@link #copyInto} copies the template into a caller-owned buffer and patches fresh random trace ids
 * and timestamps shifted to "now" straight into the bytes, so that a send costs one {@code arraycopy}
 * plus a few hundred small writes instead of building protobuf messages. Lengths never change (ids are
 * fixed 16 bytes, timestamps are {@code fixed64}), so all length prefixes stay valid.
 */
public final class PreEncodedBatch {


    private final byte[] bytes;
    private final int spanCount;
    private final int traceCount;
    /** traceIdOffsets[t] = every offset at which trace t's 16-byte id is written (spans and links). */
    private final int[][] traceIdOffsets;
    private final int[] timestampOffsets;
    /** The epoch-nanos instant the template's timestamps are relative to ("now" at generation). */
    private final long templateNowNanos;
    /**
     * Zipkin v2 JSON instead of OTLP protobuf: trace ids are 32 hex characters and timestamps 16-digit decimal
     * microseconds in the text, patched in place (same lengths).
     */
    private final boolean zipkinJson;

    private PreEncodedBatch(byte[] bytes, int spanCount, int[][] traceIdOffsets, int[] timestampOffsets,
                            long templateNowNanos) {
        this(bytes, spanCount, traceIdOffsets, timestampOffsets, templateNowNanos, false);
    }

    private PreEncodedBatch(byte[] bytes, int spanCount, int[][] traceIdOffsets, int[] timestampOffsets,
                            long templateNowNanos, boolean zipkinJson) {
        this.zipkinJson = zipkinJson;
        this.bytes = bytes;
        this.spanCount = spanCount;
        this.traceCount = traceIdOffsets.length;
        this.traceIdOffsets = traceIdOffsets;
        this.timestampOffsets = timestampOffsets;
        this.templateNowNanos = templateNowNanos;
    }

    /**
     * Scans {@code message} (a serialized ExportTraceServiceRequest) and, if {@code grpcFramed}, prefixes
     * the 5-byte gRPC length-prefixed-message header.
     */
    public static PreEncodedBatch of(byte[] message, boolean grpcFramed, long templateNowNanos) {
        int shift = grpcFramed ? 5 : 0;
        byte[] out = new byte[message.length + shift];
        if (grpcFramed) {
            out[0] = 0; // not compressed
            out[1] = (byte) (message.length >>> 24);
            out[2] = (byte) (message.length >>> 16);
            out[3] = (byte) (message.length >>> 8);
            out[4] = (byte) message.length;
        }
        System.arraycopy(message, 0, out, shift, message.length);

        Scan scan = new Scan(message);
        scan.request(0, message.length);
        // group trace-id offsets by id value, in first-seen order
        Map<Key, List<Integer>> byTrace = new LinkedHashMap<>();
        for (int off : scan.traceIdOffsets.toArray()) {
            byTrace.computeIfAbsent(new Key(Arrays.copyOfRange(message, off, off + 16)), k -> new ArrayList<>())
                    .add(off + shift);
        }
        int[][] traceOffsets = new int[byTrace.size()][];
        int i = 0;
        for (List<Integer> offs : byTrace.values()) {
            traceOffsets[i++] = offs.stream().mapToInt(Integer::intValue).toArray();
        }
        int[] ts = scan.timestampOffsets.toArray();
        for (int j = 0; j < ts.length; j++) {
            ts[j] += shift;
        }
        return new PreEncodedBatch(out, scan.spans, traceOffsets, ts, templateNowNanos);
    }

    /**
     * A Zipkin v2 JSON list of spans ({@code spanCount} of them). Every {@code "traceId":"<32 hex>"} value is a trace
     * id to refresh per send (grouped by value) and every {@code "timestamp":<16 digits>} (spans and annotations) a
     * time to shift.
     */
    public static PreEncodedBatch ofZipkinJson(byte[] json, int spanCount, long templateNowNanos) {
        Map<String, List<Integer>> byTrace = new LinkedHashMap<>();
        List<Integer> times = new ArrayList<>();
        byte[] idKey = "\"traceId\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] tsKey = "\"timestamp\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < json.length; i++) {
            if (matches(json, i, idKey)) {
                int at = i + idKey.length;
                if (at + 32 < json.length && json[at + 32] == '"') {
                    byTrace.computeIfAbsent(new String(json, at, 32, java.nio.charset.StandardCharsets.US_ASCII),
                            k -> new ArrayList<>()).add(at);
                }
            } else if (matches(json, i, tsKey)) {
                int at = i + tsKey.length;
                int end = at;
                while (end < json.length && json[end] >= '0' && json[end] <= '9') {
                    end++;
                }
                if (end - at != 16) {
                    throw new IllegalArgumentException("expected 16-digit µs timestamps in the template");
                }
                times.add(at);
            }
        }
        int[][] traceOffsets = byTrace.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
        return new PreEncodedBatch(json.clone(), spanCount, traceOffsets,
                times.stream().mapToInt(Integer::intValue).toArray(), templateNowNanos, true);
    }

    private static boolean matches(byte[] b, int at, byte[] key) {
        if (at + key.length > b.length) {
            return false;
        }
        for (int k = 0; k < key.length; k++) {
            if (b[at + k] != key[k]) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static void writeHex(ByteBuf dst, int off, long v) {
        for (int i = 15; i >= 0; i--) {
            dst.setByte(off + i, HEX[(int) (v & 0xf)]);
            v >>>= 4;
        }
    }


    private static long readDecimal16(byte[] b, int off) {
        long v = 0;
        for (int i = off; i < off + 16; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    private static void writeDecimal16(ByteBuf dst, int off, long v) {
        for (int i = 15; i >= 0; i--) {
            dst.setByte(off + i, (byte) ('0' + v % 10));
            v /= 10;
        }
    }


    public boolean isZipkinJson() {
        return zipkinJson;
    }

    public int length() {
        return bytes.length;
    }

    public int spanCount() {
        return spanCount;
    }

    public int traceCount() {
        return traceCount;
    }

    /** The template bytes, unpatched. Do not modify. */
    public byte[] templateBytes() {
        return bytes;
    }

    /**
     * Copies this template into {@code dst} (which must be at least {@link #length()} long), gives every
     * trace a fresh random id and shifts all timestamps so the batch ends around {@code nowEpochNanos}.
     * Returns the number of bytes written.
     */
    public int copyInto(byte[] dst, SplittableRandom random, long nowEpochNanos) {
        return copyInto(Unpooled.wrappedBuffer(dst), random, nowEpochNanos);
    }

    /**
     * Same as {@link #copyInto(byte[], SplittableRandom, long)} but into a (direct) Netty buffer, which
     * saves the heap-to-direct copy Netty would otherwise make on write. Sets the writer index to the length.
     */
    public int copyInto(ByteBuf dst, SplittableRandom random, long nowEpochNanos) {
        dst.clear();
        dst.writeBytes(bytes);
        if (zipkinJson) {
            for (int[] offs : traceIdOffsets) {
                long hi = random.nextLong() | 1;
                long lo = random.nextLong();
                for (int off : offs) {
                    writeHex(dst, off, hi);
                    writeHex(dst, off + 16, lo);
                }
            }
            long deltaMicros = (nowEpochNanos - templateNowNanos) / 1000;
            for (int off : timestampOffsets) {
                writeDecimal16(dst, off, readDecimal16(bytes, off) + deltaMicros);
            }
            return bytes.length;
        }
        for (int[] offs : traceIdOffsets) {
            long hi = random.nextLong();
            long lo = random.nextLong();
            if (hi == 0 && lo == 0) {
                lo = 1;
            }
            for (int off : offs) {
                dst.setLong(off, hi);
                dst.setLong(off + 8, lo);
            }
        }
        long delta = nowEpochNanos - templateNowNanos;
        if (delta != 0) {
            for (int off : timestampOffsets) {
                dst.setLongLE(off, dst.getLongLE(off) + delta);
            }
        }
        return bytes.length;
    }

    private record Key(byte[] id) {
        @Override public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(id, k.id);
        }

        @Override public int hashCode() {
            return Arrays.hashCode(id);
        }
    }

    /** A minimal protobuf wire-format walker over the OTLP trace message tree. */
    private static final class Scan {
        private final byte[] b;
        private int pos;
        final IntList traceIdOffsets = new IntList();
        final IntList timestampOffsets = new IntList();
        int spans;

        Scan(byte[] b) {
            this.b = b;
        }

        // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
        void request(int start, int end) {
            walk(start, end, (field, wire, valueStart, valueEnd) -> {
                if (field == 1 && wire == 2) {
                    resourceSpans(valueStart, valueEnd);
                }
            });
        }

        // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
        void resourceSpans(int start, int end) {
            walk(start, end, (field, wire, vs, ve) -> {
                if (field == 2 && wire == 2) {
                    scopeSpans(vs, ve);
                }
            });
        }

        // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
        void scopeSpans(int start, int end) {
            walk(start, end, (field, wire, vs, ve) -> {
                if (field == 2 && wire == 2) {
                    span(vs, ve);
                }
            });
        }

        // Span { bytes trace_id = 1; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
        //        repeated Event events = 11; repeated Link links = 13; ... }
        void span(int start, int end) {
            spans++;
            walk(start, end, (field, wire, vs, ve) -> {
                if (field == 1 && wire == 2 && ve - vs == 16) {
                    traceIdOffsets.add(vs);
                } else if ((field == 7 || field == 8) && wire == 1) {
                    timestampOffsets.add(vs);
                } else if (field == 11 && wire == 2) {
                    // Event { fixed64 time_unix_nano = 1; ... }
                    walk(vs, ve, (f, w, s, e) -> {
                        if (f == 1 && w == 1) {
                            timestampOffsets.add(s);
                        }
                    });
                } else if (field == 13 && wire == 2) {
                    // Link { bytes trace_id = 1; ... } — links inside the batch point at its own traces
                    walk(vs, ve, (f, w, s, e) -> {
                        if (f == 1 && w == 2 && e - s == 16) {
                            traceIdOffsets.add(s);
                        }
                    });
                }
            });
        }

        interface FieldVisitor {
            void field(int number, int wireType, int valueStart, int valueEnd);
        }

        void walk(int start, int end, FieldVisitor visitor) {
            int saved = pos;
            pos = start;
            while (pos < end) {
                long tag = varint();
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                int vs;
                int ve;
                switch (wire) {
                    case 0 -> { vs = pos; varint(); ve = pos; }
                    case 1 -> { vs = pos; ve = pos + 8; }
                    case 2 -> { int len = (int) varint(); vs = pos; ve = pos + len; }
                    case 5 -> { vs = pos; ve = pos + 4; }
                    default -> throw new IllegalStateException("unsupported wire type " + wire + " at " + pos);
                }
                if (ve > end) {
                    throw new IllegalStateException("field " + field + " overruns its message at " + vs);
                }
                int after = ve;
                visitor.field(field, wire, vs, ve);
                pos = after;
            }
            pos = saved;
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte x = b[pos++];
                result |= (long) (x & 0x7f) << shift;
                if (x >= 0) {
                    return result;
                }
            }
            throw new IllegalStateException("malformed varint");
        }
    }

    private static final class IntList {
        private int[] a = new int[256];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
