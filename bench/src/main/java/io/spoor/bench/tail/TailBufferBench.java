package io.spoor.bench.tail;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spoor.bench.load.ShopTraceGenerator;
import io.spoor.model.Span;
import io.spoor.model.StatusCode;
import io.spoor.pipeline.sampling.TraceIdRatio;
import io.spoor.pipeline.sampling.tail.NamedPolicy;
import io.spoor.pipeline.sampling.tail.Policies;
import io.spoor.pipeline.sampling.tail.TailSamplingProcessor;
import io.spoor.pipeline.sampling.tail.TailSamplingSettings;
import io.spoor.protocol.otlp.OtlpTraceDecoder;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code java -cp spoor-bench.jar io.spoor.bench.tail.TailBufferBench [spans]}: the tail sampler's heap per
 * buffered span and its single-thread buffering throughput, on the load generator's shop-like spans. The spans are
 * decoded from OTLP up front (as the receiver does), buffered with a decision_wait nobody reaches, and the heap
 * retained by the buffer is measured as live heap after full GCs, minus the live heap before. Then the decision
 * (decode + policies) for all buffered traces is timed.
 */
public final class TailBufferBench {
    public static void main(String[] args) {
        int target = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        ShopTraceGenerator generator = new ShopTraceGenerator(1, 0.02);
        AtomicLong kept = new AtomicLong();
        TailSamplingProcessor p = new TailSamplingProcessor("bench", new TailSamplingSettings(Duration.ofHours(1),
                10_000_000, 0, 100_000, 100_000, 0, false), List.of(
                new NamedPolicy("errors", new Policies.StatusCodes(java.util.Set.of(StatusCode.ERROR))),
                new NamedPolicy("ratio", new Policies.Probabilistic(new TraceIdRatio(0.05)))),
                spans -> {
                    kept.addAndGet(spans.size());
                    return CompletableFuture.completedFuture(null);
                }, new SimpleMeterRegistry(), System::nanoTime, () -> false);

        // warm up the codecs on a throwaway processor-free path
        for (int i = 0; i < 200; i++) {
            OtlpTraceDecoder.fromRequest(generator.batch(512, System.currentTimeMillis() * 1_000_000L));
        }
        long before = liveHeap();
        long buffered = 0;
        long nanos = 0;
        while (buffered < target) {
            List<Span> spans = new ArrayList<>(OtlpTraceDecoder.fromRequest(
                    generator.batch(512, System.currentTimeMillis() * 1_000_000L)).spans());
            long t0 = System.nanoTime();
            p.consume(spans).join();
            nanos += System.nanoTime() - t0;
            buffered += spans.size();
        }
        long after = liveHeap();
        long spansInBuffer = p.bufferedSpans();
        System.out.printf("buffered: %,d spans in %,d traces, %,d encoded bytes (%.0f B/span encoded)%n",
                spansInBuffer, p.bufferedTraces(), p.bufferedBytes(), (double) p.bufferedBytes() / spansInBuffer);
        System.out.printf("heap retained by the buffer: %,d bytes = %.0f B per buffered span%n", after - before,
                (double) (after - before) / spansInBuffer);
        System.out.printf("buffering (encode + insert), one thread: %,.0f spans/s%n", buffered * 1e9 / nanos);
        long t0 = System.nanoTime();
        p.close(); // decides every buffered trace: decode + policies
        long decide = System.nanoTime() - t0;
        System.out.printf("deciding (decode + policies), one thread: %,.0f spans/s; kept %,d spans%n",
                spansInBuffer * 1e9 / decide, kept.get());
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
