package io.spoor.model;

/**
 * A 128-bit trace id held as two longs; hex only at the edges (DESIGN: identity).
 * Zipkin's 64-bit ids arrive as {@code high == 0}.
 */
public record TraceId(long high, long low) implements Comparable<TraceId> {

    /** An all-zero trace id is invalid in W3C trace context and OTLP. */
    public boolean isValid() {
        return high != 0 || low != 0;
    }

    public String toHex() {
        return Hex.longToHex(high) + Hex.longToHex(low);
    }

    /** Parses 32 (or, for Zipkin's 64-bit ids, 16) hex characters; throws {@link IllegalArgumentException} otherwise. */
    public static TraceId fromHex(CharSequence hex) {
        int n = hex.length();
        if (n == 32) {
            return new TraceId(Hex.parseLong(hex, 0), Hex.parseLong(hex, 16));
        }
        if (n == 16) {
            return new TraceId(0, Hex.parseLong(hex, 0));
        }
        throw new IllegalArgumentException("trace id must be 32 hex characters, got " + n);
    }

    /** Reads the 16-byte big-endian form used by OTLP protobuf; throws for any other length. */
    public static TraceId fromBytes(byte[] bytes) {
        if (bytes.length != 16) {
            throw new IllegalArgumentException("trace id must be 16 bytes, got " + bytes.length);
        }
        return new TraceId(Hex.bytesToLong(bytes, 0), Hex.bytesToLong(bytes, 8));
    }

    public byte[] toBytes() {
        byte[] out = new byte[16];
        Hex.longToBytes(high, out, 0);
        Hex.longToBytes(low, out, 8);
        return out;
    }

    @Override
    public int compareTo(TraceId o) {
        int c = Long.compareUnsigned(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
