package io.spoor.pipeline.sampling.tail;

import static io.spoor.pipeline.sampling.tail.TraceFixtures.trace;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.TraceId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdaptiveLatencyTest {

    @Test
    void keepsRootsSlowerThanTheirOwnOperationsP99WithoutAHandSetThreshold() {
        AdaptiveLatency policy = new AdaptiveLatency(99, 200, 100, 100_000);
        SplittableRandom random = new SplittableRandom(3);
        int fastKept = 0;
        int fastSeen = 0;
        for (int i = 0; i < 5_000; i++) {
            // /search usually takes 5-15 ms, /report 800-1200 ms
            long search = 5 + random.nextInt(11);
            long report = 800 + random.nextInt(401);
            fastKept += sampled(policy, "GET /search", search) ? 1 : 0;
            fastKept += sampled(policy, "GET /report", report) ? 1 : 0;
            fastSeen += 2;
        }
        // a p99 keeps about 1 % of ordinary roots (those in the top percent), never many more
        assertThat(fastKept).isLessThan(fastSeen * 2 / 100);
        // 100 ms is slow for /search, though it would be fast for /report; 1 s is ordinary for /report
        assertThat(sampled(policy, "GET /search", 100)).isTrue();
        assertThat(sampled(policy, "GET /report", 1000)).isFalse();
        assertThat(sampled(policy, "GET /report", 5000)).isTrue();
        assertThat(policy.operations()).isEqualTo(2);
    }

    @Test
    void doesNotJudgeAnOperationBeforeMinSamples() {
        AdaptiveLatency policy = new AdaptiveLatency(90, 50, 100, 10_000);
        for (int i = 0; i < 49; i++) {
            assertThat(sampled(policy, "GET /new", i == 10 ? 10_000 : 10)).isFalse();
        }
        assertThat(sampled(policy, "GET /new", 10)).isFalse();
        assertThat(sampled(policy, "GET /new", 10_000)).isTrue();
    }

    @Test
    void tracksAtMostMaxOperations() {
        AdaptiveLatency policy = new AdaptiveLatency(99, 1, 2, 10_000);
        sampled(policy, "a", 1);
        sampled(policy, "b", 1);
        sampled(policy, "c", 1);
        assertThat(policy.operations()).isEqualTo(2);
        assertThat(policy.untrackedRoots()).isEqualTo(1);
    }

    @Test
    void theSketchsQuantileIsWithinTwoPercentAndFollowsADrift() {
        QuantileSketch sketch = new QuantileSketch(1_000);
        for (int i = 1; i <= 1_000; i++) {
            sketch.add(i * 1_000_000L);
        }
        long p99 = sketch.quantileUpperBound(0.99);
        assertThat(p99).isBetween(990_000_000L, (long) (990_000_000L * 1.03));
        // after many observations at 10x, the old values weigh little
        for (int i = 0; i < 10_000; i++) {
            sketch.add(10_000_000_000L);
        }
        assertThat(sketch.quantileUpperBound(0.5)).isGreaterThan(9_000_000_000L);
    }

    private static long traceCounter;

    private static boolean sampled(AdaptiveLatency policy, String operation, long millis) {
        TraceId id = new TraceId(9, ++traceCounter);
        return policy.evaluate(new TraceView(id, trace(id, "shop", operation, millis, 1, false)), 0).samples();
    }
}
