package io.spoor.bench.jmh;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spoor.bench.load.ShopTraceGenerator;
import io.spoor.model.Span;
import io.spoor.pipeline.limits.LimitedSpans;
import io.spoor.pipeline.limits.SpanLimiter;
import io.spoor.pipeline.limits.SpanLimitsSettings;
import io.spoor.protocol.otlp.DecodedTraces;
import io.spoor.protocol.otlp.OtlpTraceDecoder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What spoor.limits adds per export on the ingest path, on one OTLP batch of demo-shop spans (the load generator's):
 * {@code decode} alone (the baseline), {@code decodeAndLimit} (decode, then the limits with their defaults: every span
 * fits, so this is the scan plus one byte-budget update per span), {@code limitOnly}, and {@code limitTrimming} (limits
 * set so low that every span is trimmed: the allocating path, for comparison). Scores are microseconds per batch; the
 * cost per span is score / spans. Run with {@code -prof gc}: {@code limitOnly}'s bytes per operation should not grow
 * with the number of spans (nothing is allocated per span that fits).
 *
 * <p>The byte budget is set out of reach so that the repeated batch (same trace ids every time) is never refused.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SpanLimiterBenchmark {

    @Param({"512"})
    public int spans;

    private byte[] protobuf;
    private List<Span> model;
    private SpanLimiter defaults;
    private SpanLimiter tight;

    @Setup(Level.Trial)
    public void setUp() {
        ShopTraceGenerator generator = new ShopTraceGenerator(42, 0.02);
        protobuf = generator.batch(spans, System.currentTimeMillis() * 1_000_000L).toByteArray();
        DecodedTraces decoded = OtlpTraceDecoder.decodeProtobuf(protobuf);
        model = decoded.spans();
        SpanLimitsSettings unbounded = SpanLimitsSettings.DEFAULTS.toBuilder().maxBytesPerTrace(Long.MAX_VALUE).build();
        // the batch's spans are dated at set-up: they stay within max_span_age however long the run takes
        Clock clock = Clock.systemUTC();
        defaults = new SpanLimiter(unbounded, Duration.ofDays(7), clock, new SimpleMeterRegistry());
        tight = new SpanLimiter(unbounded.toBuilder().attributeValueLengthLimit(4).spanNameLengthLimit(4)
                .attributeCountLimit(2).build(), Duration.ofDays(7), clock, new SimpleMeterRegistry());
        LimitedSpans check = defaults.apply(model);
        if (check.spans() != model || check.refusedSpans() != 0) {
            throw new IllegalStateException("the shop's spans should fit the default limits: " + check.message());
        }
        if (tight.apply(model).changeMessage().isEmpty()) {
            throw new IllegalStateException("the tight limits should trim");
        }
    }

    @Benchmark
    public DecodedTraces decode() {
        return OtlpTraceDecoder.decodeProtobuf(protobuf);
    }

    @Benchmark
    public LimitedSpans decodeAndLimit() {
        return defaults.apply(OtlpTraceDecoder.decodeProtobuf(protobuf).spans());
    }

    @Benchmark
    public LimitedSpans limitOnly() {
        return defaults.apply(model);
    }

    @Benchmark
    public LimitedSpans limitTrimming() {
        return tight.apply(model);
    }
}
