package io.spoor.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Scrapes the server's Prometheus endpoint and measures its data directory. */
final class ServerMetrics {

    static final String STORED_SPANS = "spoor_storage_stored_spans";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI url;

    ServerMetrics(URI url) {
        this.url = url;
    }

    /** The current exposition text, or null when the endpoint cannot be read. */
    String scrape() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Sum of every sample whose metric name matches, NaN when none does. Counters may be exposed with
     * or without the {@code _total} suffix: {@code sum(text, "x")} also matches {@code x_total}.
     */
    static double sum(String text, String name) {
        return sum(text, n -> n.equals(name) || n.equals(name + "_total"));
    }

    static double sum(String text, Predicate<String> nameMatches) {
        if (text == null) {
            return Double.NaN;
        }
        double total = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            if (!nameMatches.test(line.substring(0, end))) {
                continue;
            }
            int valueStart = line.charAt(end) == '{' ? line.indexOf("} ", end) + 2 : end + 1;
            if (valueStart < 2) {
                continue;
            }
            String[] rest = line.substring(valueStart).trim().split("\\s+");
            try {
                double v = Double.parseDouble(rest[0]);
                if (!Double.isNaN(v)) { // a gauge whose source is not wired yet reads NaN: treat as absent
                    total += v;
                    found = true;
                }
            } catch (NumberFormatException e) {
                // skip malformed sample
            }
        }
        return found ? total : Double.NaN;
    }

    static final String PENDING_SPANS = "spoor_storage_pending_spans";
    static final String DISK_BYTES = "spoor_storage_disk_bytes";

    /**
     * Spans written but not yet stored: {@code spoor_storage_pending_spans}, or failing that any
     * {@code spoor_*pending*} / queue gauge.
     */
    static double pending(String text) {
        double exact = sum(text, PENDING_SPANS);
        if (!Double.isNaN(exact)) {
            return exact;
        }
        return sum(text, n -> n.startsWith("spoor_") && (n.contains("pending") || n.contains("queue_size")
                || n.contains("queued")) && !n.endsWith("_max") && !n.endsWith("_capacity"));
    }

    /**
     * Waits (at most {@code timeout}) until the server's writes have settled: {@code spoor_storage_pending_spans}
     * is 0 and {@code spoor_storage_stored_spans} has stopped moving; when the server exposes no stored
     * count (absent or NaN), until the data directory's size has been unchanged for two seconds.
     */
    Drained awaitDrained(Path dataDir, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        double lastStored = Double.NaN;
        long lastSize = -1;
        int stable = 0;
        while (true) {
            String text = scrape();
            double stored = sum(text, STORED_SPANS);
            double pending = pending(text);
            boolean drained;
            if (!Double.isNaN(stored)) {
                stable = stored == lastStored ? stable + 1 : 0;
                lastStored = stored;
                drained = Double.isNaN(pending) ? stable >= 4 : pending == 0 && stable >= 1;
            } else {
                long size = apparentBytes(dataDir);
                stable = size == lastSize ? stable + 1 : 0;
                lastSize = size;
                drained = stable >= 4;
            }
            if (drained || System.nanoTime() > deadline) {
                return new Drained(stored, sum(text, DISK_BYTES), sum(text, "spoor_receiver_accepted_spans"), drained);
            }
            sleep(500);
        }
    }

    /**
     * Once settled: stored spans, the server's own disk-bytes gauge and its lifetime accepted-span count
     * (NaN where not exposed).
     */
    record Drained(double storedSpans, double diskBytes, double acceptedSpansTotal, boolean drained) {
    }

    /** Apparent size (sum of file lengths) of everything under {@code dir}. */
    static long apparentBytes(Path dir) {
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE; // files come and go while a storage engine merges
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total[0];
    }

    /** Allocated size as {@code du -sB1} reports it, or -1 when du is unavailable. */
    static long duBytes(Path dir) {
        try {
            Process p = new ProcessBuilder("du", "-sB1", dir.toString()).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(60, TimeUnit.SECONDS)) {
                return Long.parseLong(out.split("\\s+")[0]);
            }
            p.destroy();
        } catch (IOException | RuntimeException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
