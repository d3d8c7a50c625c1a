package io.spoor.server.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A bare HTTP/2 (h2c, prior knowledge) client over a socket that does exactly what it is told, including what
 * client libraries refuse to do: open more concurrent streams than the server allows. Headers are HPACK literals
 * without Huffman coding.
 */
public final class RawHttp2 implements AutoCloseable {
    public static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
    public static final int REFUSED_STREAM = 0x7;
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int END_HEADERS = 0x4;
    private static final int ACK = 0x1;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int port;
    private final Map<Integer, Long> serverSettings = new HashMap<>();

    public record Frame(int type, int flags, int stream, byte[] payload) {
        /** The error code of a RST_STREAM frame. */
        public int errorCode() {
            return ByteBuffer.wrap(payload).getInt();
        }

        public boolean isReset() {
            return type == RST_STREAM;
        }
    }

    /** Connects and exchanges the preface and SETTINGS; the server's settings are then known. */
    public RawHttp2(int port) {
        this.port = port;
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            frame(SETTINGS, 0, 0, new byte[0]);
            while (true) {
                Frame f = read();
                if (f.type == SETTINGS && (f.flags & ACK) == 0) {
                    ByteBuffer p = ByteBuffer.wrap(f.payload);
                    while (p.remaining() >= 6) {
                        serverSettings.put(p.getShort() & 0xffff, p.getInt() & 0xffffffffL);
                    }
                    frame(SETTINGS, ACK, 0, new byte[0]);
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A setting the server announced, or null. */
    public Long serverSetting(int id) {
        return serverSettings.get(id);
    }

    /** Opens stream {@code id} (odd) with a POST to {@code path}, leaving the body to come. */
    public void openStream(int id, String path, String contentType) {
        ByteBuffer block = ByteBuffer.allocate(1024);
        literal(block, ":method", "POST");
        literal(block, ":scheme", "http");
        literal(block, ":path", path);
        literal(block, ":authority", "127.0.0.1:" + port);
        literal(block, "content-type", contentType);
        literal(block, "te", "trailers");
        byte[] b = new byte[block.position()];
        block.flip().get(b);
        frame(HEADERS, END_HEADERS, id, b);
    }

    /** A DATA frame on {@code stream}. */
    public void data(int stream, byte[] payload, boolean endStream) {
        frame(DATA, endStream ? 0x1 : 0, stream, payload);
    }

    /** The next frame from the server. */
    public Frame read() {
        try {
            int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = in.readNBytes(length);
            return new Frame(type, flags, stream, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads frames until one about {@code stream} that is a reset or a HEADERS frame. */
    public Frame awaitResetOrHeaders(int stream) {
        while (true) {
            Frame f = read();
            if (f.stream == stream && (f.type == RST_STREAM || f.type == HEADERS)) {
                return f;
            }
        }
    }

    private static void literal(ByteBuffer b, String name, String value) {
        b.put((byte) 0x00); // literal header field without indexing, new name
        string(b, name);
        string(b, value);
    }

    private static void string(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length >= 127) {
            throw new IllegalArgumentException("keep header strings short: " + s);
        }
        b.put((byte) bytes.length).put(bytes);
    }

    private void frame(int type, int flags, int stream, byte[] payload) {
        try {
            byte[] header = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                    (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
                    (byte) stream};
            out.write(header);
            out.write(payload);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing
        }
    }
}
