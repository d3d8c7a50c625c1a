package io.spoor.model;

/**
 * Span ids are one {@code long} inside Spoor; {@code 0} means "no span" (e.g. no parent).
 * This class holds the edge conversions.
 */
public final class SpanId {
    public static final long NONE = 0L;

    private SpanId() {
    }

    public static String toHex(long spanId) {
        return Hex.longToHex(spanId);
    }

    /** Parses exactly 16 hex characters; throws {@link IllegalArgumentException} otherwise. */
    public static long fromHex(CharSequence hex) {
        if (hex.length() != 16) {
            throw new IllegalArgumentException("span id must be 16 hex characters, got " + hex.length());
        }
        return Hex.parseLong(hex, 0);
    }

    /** Reads the 8-byte big-endian OTLP form; throws for any other length. */
    public static long fromBytes(byte[] bytes) {
        if (bytes.length != 8) {
            throw new IllegalArgumentException("span id must be 8 bytes, got " + bytes.length);
        }
        return Hex.bytesToLong(bytes, 0);
    }

    public static byte[] toBytes(long spanId) {
        byte[] out = new byte[8];
        Hex.longToBytes(spanId, out, 0);
        return out;
    }
}
