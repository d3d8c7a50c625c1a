package io.spoor.server.receiver;

import io.spoor.pipeline.Admission;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * {@code Content-Encoding} handling for the HTTP receivers: none and gzip. Inflation writes into a buffer that grows
 * only as far as the inflated bytes and stops one byte past the limit, so a gzip bomb costs at most the limit,
 * never its full expansion; every growth is reserved with the request's memory reservation first, so inflating
 * under memory pressure is refused like any other body.
 */
public final class BodyDecoding {
    public enum Encoding { IDENTITY, GZIP }

    /** The first guess for a body's inflated size when it has no gzip trailer to read: 4× the wire size. */
    private static final int INFLATE_RATIO_GUESS = 4;
    private static final int MIN_INFLATE_BUFFER = 16 * 1024;
    /** Compression ratios up to this are believed from the trailer; OTLP and Zipkin bodies compress 5-30×. */
    private static final int TRUSTED_RATIO = 256;

    /** Thrown for a body that is over the limit after decompression, that is not valid gzip, or that was refused. */
    public static final class BodyException extends Exception {
        public final ExportFailure failure;

        BodyException(ExportFailure failure) {
            super(failure.message(), null, false, false);
            this.failure = failure;
        }

        BodyException(ExportFailure.Kind kind, String message) {
            this(ExportFailure.of(kind, message));
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

    /**
     * The body as the decoder reads it. A gzip body is inflated and the wire body released; the inflated bytes are
     * added to {@code reservation} as the buffer that holds them grows.
     */
    public static RequestBody decode(RequestBody wire, Encoding encoding, int limit, BodyReservation reservation)
            throws BodyException {
        if (encoding == Encoding.IDENTITY || wire.isEmpty()) {
            if (wire.length() > limit) {
                wire.release();
                throw new BodyException(ExportFailure.Kind.TOO_LARGE, tooLargeMessage(limit));
            }
            return wire;
        }
        try {
            return inflate(wire, limit, reservation);
        } finally {
            wire.release();
        }
    }

    private static RequestBody inflate(RequestBody wire, int limit, BodyReservation reservation)
            throws BodyException {
        long isize = trailerSize(wire);
        if (isize > limit) {
            // An honest trailer over the limit is a body over the limit (a lying one makes invalid gzip anyway):
            // answered before a byte is inflated, and before the memory limiter is asked for room it cannot give.
            throw new BodyException(ExportFailure.Kind.TOO_LARGE, tooLargeMessage(limit));
        }
        long held = reservation.reserved(); // the wire bytes, reserved as they arrived
        byte[] out = new byte[initialCapacity(wire, isize, limit)];
        reserve(reservation, held + out.length);
        int n = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(wire.array(), wire.offset(),
                wire.length()), 16 * 1024)) {
            while (true) {
                if (n == out.length) {
                    int next = in.read(); // the buffer is full: is that the end?
                    if (next < 0) {
                        break;
                    }
                    if (out.length >= limit) {
                        throw new BodyException(ExportFailure.Kind.TOO_LARGE, tooLargeMessage(limit));
                    }
                    int grown = Math.min(limit, Math.max(MIN_INFLATE_BUFFER, 2 * out.length));
                    reserve(reservation, held + out.length + grown); // both are held while copying
                    out = Arrays.copyOf(out, grown);
                    out[n++] = (byte) next;
                    continue;
                }
                int r = in.read(out, n, out.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (ZipException | EOFException e) {
            throw new BodyException(ExportFailure.Kind.MALFORMED, "invalid gzip body: "
                    + (e instanceof EOFException ? "truncated" : e.getMessage()));
        } catch (IOException e) {
            throw new BodyException(ExportFailure.Kind.MALFORMED, "invalid gzip body: " + e.getMessage());
        }
        return n == out.length ? RequestBody.of(out) : new RequestBody(out, 0, n, null);
    }

    /** The gzip trailer's ISIZE: the (last member's) inflated size mod 2^32; -1 when the body is too short for one. */
    private static long trailerSize(RequestBody wire) {
        if (wire.length() < 18) { // a 10-byte header, an empty deflate stream, the 8-byte trailer
            return -1;
        }
        int end = wire.offset() + wire.length();
        byte[] a = wire.array();
        return (a[end - 4] & 0xffL) | (a[end - 3] & 0xffL) << 8 | (a[end - 2] & 0xffL) << 16
                | (a[end - 1] & 0xffL) << 24;
    }

    /**
     * ISIZE sizes the buffer exactly for an honest single-member body, so that the common case inflates into one
     * array of the right size. It is believed only up to a generous compression ratio, so that a lying trailer on a
     * small body cannot make it hold (and reserve) much more than its data needs; beyond that the buffer doubles.
     */
    private static int initialCapacity(RequestBody wire, long isize, int limit) {
        long ratioCap = (long) wire.length() * TRUSTED_RATIO;
        if (isize >= 0) {
            return (int) Math.min(Math.min(isize, limit), ratioCap);
        }
        return (int) Math.min(limit, Math.max(MIN_INFLATE_BUFFER, (long) wire.length() * INFLATE_RATIO_GUESS));
    }

    private static void reserve(BodyReservation reservation, long total) throws BodyException {
        Admission.Refused refused = reservation.reserveTotal(total);
        if (refused != null) {
            throw new BodyException(BodyAdmission.refusal(refused));
        }
    }
}
