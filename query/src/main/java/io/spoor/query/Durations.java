package io.spoor.query;

import io.spoor.model.GoDuration;

/**
 * Query-parameter durations: {@link GoDuration}'s syntax ({@code 150ms}, {@code 1.5s}, {@code 1h30m}, as Jaeger
 * writes them), and a plain integer without a unit is nanoseconds.
 */
public final class Durations {
    private Durations() {
    }

    /**
     * Returns nanoseconds; throws {@link InvalidQueryException} naming {@code parameter} when {@code text} is not
     * a non-negative duration.
     */
    public static long parseNanos(String parameter, String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw invalid(parameter, text, "is empty");
        }
        if (s.chars().allMatch(Character::isDigit)) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw invalid(parameter, text, "is too large");
            }
        }
        try {
            return GoDuration.parseNanos(s);
        } catch (IllegalArgumentException e) {
            throw invalid(parameter, text, e.getMessage());
        }
    }

    private static InvalidQueryException invalid(String parameter, String text, String problem) {
        return new InvalidQueryException(parameter, parameter + ": duration '" + text + "' " + problem
                + " (use e.g. 150ms, 1.5s, 2m, 500us, or plain nanoseconds)");
    }

    /** A signed duration for messages: {@code +1.5ms}, {@code -250us}, {@code +2.004s}, {@code +3m0s}. */
    public static String format(long nanos) {
        String sign = nanos < 0 ? "-" : "+";
        long a = Math.abs(nanos);
        if (a < 1_000L) {
            return sign + a + "ns";
        }
        if (a < 1_000_000L) {
            return sign + trim(a / 1e3) + "us";
        }
        if (a < 1_000_000_000L) {
            return sign + trim(a / 1e6) + "ms";
        }
        if (a < 60_000_000_000L) {
            return sign + trim(a / 1e9) + "s";
        }
        long seconds = a / 1_000_000_000L;
        if (seconds < 3600) {
            return sign + seconds / 60 + "m" + seconds % 60 + "s";
        }
        return sign + seconds / 3600 + "h" + (seconds % 3600) / 60 + "m" + seconds % 60 + "s";
    }

    private static String trim(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
