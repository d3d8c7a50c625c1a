package io.spoor.spanlog.codec;

import java.nio.charset.StandardCharsets;

/** Reads what {@link ByteSink} wrote. Throws {@link CorruptDataException} on truncated input. */
public final class ByteSource {
    private final byte[] buf;
    private int pos;
    private final int end;

    public ByteSource(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    public int position() {
        return pos;
    }

    public boolean hasRemaining() {
        return pos < end;
    }

    private void need(int n) {
        if (n < 0 || pos + n > end) {
            throw new CorruptDataException("truncated span data at byte " + pos);
        }
    }

    public int readByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    public long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            need(1);
            byte b = buf[pos++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new CorruptDataException("malformed varint at byte " + pos);
    }

    public int readVarInt() {
        long v = readVarLong();
        if (v > 0xFFFFFFFFL) {
            throw new CorruptDataException("varint out of int range at byte " + pos);
        }
        return (int) v;
    }

    /** A non-negative count or length; guards against allocating absurd arrays from corrupt input. */
    public int readCount() {
        int n = readVarInt();
        if (n < 0 || n > end - pos) {
            throw new CorruptDataException("implausible count " + n + " at byte " + pos);
        }
        return n;
    }

    public long readZLong() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    public int readFixedInt() {
        need(4);
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
        pos += 4;
        if (v < 0) {
            throw new CorruptDataException("negative length at byte " + pos);
        }
        return v;
    }

    public long readFixedLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    public void skip(int n) {
        need(n);
        pos += n;
    }

    public byte[] readBytes(int n) {
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    public String readString() {
        int n = readCount();
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }
}
