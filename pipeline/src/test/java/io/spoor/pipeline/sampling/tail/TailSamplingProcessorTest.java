package io.spoor.pipeline.sampling.tail;

import static io.spoor.pipeline.sampling.tail.TraceFixtures.trace;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.spoor.model.Span;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import io.spoor.pipeline.sampling.TraceIdRatio;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TailSamplingProcessorTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Span> stored = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

    private TailSamplingProcessor processor(TailSamplingSettings settings, List<NamedPolicy> policies) {
        return new TailSamplingProcessor("tail_sampling", settings, policies, spans -> {
            stored.addAll(spans);
            return CompletableFuture.completedFuture(null);
        }, registry, clock::get, () -> false);
    }

    private static TailSamplingSettings settings(int numTraces) {
        return new TailSamplingSettings(Duration.ofSeconds(10), numTraces, 0, 20_000, 20_000, 0, false);
    }

    private static List<NamedPolicy> errorsSlowAndTenPercent() {
        return List.of(
                new NamedPolicy("errors", new Policies.StatusCodes(Set.of(StatusCode.ERROR))),
                new NamedPolicy("slow", new Policies.Latency(1000 * TraceFixtures.MS, 0)),
                new NamedPolicy("ten-percent", new Policies.Probabilistic(new TraceIdRatio(0.10))));
    }

    private double count(String name, String tag, String value) {
        return registry.get("spoor_processor_tail_sampling_" + name).tag(tag, value).counter().count();
    }

    /** 10,000 traces: 3 % with an error, 5 % slower than 1 s, the rest ordinary (kept at 10 % by trace id). */
    @Test
    void storesExactlyTheErrorSlowAndRatioTracesAndLateSpansFollowTheirDecision() {
        SplittableRandom random = new SplittableRandom(7);
        Sampler sdkTenPercent = Sampler.traceIdRatioBased(0.10);
        Map<TraceId, List<Span>> traces = new HashMap<>();
        Set<TraceId> expected = new HashSet<>();
        int errors = 0;
        int slow = 0;
        for (int i = 0; i < 10_000; i++) {
            TraceId id = new TraceId(random.nextLong(), random.nextLong());
            double r = random.nextDouble();
            boolean error = r < 0.03;
            boolean isSlow = !error && r < 0.08;
            long millis = isSlow ? 1000 + random.nextInt(3000) : 20 + random.nextInt(900);
            traces.put(id, trace(id, "shop", "GET /checkout", millis, 5, error));
            boolean ratio = sdkTenPercent.shouldSample(Context.root(), id.toHex(), "GET /checkout",
                    SpanKind.SERVER, io.opentelemetry.api.common.Attributes.empty(), List.of())
                    .getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
            errors += error ? 1 : 0;
            slow += isSlow ? 1 : 0;
            if (error || isSlow || ratio) {
                expected.add(id);
            }
        }
        assertThat(errors).isBetween(250, 350);
        assertThat(slow).isBetween(420, 580);

        TailSamplingProcessor p = processor(settings(20_000), errorsSlowAndTenPercent());
        // the first four spans of every trace, in exports of 100 spans that mix traces
        List<Span> early = new ArrayList<>();
        traces.values().forEach(t -> early.addAll(t.subList(0, 4)));
        for (int from = 0; from < early.size(); from += 100) {
            p.consume(early.subList(from, Math.min(early.size(), from + 100))).join();
        }
        assertThat(stored).isEmpty();
        assertThat(p.bufferedTraces()).isEqualTo(10_000);
        assertThat(p.bufferedSpans()).isEqualTo(40_000);

        clock.addAndGet(9 * SECOND);
        p.decideDue();
        assertThat(stored).as("nothing is due before decision_wait").isEmpty();
        clock.addAndGet(SECOND);
        p.decideDue();
        assertThat(p.bufferedTraces()).isZero();
        assertThat(ids(stored)).isEqualTo(expected);

        // the fifth span of every trace arrives late: it follows its trace's decision
        List<Span> late = traces.values().stream().map(t -> t.get(4)).toList();
        p.consume(late).join();
        Map<TraceId, Integer> spansPerTrace = new HashMap<>();
        stored.forEach(s -> spansPerTrace.merge(s.traceId(), 1, Integer::sum));
        assertThat(spansPerTrace.keySet()).isEqualTo(expected);
        assertThat(spansPerTrace.values()).allMatch(n -> n == 5);
        assertThat(count("late_spans", "decision", "sampled")).isEqualTo(expected.size());
        assertThat(count("late_spans", "decision", "not_sampled")).isEqualTo(10_000 - expected.size());
        assertThat(count("traces", "decision", "sampled")).isEqualTo(expected.size());
        assertThat(p.bufferedTraces()).isZero();
    }

    @Test
    void numTracesBoundsTheBufferByDecidingTheOldestEarlyAndCountsIt() {
        TailSamplingProcessor p = processor(settings(1_000), errorsSlowAndTenPercent());
        SplittableRandom random = new SplittableRandom(11);
        Set<TraceId> errorIds = new HashSet<>();
        int maxBuffered = 0;
        for (int i = 0; i < 10_000; i++) {
            TraceId id = new TraceId(random.nextLong(), random.nextLong());
            boolean error = i % 50 == 0;
            if (error) {
                errorIds.add(id);
            }
            p.consume(trace(id, "shop", "GET /cart", 30, 4, error)).join();
            maxBuffered = Math.max(maxBuffered, p.bufferedTraces());
        }
        assertThat(maxBuffered).isEqualTo(1_000);
        assertThat(p.bufferedSpans()).isEqualTo(4_000);
        assertThat(count("early_decisions", "reason", "num_traces")).isEqualTo(9_000);
        // decided early, but on the spans that had arrived: the errors among them are still kept
        assertThat(ids(stored)).hasSizeGreaterThanOrEqualTo(180).containsAnyElementsOf(errorIds);
        p.close();
        assertThat(count("early_decisions", "reason", "shutdown")).isEqualTo(1_000);
        assertThat(ids(stored)).containsAll(errorIds);
    }

    @Test
    void aTraceOverTheMaximumSizeIsDecidedAtOnceAndItsLaterSpansFollow() {
        TailSamplingProcessor p = processor(new TailSamplingSettings(Duration.ofSeconds(10), 100, 0, 100, 100,
                2_000, false), List.of(new NamedPolicy("all", new Policies.AlwaysSample())));
        TraceId id = new TraceId(1, 2);
        List<Span> big = trace(id, "shop", "GET /export", 100, 40, false);
        p.consume(big.subList(0, 30)).join();
        assertThat(count("early_decisions", "reason", "max_trace_size")).isEqualTo(1);
        assertThat(p.bufferedTraces()).isZero();
        p.consume(big.subList(30, 40)).join();
        assertThat(stored).hasSize(40);
    }

    @Test
    void memoryPressureDecidesTheOldestTracesEarly() {
        boolean[] pressure = {false};
        TailSamplingProcessor p = new TailSamplingProcessor("tail_sampling", settings(10_000), List.of(), spans -> {
            stored.addAll(spans);
            return CompletableFuture.completedFuture(null);
        }, registry, clock::get, () -> pressure[0]);
        for (int i = 0; i < 100; i++) {
            p.consume(trace(new TraceId(7, i + 1), "shop", "GET /", 10, 2, false)).join();
        }
        pressure[0] = true;
        for (int i = 0; i < 30; i++) {
            p.consume(trace(new TraceId(8, i + 1), "shop", "GET /", 10, 2, false)).join();
        }
        // two out for each one in while the heap is over the soft limit
        assertThat(p.bufferedTraces()).isEqualTo(100 + 30 - 60);
        assertThat(count("early_decisions", "reason", "memory_limit")).isEqualTo(60);
        assertThat(stored).as("no policies keeps everything").hasSize(120);
    }

    @Test
    void anInvertedMatchVetoesAndAndNeedsEverySubPolicy() {
        TraceId healthCheck = new TraceId(1, 1);
        TraceId slowError = new TraceId(1, 2);
        TraceId fastError = new TraceId(1, 3);
        TailSamplingProcessor p = processor(settings(100), List.of(
                new NamedPolicy("no-health", new Policies.StringAttribute("http.route", List.of("/health.*"), true,
                        true)),
                new NamedPolicy("slow-errors", new Policies.And(List.of(
                        new NamedPolicy("errors", new Policies.StatusCodes(Set.of(StatusCode.ERROR))),
                        new NamedPolicy("slow", new Policies.Latency(500 * TraceFixtures.MS, 0)))))));
        p.consume(trace(healthCheck, "shop", "/healthz", 900, 3, true)).join();
        p.consume(trace(slowError, "shop", "GET /pay", 900, 3, true)).join();
        p.consume(trace(fastError, "shop", "GET /pay", 90, 3, true)).join();
        clock.addAndGet(10 * SECOND);
        p.decideDue();
        // the inverted string_attribute says "sample" for every non-health trace, so fastError is kept by it
        assertThat(ids(stored)).containsExactlyInAnyOrder(slowError, fastError);
    }

    @Test
    void rateLimitingAndCompositeKeepWithinTheirSpansPerSecond() {
        TailSamplingProcessor p = processor(settings(1000), List.of(new NamedPolicy("budget", new Composite(25,
                List.of(new Composite.Member(new NamedPolicy("errors",
                                new Policies.StatusCodes(Set.of(StatusCode.ERROR))), new RateLimiting(10)),
                        new Composite.Member(new NamedPolicy("all", new Policies.AlwaysSample()), null))))));
        for (int i = 0; i < 20; i++) {
            p.consume(trace(new TraceId(3, i + 1), "shop", "GET /", 10, 5, i < 10)).join();
        }
        clock.addAndGet(10 * SECOND);
        p.decideDue();
        // errors take 2 traces (their 10 spans/s); later traces fall through to 'all' until the total of 25 is spent
        assertThat(stored).hasSize(25);
    }

    private static Set<TraceId> ids(List<Span> spans) {
        Set<TraceId> out = new HashSet<>();
        synchronized (spans) {
            spans.forEach(s -> out.add(s.traceId()));
        }
        return out;
    }
}
