package io.spoor.bench.codec;

import io.spoor.bench.load.ShopTraceGenerator;
import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.protocol.otlp.OtlpTraceDecoder;
import io.spoor.protocol.zipkin.ZipkinDecoder;
import io.spoor.protocol.zipkin.ZipkinEncoder;
import io.spoor.spanlog.codec.ByteSink;
import io.spoor.spanlog.codec.SpanCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU per span of the two CPU-heavy steps of the Zipkin ingest path, on one thread, measured as thread CPU time
 * (less sensitive to other load on a shared machine than wall time): {@code decode} (Zipkin v2 JSON → model spans)
 * and {@code roundtrip} (decode, group by trace, {@link SpanCodec} fragments: what the server does before the log
 * write), {@code encode} (the grouping and encoding alone). Input: the load generator's 64 reports of 512 demo-shop
 * spans, as Zipkin JSON. 8 s warmup, then {@code seconds} measured.
 *
 * <p>It uses only APIs that older builds have too, so the same file measures another commit's jar:
 * <pre>
 * javac -cp OTHER/spoor-bench.jar -d /tmp/zwp bench/src/main/java/io/spoor/bench/codec/ZipkinWritePathBench.java
 * java -cp /tmp/zwp:OTHER/spoor-bench.jar io.spoor.bench.codec.ZipkinWritePathBench roundtrip 10
 * </pre>
 */
public final class ZipkinWritePathBench {
    private ZipkinWritePathBench() {
    }

    public static void main(String[] args) {
        if (args.length != 2 || !List.of("decode", "encode", "roundtrip").contains(args[0])) {
            System.err.println("usage: ZipkinWritePathBench decode|encode|roundtrip SECONDS");
            System.exit(2);
        }
        String mode = args[0];
        int seconds = Integer.parseInt(args[1]);
        long now = System.currentTimeMillis() * 1_000_000L;
        ShopTraceGenerator generator = new ShopTraceGenerator(42, 0.02);
        List<byte[]> reports = new ArrayList<>();
        List<List<Span>> decoded = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            List<Span> spans = OtlpTraceDecoder.decodeProtobuf(generator.batch(512, now).toByteArray()).spans();
            byte[] json = ZipkinEncoder.encodeJson(spans);
            reports.add(json);
            decoded.add(ZipkinDecoder.decodeJson(json));
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        SpanCodec codec = new SpanCodec();
        ByteSink sink = new ByteSink(1 << 20);
        for (int phase = 0; phase < 2; phase++) {
            long end = System.nanoTime() + (phase == 0 ? 8L : seconds) * 1_000_000_000L;
            long cpu0 = threads.getCurrentThreadCpuTime();
            long spans = 0;
            long bytes = 0;
            for (int i = 0; System.nanoTime() < end; i++) {
                int k = i & 63;
                List<Span> batch = mode.equals("encode") ? decoded.get(k) : ZipkinDecoder.decodeJson(reports.get(k));
                if (!mode.equals("decode")) {
                    Map<TraceId, List<Span>> byTrace = new LinkedHashMap<>();
                    for (Span s : batch) {
                        byTrace.computeIfAbsent(s.traceId(), x -> new ArrayList<>()).add(s);
                    }
                    sink.reset();
                    for (Map.Entry<TraceId, List<Span>> e : byTrace.entrySet()) {
                        codec.encodeFragment(e.getKey(), e.getValue(), sink);
                    }
                    bytes += sink.size();
                }
                spans += batch.size();
            }
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            if (phase == 1) {
                System.out.printf("%s: %.3f us CPU/span over %d spans%s%n", mode, cpu / 1000.0 / spans, spans,
                        bytes > 0 ? String.format(", %.1f encoded bytes/span", (double) bytes / spans) : "");
            }
        }
    }
}
