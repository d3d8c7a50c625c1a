package io.spoor.pipeline.sampling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.model.Span;
import io.spoor.pipeline.SpanConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code probabilistic_sampler} processor: keeps the spans of a fixed share of traces, chosen by trace id
 * exactly as the SDKs' {@code TraceIdRatioBased} sampler chooses, so every span of a kept trace is kept on every
 * Spoor instance without coordination.
 */
public final class ProbabilisticSampler implements SpanConsumer {
    private final TraceIdRatio ratio;
    private final SpanConsumer next;
    private final Counter kept;
    private final Counter dropped;

    public ProbabilisticSampler(String id, double samplingPercentage, SpanConsumer next, MeterRegistry registry) {
        this.ratio = TraceIdRatio.ofPercentage(samplingPercentage);
        this.next = next;
        this.kept = Counter.builder("spoor_processor_probabilistic_sampler_spans").tag("processor", id)
                .tag("decision", "sampled").description("Spans kept or dropped by the probabilistic sampler")
                .register(registry);
        this.dropped = Counter.builder("spoor_processor_probabilistic_sampler_spans").tag("processor", id)
                .tag("decision", "not_sampled").description("Spans kept or dropped by the probabilistic sampler")
                .register(registry);
    }

    @Override
    public CompletableFuture<Void> consume(List<Span> spans) {
        List<Span> keep = new ArrayList<>(spans.size());
        for (Span s : spans) {
            if (ratio.keeps(s.traceId())) {
                keep.add(s);
            }
        }
        kept.increment(keep.size());
        dropped.increment(spans.size() - keep.size());
        return keep.isEmpty() ? CompletableFuture.completedFuture(null) : next.consume(keep);
    }
}
