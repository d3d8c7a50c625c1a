package io.spoor.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTest {
    private static final TraceId ID = new TraceId(7, 9);
    private static final Resource FRONTEND = new Resource(Attributes.of("service.name", "frontend"), "");
    private static final Resource ORDERS = new Resource(Attributes.of("service.name", "orders"), "");

    private static Span span(long id, long parent, long start, long end, Resource r, StatusCode code) {
        return Span.builder(ID, id).parentSpanId(parent).name("op" + id).startEpochNanos(start).endEpochNanos(end)
                .resource(r).status(new Status(code, "")).build();
    }

    @Test
    void keepsOneSpanPerSpanIdWhenClientsRetried() {
        Span a = span(1, 0, 10, 50, FRONTEND, StatusCode.UNSET);
        Trace t = Trace.ofDeduplicated(ID, List.of(a, a, span(2, 1, 20, 30, ORDERS, StatusCode.UNSET)));
        assertThat(t.spans()).hasSize(2);
    }

    @Test
    void summarisesRootDurationServicesAndErrors() {
        Trace t = new Trace(ID, List.of(
                span(2, 1, 20, 30, ORDERS, StatusCode.ERROR),
                span(1, 0, 10, 50, FRONTEND, StatusCode.UNSET),
                span(3, 1, 25, 60, ORDERS, StatusCode.OK)));
        TraceSummary s = TraceSummary.of(t);
        assertThat(s.rootServiceName()).isEqualTo("frontend");
        assertThat(s.rootSpanName()).isEqualTo("op1");
        assertThat(s.startEpochNanos()).isEqualTo(10);
        assertThat(s.durationNanos()).isEqualTo(50);
        assertThat(s.spanCount()).isEqualTo(3);
        assertThat(s.errorCount()).isEqualTo(1);
        assertThat(s.spansPerService()).containsEntry("orders", 2).containsEntry("frontend", 1);
        assertThat(s.services()).containsExactly("frontend", "orders");
    }

    @Test
    void fallsBackToTheEarliestOrphanWhenTheRootHasNotArrived() {
        Trace t = new Trace(ID, List.of(span(3, 2, 30, 40, ORDERS, StatusCode.UNSET),
                span(2, 1, 20, 45, ORDERS, StatusCode.UNSET)));
        assertThat(t.root()).map(Span::spanId).contains(2L);
    }

    @Test
    void namesAServiceWithoutServiceNameUnknownService() {
        assertThat(Resource.EMPTY.serviceName()).isEqualTo("unknown_service");
    }

    @Test
    void rendersWholeDoublesWithoutAFractionForTagSearch() {
        assertThat(AttributeValue.of(500.0).asString()).isEqualTo("500");
        assertThat(AttributeValue.of(0.25).asString()).isEqualTo("0.25");
    }
}
