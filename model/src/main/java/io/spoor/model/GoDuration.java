package io.spoor.model;

/**
 * Durations as Go's {@code time.ParseDuration} writes them, which is how the OpenTelemetry Collector's YAML and
 * Jaeger's query parameters spell them: a sequence of decimal numbers with units {@code ns}, {@code us}/{@code µs},
 * {@code ms}, {@code s}, {@code m}, {@code h}, plus {@code d} (24 h) for retention-style settings, e.g.
 * {@code 150ms}, {@code 1.5s}, {@code 1h30m}, {@code 7d}. One parser serves the configuration and the query APIs.
 */
public final class GoDuration {
    private GoDuration() {
    }

    /**
     * Returns nanoseconds. Throws {@link IllegalArgumentException} whose message completes the sentence
     * "duration '...' ..." (e.g. "has an unknown unit 'x' (use ns, us, ms, s, m, h or d)").
     */
    public static long parseNanos(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        double total = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("must start each part with a number (like 200ms, 5s or 7d)");
            }
            double number;
            try {
                number = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("has a malformed number");
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
                case "" -> throw new IllegalArgumentException("needs a unit after " + s.substring(start, unitStart)
                        + " (ns, us, ms, s, m, h or d)");
                default -> throw new IllegalArgumentException("has an unknown unit '" + unit
                        + "' (use ns, us, ms, s, m, h or d)");
            };
            total += number * unitNanos;
        }
        if (total > Long.MAX_VALUE) {
            throw new IllegalArgumentException("is too large");
        }
        return Math.round(total);
    }
}
