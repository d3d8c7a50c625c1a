package io.spoor.bench.load;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** {@code spoor-bench load}: pre-encode a pool of OTLP batches, replay it, report. */
public final class LoadCommand {

    private LoadCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        LoadOptions o;
        try {
            o = LoadOptions.parse(args);
        } catch (LoadOptions.UsageException e) {
            if (e.getMessage() != null) {
                err.println("spoor-bench load: " + e.getMessage());
            }
            err.print(LoadOptions.USAGE);
            return e.getMessage() == null ? 0 : 2;
        }
        if (o.serverPid() > 0 && !ProcessStats.alive(o.serverPid())) {
            err.println("spoor-bench load: no process " + o.serverPid() + " in /proc");
            return 2;
        }

        // 1. pre-encode the pool: all protobuf building happens here, never per send
        long t0 = System.nanoTime();
        long now = System.currentTimeMillis() * 1_000_000L;
        ShopTraceGenerator generator = new ShopTraceGenerator(o.seed(), o.errorShare());
        List<PreEncodedBatch> pool = new ArrayList<>(o.poolSize());
        long encodedBytes = 0;
        for (int i = 0; i < o.poolSize(); i++) {
            byte[] message = generator.batch(o.batchSpans(), now).toByteArray();
            if (o.protocol() == LoadOptions.Protocol.ZIPKIN) {
                // the same generated spans, as Zipkin v2 JSON (OpenTelemetry's OTLP → Zipkin mapping)
                List<io.spoor.model.Span> spans = io.spoor.protocol.otlp.OtlpTraceDecoder.decodeProtobuf(message)
                        .spans();
                byte[] json = io.spoor.protocol.zipkin.ZipkinEncoder.encodeJson(spans);
                encodedBytes += json.length;
                pool.add(PreEncodedBatch.ofZipkinJson(json, spans.size(), now));
                continue;
            }
            encodedBytes += message.length;
            pool.add(PreEncodedBatch.of(message, o.protocol() == LoadOptions.Protocol.GRPC, now));
        }
        selfCheck(pool.get(0), o);
        double encodeMs = (System.nanoTime() - t0) / 1e6;
        double traces = generator.traces();
        err.printf("pre-encoded %d batches of %d spans in %.0f ms: %.1f KiB/batch, %.1f spans/trace, %.1f%% error traces%n",
                o.poolSize(), o.batchSpans(), encodeMs, encodedBytes / 1024.0 / o.poolSize(),
                generator.spans() / traces, 100.0 * generator.errorTraces() / traces);
        err.printf("%s → %s:%d, %d connections × %d in flight, warmup %ds, measuring %ds%n",
                o.protocol().label(), o.host(), o.port(), o.connections(), o.inFlight(),
                o.warmup().toSeconds(), o.duration().toSeconds());

        ServerMetrics metrics = o.metricsUrl() == null ? null : new ServerMetrics(o.metricsUrl());

        // 2. replay
        long[] loaderCpu = new long[2];
        long[] serverCpu = new long[2];
        long[] wall = new long[2];
        String[] scrapes = new String[2];
        LoadRunner runner = new LoadRunner(o, pool);
        Recorder recorder = runner.run(o.warmup().toNanos(), o.duration().toNanos(),
                () -> {
                    wall[0] = System.nanoTime();
                    loaderCpu[0] = ProcessStats.selfCpuNanos();
                    serverCpu[0] = o.serverPid() > 0 ? ProcessStats.cpuNanos(o.serverPid()) : -1;
                    scrapes[0] = metrics == null ? null : metrics.scrape();
                },
                () -> {
                    wall[1] = System.nanoTime();
                    loaderCpu[1] = ProcessStats.selfCpuNanos();
                    serverCpu[1] = o.serverPid() > 0 ? ProcessStats.cpuNanos(o.serverPid()) : -1;
                    scrapes[1] = metrics == null ? null : metrics.scrape();
                });
        Recorder.Snapshot s = recorder.snapshot();
        // throughput uses the recorder's exact window; CPU figures the interval between their two samples
        double seconds = o.duration().toNanos() / 1e9;
        double cpuWallSeconds = (wall[1] - wall[0]) / 1e9;

        // 3. server-side figures
        long peakRss = o.serverPid() > 0 ? ProcessStats.statusBytes(o.serverPid(), "VmHWM") : -1;
        long rss = o.serverPid() > 0 ? ProcessStats.statusBytes(o.serverPid(), "VmRSS") : -1;
        double serverAccepted = Double.NaN;
        if (scrapes[0] != null && scrapes[1] != null) {
            serverAccepted = ServerMetrics.sum(scrapes[1], "spoor_receiver_accepted_spans")
                    - ServerMetrics.sum(scrapes[0], "spoor_receiver_accepted_spans");
        }
        ServerMetrics.Drained drained = new ServerMetrics.Drained(Double.NaN, Double.NaN, Double.NaN, false);
        long apparent = -1;
        long du = -1;
        if (metrics != null && o.dataDir() != null) {
            err.println("waiting for the server's pending writes to drain…");
            long d0 = System.nanoTime();
            drained = metrics.awaitDrained(o.dataDir(), o.drainTimeout());
            err.printf("%s after %.1f s%s%n", drained.drained() ? "settled" : "NOT settled (timeout)",
                    (System.nanoTime() - d0) / 1e9, Double.isNaN(drained.storedSpans())
                            ? " (the server exposes no " + ServerMetrics.STORED_SPANS + "; waited for the data dir size to stop changing)" : "");
            apparent = ServerMetrics.apparentBytes(o.dataDir());
            du = ServerMetrics.duBytes(o.dataDir());
        }

        LoadResult result = new LoadResult(o, pool.get(0).length(), seconds, cpuWallSeconds, s,
                (loaderCpu[1] - loaderCpu[0]) / 1e9,
                serverCpu[0] >= 0 && serverCpu[1] >= 0 ? (serverCpu[1] - serverCpu[0]) / 1e9 : Double.NaN,
                peakRss, rss, serverAccepted, drained.storedSpans(), drained.acceptedSpansTotal(), drained.diskBytes(), apparent, du);
        out.print(result.table());
        if (o.json()) {
            out.println(result.json());
        }
        return s.ok() > 0 ? 0 : 1;
    }

    /** Patches a copy of one batch and checks it parses, keeps its spans and got fresh trace ids. */
    private static void selfCheck(PreEncodedBatch batch, LoadOptions o) throws Exception {
        byte[] buf = new byte[batch.length()];
        int len = batch.copyInto(buf, new SplittableRandom(7), System.currentTimeMillis() * 1_000_000L);
        if (batch.isZipkinJson()) {
            List<io.spoor.model.Span> before = io.spoor.protocol.zipkin.ZipkinDecoder.decodeJson(batch.templateBytes());
            List<io.spoor.model.Span> after = io.spoor.protocol.zipkin.ZipkinDecoder.decodeJson(Arrays.copyOf(buf, len));
            long traces = after.stream().map(io.spoor.model.Span::traceId).distinct().count();
            if (after.size() != batch.spanCount() || traces != batch.traceCount()
                    || after.stream().anyMatch(s -> before.stream().anyMatch(b -> b.traceId().equals(s.traceId())))
                    || Math.abs(after.get(0).startEpochNanos() / 1_000_000L - System.currentTimeMillis()) > 600_000) {
                throw new IllegalStateException("self-check failed: the patched Zipkin batch is not fresh and valid");
            }
            return;
        }
        int skip = o.protocol() == LoadOptions.Protocol.GRPC ? 5 : 0;
        ExportTraceServiceRequest original = ExportTraceServiceRequest.parseFrom(
                Arrays.copyOfRange(batch.templateBytes(), skip, batch.length()));
        ExportTraceServiceRequest patched = ExportTraceServiceRequest.parseFrom(Arrays.copyOfRange(buf, skip, len));
        Set<Object> before = traceIds(original);
        Set<Object> after = traceIds(patched);
        int spans = 0;
        for (ResourceSpans rs : patched.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                spans += ss.getSpansCount();
            }
        }
        if (spans != o.batchSpans() || after.size() != before.size() || after.size() != batch.traceCount()
                || after.stream().anyMatch(before::contains)) {
            throw new IllegalStateException("pre-encoded batch failed its patch self-check: spans " + spans
                    + ", traces " + before.size() + " → " + after.size());
        }
    }

    private static Set<Object> traceIds(ExportTraceServiceRequest r) {
        Set<Object> ids = new HashSet<>();
        for (ResourceSpans rs : r.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    ids.add(span.getTraceId());
                }
            }
        }
        return ids;
    }
}
