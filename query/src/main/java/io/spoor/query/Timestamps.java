package io.spoor.query;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Parses a point in time given either as RFC 3339 ({@code 2026-11-24T10:15:30.5Z}, any offset) or as an
 * integer since the Unix epoch whose unit follows from its size: up to 11 digits are seconds, 12–14 digits
 * milliseconds, 15–17 digits microseconds, 18 and more nanoseconds. (Any current time in seconds has 10
 * digits, in milliseconds 13, in microseconds 16, in nanoseconds 19.)
 */
public final class Timestamps {
    private Timestamps() {
    }

    /** Epoch nanoseconds; throws {@link InvalidQueryException} naming {@code parameter}. */
    public static long parseEpochNanos(String parameter, String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw invalid(parameter, text);
        }
        if (s.chars().allMatch(Character::isDigit)) {
            long v;
            try {
                v = Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw invalid(parameter, text);
            }
            int digits = s.replaceFirst("^0+(?=.)", "").length();
            try {
                if (digits <= 11) {
                    return Math.multiplyExact(v, 1_000_000_000L);
                } else if (digits <= 14) {
                    return Math.multiplyExact(v, 1_000_000L);
                } else if (digits <= 17) {
                    return Math.multiplyExact(v, 1_000L);
                }
                return v;
            } catch (ArithmeticException e) {
                throw invalid(parameter, text);
            }
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw invalid(parameter, text);
        }
    }

    private static InvalidQueryException invalid(String parameter, String text) {
        return new InvalidQueryException(parameter, parameter + ": '" + text
                + "' is not a time (use RFC 3339 like 2026-11-24T10:15:30Z, or epoch seconds/ms/µs/ns)");
    }
}
