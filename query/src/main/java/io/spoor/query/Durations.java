package io.spoor.query;

/** Durations in messages (clock-skew warnings); query parameters are parsed by the HTTP kit. */
public final class Durations {
    private Durations() {
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
