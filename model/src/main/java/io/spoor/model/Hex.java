package io.spoor.model;

/** Lower-case hex and big-endian byte helpers for ids. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    public static String longToHex(long v) {
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = DIGITS[(int) (v & 0xf)];
            v >>>= 4;
        }
        return new String(out);
    }

    /** Parses 16 hex characters starting at {@code offset}; upper and lower case accepted. */
    public static long parseLong(CharSequence s, int offset) {
        long v = 0;
        for (int i = offset; i < offset + 16; i++) {
            v = (v << 4) | digit(s.charAt(i));
        }
        return v;
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw new IllegalArgumentException("not a hex character: '" + c + "'");
    }

    static long bytesToLong(byte[] b, int off) {
        long v = 0;
        for (int i = off; i < off + 8; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    static void longToBytes(long v, byte[] out, int off) {
        for (int i = off + 7; i >= off; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
    }
}
