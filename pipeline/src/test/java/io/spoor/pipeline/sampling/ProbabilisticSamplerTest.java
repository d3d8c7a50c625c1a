package io.spoor.pipeline.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.spoor.model.Span;
import io.spoor.model.TraceId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ProbabilisticSamplerTest {

    @Test
    void keepsTheSameTraceIdsAsTheJavaSdksTraceIdRatioBasedSampler() {
        SplittableRandom random = new SplittableRandom(42);
        List<TraceId> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(new TraceId(random.nextLong(), random.nextLong()));
        }
        // the edges of the SDK's arithmetic: Math.abs(Long.MIN_VALUE) stays negative, the bound itself is excluded
        ids.add(new TraceId(1, Long.MIN_VALUE));
        ids.add(new TraceId(1, Long.MAX_VALUE));
        ids.add(new TraceId(1, 0));
        ids.add(new TraceId(1, (long) (0.25 * Long.MAX_VALUE)));
        ids.add(new TraceId(1, -(long) (0.25 * Long.MAX_VALUE)));
        for (double pct : new double[] {0, 0.1, 1, 10, 25, 50, 99.9, 100}) {
            Sampler sdk = Sampler.traceIdRatioBased(pct / 100);
            Set<TraceId> expected = new HashSet<>();
            for (TraceId id : ids) {
                if (sdk.shouldSample(Context.root(), id.toHex(), "op", SpanKind.INTERNAL, Attributes.empty(), List.of())
                        .getDecision() == SamplingDecision.RECORD_AND_SAMPLE) {
                    expected.add(id);
                }
            }
            List<Span> kept = new ArrayList<>();
            ProbabilisticSampler sampler = new ProbabilisticSampler("probabilistic_sampler", pct, spans -> {
                kept.addAll(spans);
                return CompletableFuture.completedFuture(null);
            }, new SimpleMeterRegistry());
            sampler.consume(ids.stream().map(id -> Span.builder(id, 1).name("op").build()).toList());
            assertThat(kept.stream().map(Span::traceId).toList()).as("at %s %%", pct)
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }
}
