package io.spoor.spanlog.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with varint and string writers. Reused across encodes (call {@link #reset()}) so the hot
 * write path allocates one array per fragment (the copy handed to the log and the index), not one per field.
 */
public final class ByteSink {
    private byte[] buf;
    private int size;

    public ByteSink(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public void reset() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    public void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    public void writeBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    public void writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    public void writeVarInt(int v) {
        writeVarLong(v & 0xFFFFFFFFL);
    }

    /** Zig-zag so that small negative numbers (deltas) stay short. */
    public void writeZLong(long v) {
        writeVarLong((v << 1) ^ (v >> 63));
    }

    public void writeFixedLong(long v) {
        ensure(8);
        for (int i = 7; i >= 0; i--) {
            buf[size + i] = (byte) v;
            v >>>= 8;
        }
        size += 8;
    }

    public void writeFixedInt(int v) {
        ensure(4);
        buf[size] = (byte) (v >>> 24);
        buf[size + 1] = (byte) (v >>> 16);
        buf[size + 2] = (byte) (v >>> 8);
        buf[size + 3] = (byte) v;
        size += 4;
    }

    /** Overwrites 4 bytes at {@code pos} (for length/CRC headers written after the body). */
    public void setFixedInt(int pos, int v) {
        buf[pos] = (byte) (v >>> 24);
        buf[pos + 1] = (byte) (v >>> 16);
        buf[pos + 2] = (byte) (v >>> 8);
        buf[pos + 3] = (byte) v;
    }

    /**
     * Length-prefixed UTF-8. Span strings are overwhelmingly ASCII, so an ASCII loop straight into the buffer
     * avoids the intermediate array of {@link String#getBytes}; anything else falls back to it.
     */
    public void writeString(String s) {
        int n = s.length();
        ensure(n + 5);
        int start = size;
        // optimistic: one-byte length prefix and ASCII content
        if (n < 128) {
            int p = size + 1;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    writeUtf8Slow(s);
                    return;
                }
                buf[p++] = (byte) c;
            }
            buf[start] = (byte) n;
            size = p;
            return;
        }
        writeUtf8Slow(s);
    }

    private void writeUtf8Slow(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarInt(b.length);
        writeBytes(b, 0, b.length);
    }
}
