package io.spoor.query.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Attributes;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanKind;
import io.spoor.model.SpanLink;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Known answers on hand-built traces. The same traces and answers are in ui/src/analysis/*.test.ts, so the
 * Java analysis (the API) and the browser's agree. Times are in milliseconds from an epoch base.
 */
class TraceAnalysisTest {
    private static final TraceId TRACE = new TraceId(0x1234L, 0x5678L);
    private static final long BASE = 1_700_000_000_000_000_000L;
    private static final long MS = 1_000_000L;

    private static Span.Builder span(long id, long parent, String service, long startMs, long endMs) {
        return Span.builder(TRACE, id).parentSpanId(parent).name("op" + id)
                .resource(new Resource(Attributes.of("service.name", service), ""))
                .startEpochNanos(BASE + startMs * MS).endEpochNanos(BASE + endMs * MS);
    }

    private static Trace trace(Span.Builder... spans) {
        List<Span> list = new ArrayList<>();
        for (Span.Builder b : spans) {
            list.add(b.build());
        }
        return new Trace(TRACE, list);
    }

    private static CriticalSegment seg(long id, long fromMs, long toMs) {
        return new CriticalSegment(id, BASE + fromMs * MS, BASE + toMs * MS);
    }

    private static Status error(String message) {
        return new Status(StatusCode.ERROR, message);
    }

    @Test
    void criticalPathWalksBackFromTheLastFinishingChild() {
        Trace t = trace(span(1, 0, "frontend", 0, 100), span(2, 1, "orders", 10, 40),
                span(3, 1, "payments", 50, 90), span(4, 3, "db", 60, 70));
        assertThat(TraceAnalysis.of(t).criticalPath()).containsExactly(
                seg(1, 90, 100), seg(3, 70, 90), seg(4, 60, 70), seg(3, 50, 60), seg(1, 40, 50), seg(2, 10, 40),
                seg(1, 0, 10));
    }

    @Test
    void criticalPathClampsOverflowingChildrenAndDropsChildrenOutsideTheirParent() {
        // 2 ends after its parent, 3 starts before it (clock skew), 4 lies wholly after it
        Trace t = trace(span(1, 0, "a", 0, 100), span(2, 1, "b", 80, 130), span(3, 1, "c", -20, 10),
                span(4, 1, "d", 150, 160));
        assertThat(TraceAnalysis.of(t).criticalPath()).containsExactly(seg(2, 80, 100), seg(1, 10, 80),
                seg(3, 0, 10));
    }

    @Test
    void criticalPathIgnoresFollowsFromChildren() {
        // 3 consumes what producer 2 sent; 4 follows from the root through the OpenTracing shim's link
        var followsFrom = new SpanLink(TRACE, 1, "", Attributes.of("opentracing.ref_type", "follows_from"), 0, 0);
        Trace t = trace(span(1, 0, "a", 0, 100).kind(SpanKind.SERVER),
                span(2, 1, "a", 10, 90).kind(SpanKind.PRODUCER),
                span(3, 2, "worker", 20, 85).kind(SpanKind.CONSUMER),
                span(4, 1, "audit", 30, 95).links(List.of(followsFrom)));
        assertThat(TraceAnalysis.of(t).criticalPath()).containsExactly(seg(1, 90, 100), seg(2, 10, 90),
                seg(1, 0, 10));
    }

    @Test
    void criticalPathLeavesOutSpansWhoseParentIsMissing() {
        Trace t = trace(span(1, 0, "a", 0, 100), span(2, 1, "b", 10, 30), span(3, 99, "orphan", 20, 50));
        assertThat(TraceAnalysis.of(t).criticalPath()).containsExactly(seg(1, 30, 100), seg(2, 10, 30),
                seg(1, 0, 10));
    }

    @Test
    void criticalPathOfAChainDeeperThanTheStackCompletes() {
        List<Span.Builder> chain = new ArrayList<>();
        for (int i = 1; i <= 50_000; i++) {
            chain.add(span(i, i - 1, "s", i, 200_000 - i));
        }
        List<CriticalSegment> path = TraceAnalysis.of(trace(chain.toArray(Span.Builder[]::new))).criticalPath();
        assertThat(path).hasSize(2 * 50_000 - 1);
        assertThat(path.get(0)).isEqualTo(seg(1, 200_000 - 2, 200_000 - 1));
    }

    @Test
    void errorOriginIsTheDeepestErrorSpanWithoutAnErrorDescendant() {
        var exception = new SpanEvent(BASE + 65 * MS, "exception", Attributes.of(
                "exception.type", "java.lang.IllegalStateException", "exception.message", "card declined",
                "exception.stacktrace", "java.lang.IllegalStateException: card declined\n\tat Pay.charge"), 0);
        Trace t = trace(span(1, 0, "frontend", 0, 100).status(error("upstream failed")),
                span(2, 1, "orders", 10, 90).status(error("payment failed")),
                span(3, 2, "payments", 20, 70).status(error("")).events(List.of(exception)),
                span(4, 2, "inventory", 75, 85),
                span(5, 1, "cache", 91, 95).status(error("miss")));
        ErrorOrigin origin = TraceAnalysis.of(t).errorOrigin().orElseThrow();
        assertThat(origin.spanId()).isEqualTo(3);
        assertThat(origin.serviceName()).isEqualTo("payments");
        assertThat(origin.exceptionType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(origin.message()).isEqualTo("card declined");
        assertThat(origin.exceptionStacktrace()).contains("at Pay.charge");
    }

    @Test
    void errorOriginTiesGoToTheEarlierSpanAndFallBackToTheStatusMessage() {
        Trace t = trace(span(1, 0, "frontend", 0, 100), span(2, 1, "b", 30, 40).status(error("timeout")),
                span(3, 1, "c", 20, 50).status(error("refused")));
        ErrorOrigin origin = TraceAnalysis.of(t).errorOrigin().orElseThrow();
        assertThat(origin.spanId()).isEqualTo(3);
        assertThat(origin.message()).isEqualTo("refused");
        assertThat(origin.exceptionType()).isEmpty();
    }

    @Test
    void errorOriginConsidersSpansWhoseParentIsMissing() {
        // the orphan's error has no known error below it, but the deeper error in the root's subtree wins
        Trace t = trace(span(1, 0, "a", 0, 100).status(error("x")), span(2, 1, "b", 10, 30).status(error("y")),
                span(3, 99, "orphan", 20, 50).status(error("z")));
        assertThat(TraceAnalysis.of(t).errorOrigin().orElseThrow().serviceName()).isEqualTo("b");
    }

    @Test
    void noErrorOriginWithoutErrorSpans() {
        assertThat(TraceAnalysis.of(trace(span(1, 0, "a", 0, 100))).errorOrigin()).isEmpty();
    }

    @Test
    void latencyByServiceSumsSelfTimeLargestFirst() {
        Trace t = trace(span(1, 0, "frontend", 0, 100), span(2, 1, "orders", 10, 40),
                span(3, 1, "payments", 50, 90), span(4, 3, "db", 60, 70), span(5, 3, "db", 65, 75));
        assertThat(TraceAnalysis.of(t).latencyByService()).containsExactly(
                new ServiceLatency("frontend", 30 * MS, 1), new ServiceLatency("orders", 30 * MS, 1),
                new ServiceLatency("payments", 25 * MS, 1), new ServiceLatency("db", 20 * MS, 2));
    }

    @Test
    void latencyByServiceCountsOnlyTheChildTimeInsideTheParent() {
        Trace t = trace(span(1, 0, "a", 0, 100), span(2, 1, "b", 80, 130), span(3, 1, "c", -20, 10),
                span(4, 1, "d", 150, 160));
        assertThat(TraceAnalysis.of(t).latencyByService()).containsExactly(
                new ServiceLatency("a", 70 * MS, 1), new ServiceLatency("b", 50 * MS, 1),
                new ServiceLatency("c", 30 * MS, 1), new ServiceLatency("d", 10 * MS, 1));
    }

    @Test
    void latencyByServiceSubtractsAsynchronousChildrenToo() {
        Trace t = trace(span(1, 0, "a", 0, 100), span(2, 1, "a", 10, 90).kind(SpanKind.PRODUCER),
                span(3, 2, "worker", 20, 85).kind(SpanKind.CONSUMER));
        assertThat(TraceAnalysis.of(t).latencyByService()).containsExactly(
                new ServiceLatency("worker", 65 * MS, 1), new ServiceLatency("a", 35 * MS, 2));
    }
}
