package io.spoor.server.receiver;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * {@code Content-Encoding} handling for OTLP/HTTP: none and gzip. Decompression streams into a buffer that stops
 * one byte past the limit, so a gzip bomb costs at most the limit, never its full expansion.
 */
public final class BodyDecoding {
    public enum Encoding { IDENTITY, GZIP }

    /** Thrown for a body that is over the limit after decompression, or that is not valid gzip. */
    public static final class BodyException extends Exception {
        public final ExportFailure failure;

        BodyException(ExportFailure.Kind kind, String message) {
            super(message, null, false, false);
            this.failure = ExportFailure.of(kind, message);
        }
    }

    private BodyDecoding() {
    }

    /** Null when the encoding is not supported. */
    public static Encoding encoding(String header) {
        if (header == null) {
            return Encoding.IDENTITY;
        }
        String h = header.strip().toLowerCase(Locale.ROOT);
        return switch (h) {
            case "", "identity" -> Encoding.IDENTITY;
            case "gzip", "x-gzip" -> Encoding.GZIP;
            default -> null;
        };
    }

    public static String tooLargeMessage(long limit) {
        return "request body exceeds " + limit / (1024 * 1024) + " MiB after decompression";
    }

    public static byte[] decode(byte[] wire, Encoding encoding, int limit) throws BodyException {
        if (encoding == Encoding.IDENTITY) {
            if (wire.length > limit) {
                throw new BodyException(ExportFailure.Kind.TOO_LARGE, tooLargeMessage(limit));
            }
            return wire;
        }
        if (wire.length == 0) {
            return wire;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(wire), 16 * 1024)) {
            // readNBytes grows its buffer as data arrives, so the allocation follows the real size, capped at limit+1.
            byte[] out = in.readNBytes(limit + 1);
            if (out.length > limit) {
                throw new BodyException(ExportFailure.Kind.TOO_LARGE, tooLargeMessage(limit));
            }
            return out;
        } catch (ZipException | EOFException e) {
            throw new BodyException(ExportFailure.Kind.MALFORMED, "invalid gzip body: "
                    + (e instanceof EOFException ? "truncated" : e.getMessage()));
        } catch (IOException e) {
            throw new BodyException(ExportFailure.Kind.MALFORMED, "invalid gzip body: " + e.getMessage());
        }
    }
}
