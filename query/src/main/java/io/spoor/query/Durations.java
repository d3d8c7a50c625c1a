package io.spoor.query;

/**
 * Parses durations the way Go's {@code time.ParseDuration} (and so Jaeger) writes them: a sequence of decimal
 * numbers with units {@code ns}, {@code us}/{@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}, plus
 * {@code d} (24 h) for retention-style settings, e.g. {@code "150ms"}, {@code "1.5s"}, {@code "1h30m"}. A plain
 * integer without a unit is nanoseconds.
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
        double total = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw invalid(parameter, text, "must start each part with a number");
            }
            double number;
            try {
                number = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw invalid(parameter, text, "has a malformed number");
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            long unitNanos = switch (unit) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                case "d" -> 86_400_000_000_000L;
                case "" -> throw invalid(parameter, text, "needs a unit after " + s.substring(start, unitStart));
                default -> throw invalid(parameter, text, "has an unknown unit '" + unit + "'");
            };
            total += number * unitNanos;
        }
        if (total > Long.MAX_VALUE) {
            throw invalid(parameter, text, "is too large");
        }
        return Math.round(total);
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
