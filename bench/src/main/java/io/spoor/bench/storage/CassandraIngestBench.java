package io.spoor.bench.storage;

import com.sun.management.OperatingSystemMXBean;
import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import io.spoor.storage.cassandra.CassandraSchema;
import io.spoor.storage.cassandra.CassandraSpanStore;
import io.spoor.storage.cassandra.CassandraStoreSettings;
import io.spoor.storage.cassandra.Sessions;
import io.spoor.testing.cassandra.CassandraNode;
import io.spoor.testing.cassandra.ProcStat;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The Cassandra engine into one local Cassandra node: the figures without the network receivers.
 *
 * <ol>
 *   <li>starts a node (cassandra-all from this build, JDK 17, {@code --heap-mb}, JMX for nodetool) unless
 *       {@code --contact host:port --cassandra-pid PID --cassandra-data DIR} name a running one;</li>
 *   <li>writes {@code --spans} demo-like spans (StorageIngestBench's generator, spans of a trace spread over
 *       {@code --fragments} batches, data as dense in time as {@code --data-rate} spans/s) from two writer threads
 *       with up to {@code --in-flight} batches outstanding, as fast as Cassandra acknowledges them (or at
 *       {@code --rate} spans/s);</li>
 *   <li>reports acknowledged spans/s, Cassandra's own CPU per span (/proc/PID/stat), the engine's CPU per span
 *       (this process minus the generator thread), then {@code nodetool flush} and the keyspace's bytes on disk per
 *       span, per table;</li>
 *   <li>measures trace-by-id and search latencies (p50/p99/max) on what is stored.</li>
 * </ol>
 *
 * <pre>
 * java -Xmx4g -cp bench/target/spoor-bench.jar io.spoor.bench.storage.CassandraIngestBench \
 *   [--spans 2000000] [--batch 1000] [--fragments 3] [--data-rate 20000] [--rate 0] [--in-flight 8]
 *   [--heap-mb 2048] [--consistency LOCAL_QUORUM] [--max-seconds 600] [--traces 2000] [--searches 50]
 *   [--contact 127.0.0.1:9042 --cassandra-pid PID --cassandra-data DIR --jmx-port 7199]
 * </pre>
 */
public final class CassandraIngestBench {
    private static final long MS = 1_000_000L;

    public static void main(String[] args) throws Exception {
        int spans = intArg(args, "--spans", 2_000_000);
        int batchSize = intArg(args, "--batch", 1000);
        int fragments = intArg(args, "--fragments", 3);
        int dataRate = intArg(args, "--data-rate", 20_000);
        int rate = intArg(args, "--rate", 0);
        int inFlightBatches = intArg(args, "--in-flight", 8);
        int maxSeconds = intArg(args, "--max-seconds", 600);
        int traceReads = intArg(args, "--traces", 2000);
        int searches = intArg(args, "--searches", 50);
        String consistency = arg(args, "--consistency", "LOCAL_QUORUM");
        String contact = arg(args, "--contact", null);

        CassandraNode node = null;
        InetSocketAddress address;
        long cassandraPid;
        Path dataDir;
        int jmxPort = intArg(args, "--jmx-port", 7199);
        if (contact == null) {
            System.out.printf("starting a Cassandra node (heap %d MB)...%n", intArg(args, "--heap-mb", 2048));
            node = CassandraNode.start(CassandraNode.Settings.forTests().withHeapMb(intArg(args, "--heap-mb", 2048))
                    .withJmxPort(jmxPort));
            address = node.contactPoint();
            cassandraPid = node.pid();
            dataDir = node.dataDirectory();
        } else {
            String[] hp = contact.split(":");
            address = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
            cassandraPid = Long.parseLong(arg(args, "--cassandra-pid", "0"));
            dataDir = Path.of(arg(args, "--cassandra-data", "/nonexistent"));
        }
        try {
            run(node, address, cassandraPid, dataDir, spans, batchSize, fragments, dataRate, rate, inFlightBatches,
                    maxSeconds, traceReads, searches, consistency);
        } finally {
            if (node != null) {
                node.close();
            }
        }
    }

    private static void run(CassandraNode node, InetSocketAddress address, long pid, Path dataDir, int spans,
                            int batchSize, int fragments, int dataRate, int rate, int inFlightBatches,
                            int maxSeconds, int traceReads, int searches, String consistency) throws Exception {
        String keyspace = "spoor_bench_" + System.currentTimeMillis() % 100_000;
        CassandraStoreSettings settings = CassandraStoreSettings.defaults().withContactPoints(List.of(address))
                .withKeyspace(keyspace).withConsistency(consistency).withCreateSchema(true)
                .withMaxInFlightWrites(1024).withRequestTimeout(Duration.ofSeconds(10));
        System.out.println(settings);
        try (CassandraSpanStore store = CassandraSpanStore.open(settings)) {
            StreamingBatches source = new StreamingBatches(spans, batchSize, fragments, dataRate);
            BlockingQueue<List<Span>> queue = new ArrayBlockingQueue<>(64);
            Thread generator = new Thread(() -> source.fill(queue), "generator");
            generator.setDaemon(true);
            generator.start();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            Thread.sleep(2000); // let the generator get ahead
            long cass0 = pid > 0 ? ProcStat.cpuNanos(pid) : 0;
            long proc0 = os.getProcessCpuTime();
            long gen0 = threads.getThreadCpuTime(generator.getId());
            long t0 = System.nanoTime();
            long deadline = t0 + TimeUnit.SECONDS.toNanos(maxSeconds);
            Semaphore inFlight = new Semaphore(inFlightBatches);
            AtomicLong acked = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicLong sent = new AtomicLong();
            List<CompletableFuture<Void>> last = new ArrayList<>();
            Runnable writer = () -> {
                try {
                    while (System.nanoTime() < deadline) {
                        List<Span> batch = queue.poll(5, TimeUnit.SECONDS);
                        if (batch == null || batch.isEmpty()) {
                            return;
                        }
                        if (rate > 0) {
                            long due = t0 + (long) (sent.get() * 1e9 / rate);
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                            }
                        }
                        sent.addAndGet(batch.size());
                        inFlight.acquire();
                        CompletableFuture<Void> f = store.write(batch).whenComplete((v, e) -> {
                            inFlight.release();
                            (e == null ? acked : failed).addAndGet(batch.size());
                        });
                        synchronized (last) {
                            last.add(f);
                            if (last.size() > 1000) {
                                last.subList(0, 500).clear();
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            Thread w1 = new Thread(writer, "writer-1");
            Thread w2 = new Thread(writer, "writer-2");
            w1.start();
            w2.start();
            long reportAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (w1.isAlive() || w2.isAlive()) {
                w1.join(200);
                if (System.nanoTime() > reportAt) {
                    System.out.printf("  %,d spans acknowledged, %.0f s%n", acked.get(), (System.nanoTime() - t0) / 1e9);
                    reportAt += TimeUnit.SECONDS.toNanos(10);
                }
            }
            w2.join();
            inFlight.acquire(inFlightBatches); // every write answered
            long t1 = System.nanoTime();
            long cass1 = pid > 0 ? ProcStat.cpuNanos(pid) : 0;
            long engineCpu = os.getProcessCpuTime() - proc0 - (threads.getThreadCpuTime(generator.getId()) - gen0);
            double secs = (t1 - t0) / 1e9;
            long n = acked.get();
            System.out.printf("%nwrite: %,d spans acknowledged (%,d failed) in %.1f s = %,.0f spans/s%n", n,
                    failed.get(), secs, n / secs);
            if (pid > 0) {
                System.out.printf("Cassandra CPU while writing: %.1f s = %.1f µs/span (%.2f cores)%n",
                        (cass1 - cass0) / 1e9, (cass1 - cass0) / 1e3 / n, (cass1 - cass0) / 1e9 / secs);
            }
            System.out.printf("engine CPU (this JVM without the generator): %.1f s = %.1f µs/span%n",
                    engineCpu / 1e9, engineCpu / 1e3 / n);

            if (node != null) {
                long f0 = ProcStat.cpuNanos(pid);
                node.nodetool("flush", keyspace);
                System.out.printf("nodetool flush: Cassandra CPU %.1f µs/span%n", (ProcStat.cpuNanos(pid) - f0) / 1e3 / n);
            } else {
                System.out.println("(external node: run `nodetool flush " + keyspace + "` before reading disk figures)");
            }
            diskPerSpan(dataDir.resolve(keyspace), n);

            readLatencies(store, source, traceReads, searches);
        }
    }

    private static void diskPerSpan(Path keyspaceDir, long spans) throws Exception {
        if (!Files.isDirectory(keyspaceDir)) {
            System.out.println("disk: " + keyspaceDir + " not found");
            return;
        }
        long total = 0;
        StringBuilder tables = new StringBuilder();
        try (Stream<Path> dirs = Files.list(keyspaceDir)) {
            for (Path t : dirs.sorted().toList()) {
                long size;
                try (Stream<Path> files = Files.walk(t)) {
                    size = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
                }
                total += size;
                if (size > 0) {
                    tables.append(String.format(" %s %.1f", t.getFileName().toString().replaceAll("-[0-9a-f]+$", ""),
                            (double) size / spans));
                }
            }
        }
        System.out.printf("Cassandra disk (SSTables after flush): %,d bytes = %.1f B/span; per table B/span:%s%n",
                total, (double) total / spans, tables);
    }

    private static void readLatencies(CassandraSpanStore store, StreamingBatches source, int traceReads, int searches) {
        Random r = new Random(3);
        List<TraceId> ids = source.sampledTraceIds();
        long[] lat = new long[Math.min(traceReads, ids.size())];
        for (int i = 0; i < lat.length; i++) {
            TraceId id = ids.get(r.nextInt(ids.size()));
            long s = System.nanoTime();
            store.trace(id, TimeWindow.ALL);
            lat[i] = System.nanoTime() - s;
        }
        System.out.println("trace by id:       " + percentiles(lat));
        long end = source.lastStart();
        TimeWindow lastHour = new TimeWindow(end - Duration.ofHours(1).toNanos(), end);
        List<long[]> all = new ArrayList<>();
        String[] names = {"service, last hour", "service + operation, last hour", "tag http.status_code=500, all",
                "service, duration >= 200 ms, all", "tag user.id (high cardinality), all", "no criteria, last hour"};
        for (int shape = 0; shape < names.length; shape++) {
            long[] l = new long[searches];
            int found = 0;
            for (int i = 0; i < searches; i++) {
                int service = r.nextInt(20);
                String svc = StorageIngestBench.serviceName(service);
                TraceQuery q = switch (shape) {
                    case 0 -> query(Optional.of(svc), Optional.empty(), List.of(), 0, lastHour);
                    case 1 -> query(Optional.of(svc), Optional.of(StorageIngestBench.opName(service, r.nextInt(10))),
                            List.of(), 0, lastHour);
                    case 2 -> query(Optional.empty(), Optional.empty(),
                            List.of(new TraceQuery.Tag("http.status_code", "500")), 0, TimeWindow.ALL);
                    case 3 -> query(Optional.of(svc), Optional.empty(), List.of(), 200 * MS, TimeWindow.ALL);
                    case 4 -> query(Optional.empty(), Optional.empty(),
                            List.of(new TraceQuery.Tag("user.id", "user-" + r.nextInt(1_000_000))), 0,
                            TimeWindow.ALL);
                    default -> query(Optional.empty(), Optional.empty(), List.of(), 0, lastHour);
                };
                long s = System.nanoTime();
                found += store.findTraces(q).size();
                l[i] = System.nanoTime() - s;
            }
            all.add(l);
            System.out.printf("search %-36s %s (%.1f traces per answer)%n", names[shape] + ":", percentiles(l),
                    (double) found / searches);
        }
        System.out.println("search, all shapes: " + percentiles(all.stream().flatMapToLong(Arrays::stream).toArray()));
    }

    private static TraceQuery query(Optional<String> service, Optional<String> op, List<TraceQuery.Tag> tags,
                                    long minDuration, TimeWindow w) {
        return new TraceQuery(service, op, tags, minDuration, Long.MAX_VALUE, w, 20);
    }

    private static String percentiles(long[] nanos) {
        long[] c = nanos.clone();
        Arrays.sort(c);
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", c[c.length / 2] / 1e6,
                c[Math.min(c.length - 1, (int) Math.ceil(c.length * 0.99) - 1)] / 1e6, c[c.length - 1] / 1e6,
                c.length);
    }

    /** StorageIngestBench's traces, made batch by batch so that ten million spans need not fit in memory. */
    static final class StreamingBatches {
        private final StorageIngestBench.Generator gen = new StorageIngestBench.Generator(42);
        private final int total;
        private final int batchSize;
        private final int fragments;
        private final long first;
        private final long gap;
        private final List<TraceId> sample = new ArrayList<>();
        private volatile long lastStart;

        StreamingBatches(int total, int batchSize, int fragments, int dataRate) {
            this.total = total;
            this.batchSize = batchSize;
            this.fragments = fragments;
            // as dense in time as a service sending dataRate spans/s, ending now
            long span = (long) (total / (double) dataRate * 1e9);
            this.first = System.currentTimeMillis() * MS - span;
            this.gap = Math.max(1, span / Math.max(1, total / 22));
        }

        void fill(BlockingQueue<List<Span>> out) {
            List<List<Span>> open = new ArrayList<>();
            for (int i = 0; i < fragments; i++) {
                open.add(new ArrayList<>(batchSize));
            }
            Random pick = new Random(7);
            int produced = 0;
            try {
                for (int t = 0; produced < total; t++) {
                    long start = first + t * gap;
                    List<Span> trace = gen.trace(start);
                    lastStart = start;
                    if (t % 50 == 0) {
                        synchronized (sample) {
                            sample.add(trace.get(0).traceId());
                        }
                    }
                    produced += trace.size();
                    for (Span s : trace) {
                        open.get(pick.nextInt(fragments)).add(s);
                    }
                    if (open.get(0).size() >= batchSize) {
                        out.put(open.remove(0));
                        open.add(new ArrayList<>(batchSize));
                    }
                    if (gen.traceIds.size() > 10_000) {
                        gen.traceIds.clear(); // the generator remembers ids; we keep a sample instead
                    }
                }
                for (List<Span> b : open) {
                    if (!b.isEmpty()) {
                        out.put(b);
                    }
                }
                out.put(List.of()); // end
                out.put(List.of());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        List<TraceId> sampledTraceIds() {
            synchronized (sample) {
                return new ArrayList<>(sample);
            }
        }

        long lastStart() {
            return lastStart;
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
}
