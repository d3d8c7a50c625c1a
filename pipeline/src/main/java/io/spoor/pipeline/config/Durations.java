package io.spoor.pipeline.config;

import java.time.Duration;

/**
 * Durations as the Collector writes them (Go's {@code time.ParseDuration}): {@code 500us}, {@code 200ms},
 * {@code 1.5s}, {@code 1h30m}, plus {@code d} for retention-style settings.
 */
public final class Durations {
    private Durations() {
    }

    public static Duration parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("must be a duration like 200ms, 5s or 7d");
        }
        double total = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i)) || i < s.length() && s.charAt(i) == 'µ') {
                i++;
            }
            if (start == unitStart || unitStart == i) {
                throw new IllegalArgumentException("must be a duration like 200ms, 5s or 7d (a number then a unit)");
            }
            double number;
            try {
                number = Double.parseDouble(s.substring(start, unitStart));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a duration like 200ms, 5s or 7d");
            }
            long unitNanos = switch (s.substring(unitStart, i)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                case "d" -> 86_400_000_000_000L;
                default -> throw new IllegalArgumentException("has an unknown unit '" + s.substring(unitStart, i)
                        + "' (use ns, us, ms, s, m, h or d)");
            };
            total += number * unitNanos;
        }
        if (total > Long.MAX_VALUE) {
            throw new IllegalArgumentException("is too long");
        }
        return Duration.ofNanos(Math.round(total));
    }
}
