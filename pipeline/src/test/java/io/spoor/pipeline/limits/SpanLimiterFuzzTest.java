package io.spoor.pipeline.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spoor.model.Span;
import io.spoor.protocol.otlp.DecodedTraces;
import io.spoor.protocol.otlp.OtlpDecodeException;
import io.spoor.protocol.otlp.OtlpTraceDecoder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;

/**
 * Any OTLP/protobuf export through the decoder and then the limits (set small, so that inputs cross them): every span
 * let through keeps within every limit and its times, refused ones are counted and said, none is lost or invented,
 * their order is kept, and limiting what was limited changes nothing. The server's clock is put just after the first
 * span, so that the time checks let spans through as well as refuse them.
 */
class SpanLimiterFuzzTest {
    static final SpanLimitsSettings SMALL = SpanLimitsSettings.DEFAULTS.toBuilder().attributeValueLengthLimit(8)
            .attributeCountLimit(3).eventCountLimit(2).linkCountLimit(2).eventAttributeCountLimit(1)
            .linkAttributeCountLimit(1).spanNameLengthLimit(10).serviceNameLengthLimit(6)
            .attributeKeyLengthLimit(SpanLimitsSettings.MIN_KEY_LENGTH_LIMIT).eventNameLengthLimit(5)
            .maxSpansPerRequest(5).maxBytesPerTrace(2_000).maxTrackedTraces(16).build();
    static final SimpleMeterRegistry REGISTRY = new SimpleMeterRegistry();
    static final LongAdder RUNS = new LongAdder();

    @AfterAll
    static void report() {
        System.out.println("fuzz: SpanLimiterFuzzTest ran " + RUNS.sum() + " inputs");
    }

    @FuzzTest
    void keepsWhatItLetsThroughWithinEveryLimit(byte[] body) {
        RUNS.increment();
        DecodedTraces decoded;
        try {
            decoded = OtlpTraceDecoder.decodeProtobuf(body);
        } catch (OtlpDecodeException expected) {
            return;
        }
        List<Span> in = decoded.spans();
        long now = in.isEmpty() ? 0 : Math.max(0, in.getFirst().endEpochNanos()) + 1_000_000_000L;
        Clock clock = Clock.fixed(Instant.ofEpochSecond(now / 1_000_000_000L, now % 1_000_000_000L), ZoneOffset.UTC);

        LimitedSpans out = new SpanLimiter(SMALL, Duration.ofDays(7), clock, REGISTRY).apply(in);

        assertThat(out.spans().size() + out.refusedSpans()).isEqualTo(in.size());
        assertThat(out.refusalMessage().isEmpty()).isEqualTo(out.refusedSpans() == 0);
        int next = 0;
        LimitScan scan = new LimitScan(SMALL);
        for (Span s : out.spans()) {
            while (next < in.size() && in.get(next).spanId() != s.spanId()) {
                next++;
            }
            assertThat(next).as("kept spans are input spans, in order").isLessThan(in.size());
            next++;
            assertThat(scan.spanFits(s)).as("within the limits: %s", s).isTrue();
            assertThat(scan.scopeFits(s.scope())).isTrue();
            assertThat(scan.resourceFits(s.resource())).isTrue();
            assertThat(s.endEpochNanos()).isGreaterThanOrEqualTo(s.startEpochNanos());
            assertThat(s.startEpochNanos()).isGreaterThanOrEqualTo(now - Duration.ofDays(7).toNanos());
            assertThat(s.endEpochNanos()).isLessThanOrEqualTo(now + SMALL.maxTimeAhead().toNanos());
        }
        LimitedSpans again = new SpanLimiter(SMALL, Duration.ofDays(7), clock, REGISTRY).apply(out.spans());
        assertThat(again.spans()).as("limiting is idempotent").isEqualTo(out.spans());
        assertThat(again.message()).isEmpty();
    }
}
