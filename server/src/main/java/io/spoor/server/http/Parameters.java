package io.spoor.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.spoor.model.GoDuration;
import io.spoor.model.TraceId;
import io.spoor.query.InvalidQueryException;
import io.spoor.storage.TraceQuery;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The parsers behind every query API's parameters, one per kind of value. Each takes the parameter's name and its
 * text and returns a typed value or throws {@link InvalidQueryException} whose message names the parameter (the
 * APIs answer it as a 400); nothing else escapes, whatever the text (a fuzz test holds them to that).
 *
 * <p>Numbers are ASCII only: {@link Character#digit} and {@link Long#parseLong} also take other scripts' digits
 * (Arabic-Indic {@code ٣}), which the hex decoders below them do not, and which no client means.
 */
public final class Parameters {
    /** Longer values are cut in messages: a message quotes what it refuses, not a 4 KB URI. */
    private static final int QUOTE = 40;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build()).build();

    private Parameters() {
    }

    /** A whole number in {@code [min, max]}: optional sign, ASCII digits, nothing else but surrounding spaces. */
    public static long wholeNumber(String name, String text, long min, long max) {
        String s = text.strip();
        int i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
        if (i == s.length() || !asciiDigits(s, i, s.length())) {
            throw new InvalidQueryException(name, name + " must be a whole number between " + min + " and " + max
                    + ", got '" + quote(text) + "'");
        }
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) { // too many digits for a long: out of range either way
            v = s.charAt(0) == '-' ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (v < min || v > max) {
            throw new InvalidQueryException(name, name + " must be between " + min + " and " + max + ", got "
                    + quote(s));
        }
        return v;
    }

    /** An int in {@code [min, max]}. */
    public static int wholeNumber(String name, String text, int min, int max) {
        return (int) wholeNumber(name, text, (long) min, (long) max);
    }

    /**
     * A non-negative duration in nanoseconds: Go's syntax ({@code 150ms}, {@code 1.5s}, {@code 1h30m}, as Jaeger
     * writes them) or a plain integer of nanoseconds.
     */
    public static long durationNanos(String name, String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw invalidDuration(name, text, "is empty");
        }
        if (asciiDigits(s, 0, s.length())) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw invalidDuration(name, text, "is too large");
            }
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isDigit(c) && (c < '0' || c > '9')) {
                throw invalidDuration(name, text, "has a digit that is not 0-9");
            }
        }
        try {
            return GoDuration.parseNanos(s);
        } catch (IllegalArgumentException e) {
            throw invalidDuration(name, text, e.getMessage());
        }
    }

    private static InvalidQueryException invalidDuration(String name, String text, String problem) {
        return new InvalidQueryException(name, name + ": duration '" + quote(text) + "' " + problem
                + " (use e.g. 150ms, 1.5s, 2m, 500us, or plain nanoseconds)");
    }

    /**
     * A point in time as epoch nanoseconds, given as RFC 3339 ({@code 2026-11-24T10:15:30.5Z}, any offset) or as a
     * whole number since the Unix epoch whose unit follows from its size: up to 11 digits are seconds, 12–14
     * milliseconds, 15–17 microseconds, 18 and more nanoseconds (a current time has 10, 13, 16 or 19 digits).
     */
    public static long epochNanos(String name, String text) {
        String s = text.strip();
        if (!s.isEmpty() && asciiDigits(s, 0, s.length())) {
            String digits = s.replaceFirst("^0+(?=.)", "");
            try {
                long v = Long.parseLong(digits);
                int n = digits.length();
                return n <= 11 ? Math.multiplyExact(v, 1_000_000_000L)
                        : n <= 14 ? Math.multiplyExact(v, 1_000_000L)
                        : n <= 17 ? Math.multiplyExact(v, 1_000L)
                        : v;
            } catch (NumberFormatException | ArithmeticException e) {
                throw invalidTime(name, text);
            }
        }
        try {
            return rfc3339Nanos(name, s);
        } catch (InvalidQueryException e) {
            throw invalidTime(name, text);
        }
    }

    private static InvalidQueryException invalidTime(String name, String text) {
        return new InvalidQueryException(name, name + ": '" + quote(text)
                + "' is not a time (use RFC 3339 like 2026-11-24T10:15:30Z, or epoch seconds/ms/µs/ns)");
    }

    /** An RFC 3339 time ({@code 2026-11-24T10:15:30.5Z}) as epoch nanoseconds, not before 1970. */
    public static long rfc3339Nanos(String name, String text) {
        String s = text.strip();
        if (!ascii(s)) {
            throw notRfc3339(name, text);
        }
        long nanos;
        try {
            OffsetDateTime t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            nanos = Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw notRfc3339(name, text);
        }
        if (nanos < 0) {
            throw new InvalidQueryException(name, name + " must not be before 1970");
        }
        return nanos;
    }

    private static InvalidQueryException notRfc3339(String name, String text) {
        return new InvalidQueryException(name, name + ": '" + quote(text)
                + "' is not an RFC 3339 time like 2026-11-24T10:15:30.5Z");
    }

    /** Epoch microseconds (Jaeger's start/end), not negative, as epoch nanoseconds. */
    public static long epochMicrosAsNanos(String name, String text) {
        return Math.multiplyExact(wholeNumber(name, text, 0, Long.MAX_VALUE / 1_000L), 1_000L);
    }

    /** Milliseconds (Zipkin's and Jaeger's endTs/lookback), at least 1, as nanoseconds. */
    public static long positiveMillisAsNanos(String name, String text) {
        return Math.multiplyExact(wholeNumber(name, text, 1, Long.MAX_VALUE / 1_000_000L), 1_000_000L);
    }

    /** {@code true}/{@code 1} or {@code false}/{@code 0}, in any case. */
    public static boolean bool(String name, String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new InvalidQueryException(name, name + " must be true or false, got '" + quote(text)
                    + "'");
        };
    }

    /**
     * A trace id: 32 or 16 hex characters (either case), or with {@code padShort} any 1 to 32, padded with zeros
     * on the left as Zipkin does (a 64-bit id is the 128-bit id with a zero high half). All zeros is not an id.
     */
    public static TraceId traceId(String name, String text, boolean padShort) {
        int n = text.length();
        boolean lengthOk = padShort ? n >= 1 && n <= 32 : n == 16 || n == 32;
        if (!lengthOk || !hex(text)) {
            throw new InvalidQueryException(name, name + " '" + quote(text) + "' is malformed: a trace id is "
                    + (padShort ? "1 to 32" : "16 or 32") + " hex characters");
        }
        long high = n > 16 ? hexLong(text, 0, n - 16) : 0;
        long low = hexLong(text, Math.max(0, n - 16), n);
        TraceId id = new TraceId(high, low);
        if (!id.isValid()) {
            throw new InvalidQueryException(name, name + ": an all-zero trace id is invalid");
        }
        return id;
    }

    /** {@code key<separator>value}, split at the first separator; the key must not be empty. */
    public static TraceQuery.Tag keyValue(String name, String text, char separator) {
        int at = text.indexOf(separator);
        if (at <= 0) {
            throw new InvalidQueryException(name, name + " '" + quote(text) + "' must be key" + separator + "value");
        }
        return new TraceQuery.Tag(text.substring(0, at), text.substring(at + 1));
    }

    /** A JSON object whose values are scalars (Jaeger's {@code tags}, api_v3's {@code query.attributes}). */
    public static Map<String, String> jsonStringMap(String name, String json) {
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidQueryException(name, "malformed '" + name + "' parameter: expected a JSON object of "
                        + "strings");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (v == null || !v.isScalarValue()) {
                    throw new InvalidQueryException(name, "malformed '" + name + "' parameter: the value of '"
                            + quote(key) + "' must be a string");
                }
                out.put(key, p.getText());
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new InvalidQueryException(name, "malformed '" + name + "' parameter: not one JSON object");
            }
        } catch (IOException e) {
            String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new InvalidQueryException(name, "malformed '" + name + "' parameter, cannot unmarshal JSON: "
                    + quote(first));
        }
        return out;
    }

    /** Whether {@code high} is not below {@code low}; the message names the upper parameter. */
    public static void ordered(String lowName, long low, String highName, long high) {
        if (high < low) {
            throw new InvalidQueryException(highName, highName + " must not be below " + lowName);
        }
    }

    /** {@code text} cut to a length fit for an error message. */
    public static String quote(String text) {
        return text.length() <= QUOTE ? text : text.substring(0, QUOTE) + "…";
    }

    private static boolean asciiDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return from < to;
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (hexDigit(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static long hexLong(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            v = (v << 4) | hexDigit(s.charAt(i));
        }
        return v;
    }
}
