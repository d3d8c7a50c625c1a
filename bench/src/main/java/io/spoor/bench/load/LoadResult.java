package io.spoor.bench.load;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** The figures of one load run, as a table for people and one JSON line for scripts. */
record LoadResult(
        LoadOptions options,
        int batchBytes,
        double seconds,
        double cpuWallSeconds,
        Recorder.Snapshot s,
        double loaderCpuSeconds,
        double serverCpuSeconds,
        long serverPeakRssBytes,
        long serverRssBytes,
        double serverAcceptedSpans,
        double storedSpans,
        double serverAcceptedSpansTotal,
        double serverDiskBytes,
        long dataDirApparentBytes,
        long dataDirDuBytes) {

    double spansPerSecond() {
        return s.okSpans() / seconds;
    }

    /** Server CPU per accepted span, the CPU sample interval scaled to the exact measurement window. */
    double serverMicrosPerSpan() {
        return s.okSpans() > 0 ? serverCpuSeconds / cpuWallSeconds * seconds * 1e6 / s.okSpans() : Double.NaN;
    }

    double bytesPerStoredSpan() {
        return dataDirApparentBytes >= 0 && storedSpans > 0 ? dataDirApparentBytes / storedSpans : Double.NaN;
    }

    double duBytesPerStoredSpan() {
        return dataDirDuBytes >= 0 && storedSpans > 0 ? dataDirDuBytes / storedSpans : Double.NaN;
    }

    /** Fallback when the server exposes no stored count: per span it ever accepted (duplicates included). */
    double bytesPerAcceptedSpan() {
        return dataDirApparentBytes >= 0 && serverAcceptedSpansTotal > 0 ? dataDirApparentBytes / serverAcceptedSpansTotal : Double.NaN;
    }

    String table() {
        StringBuilder b = new StringBuilder();
        LoadOptions o = options;
        b.append(String.format(Locale.ROOT, "%n== spoor-bench load: %s → %s:%d ==%n", o.protocol().label(), o.host(), o.port()));
        row(b, "connections × in flight", o.connections() + " × " + o.inFlight());
        row(b, "batch", String.format(Locale.ROOT, "%d spans, %.1f KiB", o.batchSpans(), batchBytes / 1024.0));
        row(b, "measured", String.format(Locale.ROOT, "%.1f s (after %d s warmup)", seconds, o.warmup().toSeconds()));
        row(b, "accepted spans/s", String.format(Locale.ROOT, "%,.0f", spansPerSecond()));
        row(b, "requests ok / refused / errors", s.ok() + " / " + s.refused() + " / " + s.errors());
        row(b, "accepted spans", String.format(Locale.ROOT, "%,d", s.okSpans()));
        if (s.refusedSpans() > 0) {
            row(b, "refused spans", String.format(Locale.ROOT, "%,d", s.refusedSpans()));
        }
        if (s.rejectedSpans() > 0) {
            row(b, "rejected spans (partial success)", String.format(Locale.ROOT, "%,d", s.rejectedSpans()));
        }
        row(b, "sent (accepted requests)", String.format(Locale.ROOT, "%.1f MiB/s", s.okBytes() / seconds / 1024 / 1024));
        row(b, "export latency p50 / p99 / max", ms(s.p50Nanos()) + " / " + ms(s.p99Nanos()) + " / " + ms(s.maxNanos()) + " ms");
        row(b, "loader CPU", String.format(Locale.ROOT, "%.1f s = %.2f cores", loaderCpuSeconds, loaderCpuSeconds / cpuWallSeconds));
        if (!Double.isNaN(serverCpuSeconds)) {
            row(b, "server CPU", String.format(Locale.ROOT, "%.1f s = %.2f cores (%.0f µs per span)", serverCpuSeconds,
                    serverCpuSeconds / cpuWallSeconds, serverMicrosPerSpan()));
        }
        if (serverPeakRssBytes >= 0) {
            row(b, "server peak RSS (VmHWM) / RSS now", mib(serverPeakRssBytes) + " / " + mib(serverRssBytes));
        }
        if (!Double.isNaN(serverAcceptedSpans)) {
            row(b, "server-counted accepted spans", String.format(Locale.ROOT, "%,.0f", serverAcceptedSpans));
        }
        if (dataDirApparentBytes >= 0) {
            row(b, "stored spans (metrics)", Double.isNaN(storedSpans) ? "unknown" : String.format(Locale.ROOT, "%,.0f", storedSpans));
            row(b, "data dir size (apparent / du)", mib(dataDirApparentBytes) + " / " + mib(dataDirDuBytes));
            if (!Double.isNaN(serverDiskBytes)) {
                row(b, "server-reported disk bytes", mib((long) serverDiskBytes));
            }
            if (!Double.isNaN(storedSpans)) {
                row(b, "bytes on disk per stored span", String.format(Locale.ROOT, "%.1f (du: %.1f)", bytesPerStoredSpan(), duBytesPerStoredSpan()));
            } else if (!Double.isNaN(bytesPerAcceptedSpan())) {
                row(b, "bytes on disk per accepted span", String.format(Locale.ROOT, "%.1f (no stored count exposed; per %,.0f spans the server accepted in its life)",
                        bytesPerAcceptedSpan(), serverAcceptedSpansTotal));
            }
        }
        for (Map.Entry<String, Long> e : s.notOkKinds().entrySet()) {
            row(b, "  not ok: " + e.getKey(), e.getValue().toString());
        }
        return b.toString();
    }

    String json() {
        StringJoiner j = new StringJoiner(",", "{", "}");
        LoadOptions o = options;
        j.add(q("protocol") + ":" + q(o.protocol().name().toLowerCase(Locale.ROOT)));
        j.add(q("target") + ":" + q(o.host() + ":" + o.port()));
        j.add(q("connections") + ":" + o.connections());
        j.add(q("in_flight") + ":" + o.inFlight());
        j.add(q("batch_spans") + ":" + o.batchSpans());
        j.add(q("batch_bytes") + ":" + batchBytes);
        j.add(q("warmup_s") + ":" + o.warmup().toMillis() / 1000.0);
        j.add(q("measured_s") + ":" + num(seconds));
        j.add(q("accepted_spans_per_s") + ":" + num(spansPerSecond()));
        j.add(q("accepted_spans") + ":" + s.okSpans());
        j.add(q("refused_spans") + ":" + s.refusedSpans());
        j.add(q("rejected_spans") + ":" + s.rejectedSpans());
        j.add(q("requests_ok") + ":" + s.ok());
        j.add(q("requests_refused") + ":" + s.refused());
        j.add(q("requests_error") + ":" + s.errors());
        j.add(q("latency_p50_ms") + ":" + num(s.p50Nanos() / 1e6));
        j.add(q("latency_p99_ms") + ":" + num(s.p99Nanos() / 1e6));
        j.add(q("latency_max_ms") + ":" + num(s.maxNanos() / 1e6));
        j.add(q("loader_cpu_s") + ":" + num(loaderCpuSeconds));
        j.add(q("loader_cores") + ":" + num(loaderCpuSeconds / cpuWallSeconds));
        j.add(q("server_cpu_s") + ":" + num(serverCpuSeconds));
        j.add(q("server_cores") + ":" + num(serverCpuSeconds / cpuWallSeconds));
        j.add(q("server_cpu_us_per_span") + ":" + num(serverMicrosPerSpan()));
        j.add(q("server_peak_rss_bytes") + ":" + (serverPeakRssBytes >= 0 ? serverPeakRssBytes : "null"));
        j.add(q("server_accepted_spans") + ":" + num(serverAcceptedSpans));
        j.add(q("stored_spans") + ":" + num(storedSpans));
        j.add(q("data_dir_bytes") + ":" + (dataDirApparentBytes >= 0 ? dataDirApparentBytes : "null"));
        j.add(q("server_disk_bytes") + ":" + num(serverDiskBytes));
        j.add(q("data_dir_du_bytes") + ":" + (dataDirDuBytes >= 0 ? dataDirDuBytes : "null"));
        j.add(q("bytes_per_stored_span") + ":" + num(bytesPerStoredSpan()));
        j.add(q("server_accepted_spans_total") + ":" + num(serverAcceptedSpansTotal));
        j.add(q("bytes_per_accepted_span") + ":" + num(bytesPerAcceptedSpan()));
        StringJoiner kinds = new StringJoiner(",", "{", "}");
        s.notOkKinds().forEach((k, v) -> kinds.add(q(k) + ":" + v));
        j.add(q("not_ok") + ":" + kinds);
        return j.toString();
    }

    private static void row(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "  %-34s %s%n", label, value));
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1024.0 / 1024.0);
    }

    private static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
