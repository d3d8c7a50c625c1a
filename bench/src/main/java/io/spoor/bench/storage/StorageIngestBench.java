package io.spoor.bench.storage;

import com.sun.management.OperatingSystemMXBean;
import io.spoor.model.Attribute;
import io.spoor.model.AttributeValue;
import io.spoor.model.Attributes;
import io.spoor.model.InstrumentationScope;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanKind;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.StorageStats;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import io.spoor.storage.lucene.LuceneSpanStore;
import io.spoor.storage.lucene.LuceneStoreSettings;
import io.spoor.storage.lucene.StoredFieldsCompression;
import io.spoor.spanlog.wal.FsyncPolicy;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import java.util.stream.Stream;

/**
 * Storage-only benchmark of the embedded engine: pre-generates demo-like traces (20 services × 10 operations, 5–40
 * spans per trace, ~12 attributes incl. resource, 2 % errors, half with an exception event), writes them in batches
 * from two threads, then measures disk use and read latencies on the re-opened store.
 *
 * <p>Spans of one trace are spread over {@code --fragments} consecutive batches (default 3), as when several services
 * export a trace's spans separately and the pipeline batches them by time.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx12g \
 *   -cp bench/target/spoor-bench.jar io.spoor.bench.storage.StorageIngestBench \
 *   [--spans 3000000] [--batch 1000] [--fragments 3] [--fsync interval|none|every_batch] [--compression fast|small]
 *   [--refresh-ms 500] [--ram-mb 64] [--dir /tmp/spoor-bench] [--max-seconds 60] [--rate spans-per-second]
 * </pre>
 */
public final class StorageIngestBench {
    private static final long MS = 1_000_000L;
    private static final int SERVICES = 20;
    private static final int OPS = 10;
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
    private static final String[] DBS = {"postgresql", "redis", "mongodb", "none"};

    public static void main(String[] args) throws Exception {
        int spans = intArg(args, "--spans", 3_000_000);
        int batchSize = intArg(args, "--batch", 1000);
        int fragments = intArg(args, "--fragments", 3);
        int maxSeconds = intArg(args, "--max-seconds", 60);
        // 0 = as fast as possible. A fixed rate makes CPU per span comparable across engines of different speed:
        // refreshes happen per unit of time, so their cost per span falls as throughput rises.
        int rate = intArg(args, "--rate", 0);
        FsyncPolicy fsync = FsyncPolicy.valueOf(arg(args, "--fsync", "interval").toUpperCase());
        StoredFieldsCompression compression =
                StoredFieldsCompression.valueOf(arg(args, "--compression", "fast").toUpperCase());
        Path dir = Path.of(arg(args, "--dir", "/tmp/spoor-storage-bench"));
        deleteRecursively(dir);

        System.out.printf("generating %,d spans (batch %d, %d fragments per trace)...%n", spans, batchSize, fragments);
        Generator gen = new Generator(42);
        List<List<Span>> batches = gen.batches(spans, batchSize, fragments);
        int total = batches.stream().mapToInt(List::size).sum();
        System.out.printf("%,d spans in %,d traces, %,d batches; 24 h of simulated time%n", total, gen.traceIds.size(),
                batches.size());

        LuceneStoreSettings settings = LuceneStoreSettings.defaults(dir).withFsyncPolicy(fsync)
                .withCompression(compression)
                .withRefreshInterval(java.time.Duration.ofMillis(intArg(args, "--refresh-ms", 500)))
                .withRamBufferMb(intArg(args, "--ram-mb", 64));
        System.out.println(settings);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.gc();

        LuceneSpanStore ingestStore = LuceneSpanStore.open(settings);
        LuceneSpanStore store = ingestStore;
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        Semaphore inFlight = new Semaphore(16);
        long deadline = t0 + maxSeconds * 1_000_000_000L;
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        int[] written = new int[1];
        Runnable writer = () -> {
            int i;
            while ((i = next.getAndIncrement()) < batches.size() && System.nanoTime() < deadline) {
                if (rate > 0) {
                    long due = t0 + (long) ((double) i * batchSize * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                inFlight.acquireUninterruptibly();
                CompletableFuture<Void> f = ingestStore.write(batches.get(i));
                f.whenComplete((v, e) -> inFlight.release());
                synchronized (futures) {
                    futures.add(f);
                    written[0] += batches.get(i).size();
                }
            }
        };
        Thread w1 = new Thread(writer);
        Thread w2 = new Thread(writer);
        w1.start();
        w2.start();
        w1.join();
        w2.join();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        long tAcked = System.nanoTime();
        long cpuAcked = os.getProcessCpuTime();
        while (store.stats().pendingSpans() > 0) {
            Thread.sleep(5);
        }
        long tIndexed = System.nanoTime();
        long cpuIndexed = os.getProcessCpuTime();
        int n = written[0];
        double ackedSecs = (tAcked - t0) / 1e9;
        double indexedSecs = (tIndexed - t0) / 1e9;
        System.out.printf("write (acknowledged): %,d spans in %.2f s = %,.0f spans/s; process CPU %.1f s = %.2f µs/span%n",
                n, ackedSecs, n / ackedSecs, (cpuAcked - cpu0) / 1e9, (cpuAcked - cpu0) / 1e3 / n);
        System.out.printf("write (indexed):      %,d spans in %.2f s = %,.0f spans/s; process CPU %.1f s = %.2f µs/span"
                        + " (%,.0f spans per CPU-second)%n", n, indexedSecs, n / indexedSecs, (cpuIndexed - cpu0) / 1e9,
                (cpuIndexed - cpu0) / 1e3 / n, n / ((cpuIndexed - cpu0) / 1e9));
        StorageStats beforeClose = store.stats();
        long tClose = System.nanoTime();
        store.close(); // commits
        System.out.printf("close (commit): %.2f s; before close: %s%n", (System.nanoTime() - tClose) / 1e9, beforeClose);

        long tOpen = System.nanoTime();
        store = LuceneSpanStore.open(settings);
        System.out.printf("reopen: %.2f s%n", (System.nanoTime() - tOpen) / 1e9);
        StorageStats stats = store.stats();
        System.out.printf("on disk after commit: %,d bytes = %.1f B/span (index %.1f MB, log %.1f MB); stored spans %,d%n",
                stats.diskBytes(), stats.diskBytes() / (double) n, (stats.diskBytes() - store.walBytes()) / 1e6,
                store.walBytes() / 1e6, stats.storedSpans());

        Random r = new Random(7);
        List<TraceId> ids = gen.traceIds.subList(0, Math.min(gen.traceIds.size(), n / 22));
        LuceneSpanStore s = store;
        report("trace by id", 200, 1000, () -> {
            TraceId id = ids.get(r.nextInt(ids.size()));
            Optional<?> t = s.trace(id, TimeWindow.ALL);
            if (t.isEmpty()) {
                throw new IllegalStateException("missing trace " + id);
            }
        });
        long first = gen.firstStart;
        long span = Math.max(1, gen.lastStart(ids.size()) - first - 3_600_000 * MS);
        report("search A: service+operation+minDuration, 1 h window, limit 20", 20, 100, () -> {
            long ws = first + (long) (r.nextDouble() * span);
            int svc = r.nextInt(SERVICES);
            long[] mins = {5 * MS, 10 * MS, 20 * MS, 50 * MS};
            s.findTraces(new TraceQuery(Optional.of(serviceName(svc)), Optional.of(opName(svc, r.nextInt(OPS))),
                    List.of(), mins[r.nextInt(4)], Long.MAX_VALUE, new TimeWindow(ws, ws + 3_600_000 * MS), 20));
        });
        report("search B: tag http.status_code=500, 1 h window, limit 20", 20, 100, () -> {
            long ws = first + (long) (r.nextDouble() * span);
            s.findTraces(new TraceQuery(Optional.empty(), Optional.empty(),
                    List.of(new TraceQuery.Tag("http.status_code", "500")), 0, Long.MAX_VALUE,
                    new TimeWindow(ws, ws + 3_600_000 * MS), 20));
        });
        report("search C: service only, no window, limit 20", 20, 100, () -> {
            List<TraceSummary> found = s.findTraces(new TraceQuery(Optional.of(serviceName(r.nextInt(SERVICES))),
                    Optional.empty(), List.of(), 0, Long.MAX_VALUE, TimeWindow.ALL, 20));
            if (found.size() != 20) {
                throw new IllegalStateException("expected 20 traces, got " + found.size());
            }
        });
        report("search D: user.id tag (rare), no window, limit 20", 20, 100, () ->
                s.findTraces(new TraceQuery(Optional.empty(), Optional.empty(),
                        List.of(new TraceQuery.Tag("user.id", "user-" + r.nextInt(1_000_000))), 0, Long.MAX_VALUE,
                        TimeWindow.ALL, 20)));
        store.close();
        deleteRecursively(dir);
    }

    private static void report(String name, int warmup, int runs, Runnable query) {
        for (int i = 0; i < warmup; i++) {
            query.run();
        }
        long[] t = new long[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            query.run();
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        System.out.printf("%-62s p50 %7.3f ms  p99 %7.3f ms  (n=%d)%n", name, t[runs / 2] / 1e6,
                t[(int) Math.ceil(runs * 0.99) - 1] / 1e6, runs);
    }

    static String serviceName(int i) {
        return "service-" + i;
    }

    static String opName(int svc, int op) {
        return "op-" + svc + "-" + op;
    }

    /** Deterministic trace shapes close to the bake-off's data set. */
    static final class Generator {
        final Random r;
        final Resource[] resources = new Resource[SERVICES];
        final InstrumentationScope scope = new InstrumentationScope("io.opentelemetry.spring-webmvc-6.0", "2.10.0",
                Attributes.EMPTY);
        final List<TraceId> traceIds = new ArrayList<>();
        final long firstStart = 1_900_000_000_000_000_000L;
        long rootGap;

        Generator(long seed) {
            r = new Random(seed);
            for (int i = 0; i < SERVICES; i++) {
                resources[i] = new Resource(Attributes.of(Resource.SERVICE_NAME, serviceName(i), "service.version",
                        "1." + i + ".0", "host.name", "host-" + (i % 7), "cloud.region", i % 2 == 0 ? "eu-west-1"
                                : "us-east-1", "telemetry.sdk.language", "java"), "");
            }
        }

        long lastStart(int traces) {
            return firstStart + traces * rootGap;
        }

        List<List<Span>> batches(int totalSpans, int batchSize, int fragmentsPerTrace) {
            int expectedTraces = totalSpans / 22;
            rootGap = 86_400_000L * MS / Math.max(1, expectedTraces);
            List<List<Span>> batches = new ArrayList<>();
            // spans wait in one of `fragmentsPerTrace` open batches; the oldest is emitted when it is full
            List<List<Span>> open = new ArrayList<>();
            for (int i = 0; i < fragmentsPerTrace; i++) {
                open.add(new ArrayList<>(batchSize));
            }
            int produced = 0;
            for (int t = 0; produced < totalSpans; t++) {
                List<Span> trace = trace(firstStart + t * rootGap);
                produced += trace.size();
                for (Span s : trace) {
                    open.get(r.nextInt(fragmentsPerTrace)).add(s);
                }
                if (open.get(0).size() >= batchSize) {
                    batches.add(open.remove(0));
                    open.add(new ArrayList<>(batchSize));
                }
            }
            for (List<Span> b : open) {
                if (!b.isEmpty()) {
                    batches.add(b);
                }
            }
            return batches;
        }

        List<Span> trace(long rootStart) {
            TraceId id = new TraceId(r.nextLong(), r.nextLong());
            traceIds.add(id);
            int n = 5 + r.nextInt(36);
            List<Span> spans = new ArrayList<>(n);
            long[] starts = new long[n];
            long[] durations = new long[n];
            int[] services = new int[n];
            int[] parents = new int[n];
            boolean error = r.nextInt(50) == 0;
            for (int i = 0; i < n; i++) {
                int parent = i == 0 ? -1 : r.nextInt(i);
                parents[i] = parent;
                int svc = i == 0 ? r.nextInt(SERVICES) : r.nextInt(4) == 0 ? services[parent] : r.nextInt(SERVICES);
                long dur;
                long start;
                if (i == 0) {
                    dur = logNormal(40 * MS, 1.0);
                    start = rootStart;
                } else {
                    dur = Math.min(logNormal(5 * MS, 1.2), durations[parent]);
                    start = starts[parent] + (long) (r.nextDouble() * Math.max(1, durations[parent] - dur));
                }
                starts[i] = start;
                durations[i] = dur;
                services[i] = svc;
                boolean spanError = error && (i == n - 1 || i == 0);
                int op = r.nextInt(OPS);
                List<Attribute> attrs = new ArrayList<>(10);
                attrs.add(new Attribute("http.method", AttributeValue.of(METHODS[op % 4])));
                attrs.add(new Attribute("http.route", AttributeValue.of("/api/v1/" + serviceName(svc) + "/r" + op)));
                attrs.add(new Attribute("http.status_code", AttributeValue.of(spanError ? (r.nextBoolean() ? 500L
                        : 503L) : new long[] {200, 200, 200, 201, 404}[r.nextInt(5)])));
                attrs.add(new Attribute("db.system", AttributeValue.of(DBS[svc % 4])));
                attrs.add(new Attribute("user.id", AttributeValue.of("user-" + r.nextInt(1_000_000))));
                attrs.add(new Attribute("net.peer.name", AttributeValue.of(serviceName(r.nextInt(SERVICES)) + ".svc")));
                attrs.add(new Attribute("thread.name", AttributeValue.of("http-nio-8080-exec-" + r.nextInt(200))));
                attrs.add(new Attribute("net.peer.port", AttributeValue.of(8080L + svc)));
                if (r.nextInt(4) == 0) {
                    attrs.add(new Attribute("request.size", AttributeValue.of((long) r.nextInt(100_000))));
                }
                List<SpanEvent> events = List.of();
                if (spanError && r.nextBoolean()) {
                    events = List.of(new SpanEvent(start + dur / 2, SpanEvent.EXCEPTION, Attributes.of(
                            "exception.type", "java.io.IOException", "exception.message", "connection reset by peer",
                            "exception.stacktrace", "java.io.IOException: connection reset by peer\n\tat "
                                    + "io.demo.Client.call(Client.java:42)\n\tat io.demo.Handler.handle(Handler.java:17)"
                                    + "\n\tat io.demo.Server.run(Server.java:88)"), 0));
                }
                spans.add(Span.builder(id, r.nextLong() | 1)
                        .kind(i == 0 ? SpanKind.SERVER : SpanKind.fromWire(1 + r.nextInt(3)))
                        .name(opName(svc, op))
                        .startEpochNanos(start)
                        .endEpochNanos(start + dur)
                        .attributes(new Attributes(attrs))
                        .events(events)
                        .status(spanError ? new Status(StatusCode.ERROR, "failed") : Status.UNSET)
                        .resource(resources[svc])
                        .scope(scope)
                        .flags(0x101)
                        .build());
            }
            // parents by index; rewrite parent ids now that span ids exist
            List<Span> linked = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long parentId = i == 0 ? 0 : spans.get(parents[i]).spanId();
                linked.add(spans.get(i).toBuilder().parentSpanId(parentId).build());
            }
            return linked;
        }

        private long logNormal(long median, double sigma) {
            return Math.max(1000, (long) (median * Math.exp(sigma * r.nextGaussian())));
        }
    }

    private static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }

    private static int intArg(String[] args, String name, int dflt) {
        return Integer.parseInt(arg(args, name, Integer.toString(dflt)));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

}
