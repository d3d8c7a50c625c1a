package io.spoor.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Attributes;
import io.spoor.model.DependencyLink;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyLinkerTest {
    static final long MS = 1_000_000L;

    /** A shop trace with a known answer; {@code t0} is the root's start, every call starts after it. */
    static List<Span> shop(TraceId id, long t0, boolean failing) {
        List<Span> s = new ArrayList<>();
        s.add(span(id, 1, 0, "frontend", SpanKind.SERVER, t0, false));
        s.add(span(id, 2, 1, "frontend", SpanKind.CLIENT, t0 + MS, false));
        s.add(span(id, 3, 2, "order-service", SpanKind.SERVER, t0 + 2 * MS, failing));
        s.add(span(id, 4, 3, "order-service", SpanKind.INTERNAL, t0 + 3 * MS, false));
        // the client side of order-service → inventory failed (a timeout); the server side did not notice
        s.add(span(id, 5, 4, "order-service", SpanKind.CLIENT, t0 + 4 * MS, true));
        s.add(span(id, 6, 5, "inventory", SpanKind.SERVER, t0 + 5 * MS, false));
        // the payment gateway is not instrumented: only the client span names it
        s.add(span(id, 7, 3, "order-service", SpanKind.CLIENT, t0 + 6 * MS, failing, "peer.service",
                "payment-gateway", "server.address", "pay.example.com"));
        s.add(span(id, 8, 1, "frontend", SpanKind.CLIENT, t0 + 7 * MS, false, "server.address", "redis.local"));
        // a client span inside one service with no peer: no link
        s.add(span(id, 9, 1, "frontend", SpanKind.CLIENT, t0 + 8 * MS, false));
        // an orphan whose parent never arrived: caller unknown
        s.add(span(id, 10, 99, "inventory", SpanKind.SERVER, t0 + 9 * MS, false));
        return s;
    }

    static Span span(TraceId id, long spanId, long parent, String service, SpanKind kind, long start, boolean error,
                     Object... attributes) {
        return Span.builder(id, spanId).parentSpanId(parent).name("op").kind(kind).startEpochNanos(start)
                .endEpochNanos(start + MS).attributes(Attributes.of(attributes))
                .status(error ? new Status(StatusCode.ERROR, "boom") : Status.UNSET)
                .resource(new Resource(Attributes.of("service.name", service), "")).build();
    }

    @Test
    void countsCallsAcrossServicesAndToPeersThatNeverReported() {
        TraceId id = new TraceId(7, 7);
        List<DependencyLinker.Call> calls = DependencyLinker.calls(new Trace(id, shop(id, 1000 * MS, true)));

        assertThat(DependencyLinker.aggregate(calls)).containsExactly(
                new DependencyLink("frontend", "order-service", 1, 1),
                new DependencyLink("frontend", "redis.local", 1, 0),
                new DependencyLink("order-service", "inventory", 1, 1),
                new DependencyLink("order-service", "payment-gateway", 1, 1));
        assertThat(calls).filteredOn(c -> c.child().equals("order-service")).singleElement()
                .extracting(DependencyLinker.Call::epochNanos).isEqualTo(1002 * MS);
        assertThat(calls).filteredOn(c -> c.child().equals("payment-gateway")).singleElement()
                .extracting(DependencyLinker.Call::epochNanos).isEqualTo(1006 * MS);
    }

    @Test
    void aClientSpanWhosePeerReportedCountsOnceThroughItsServerChild() {
        TraceId id = new TraceId(8, 8);
        List<Span> spans = List.of(
                span(id, 1, 0, "a", SpanKind.CLIENT, 0, false, "peer.service", "b"),
                span(id, 2, 1, "b", SpanKind.SERVER, MS, false));
        assertThat(DependencyLinker.aggregate(DependencyLinker.calls(new Trace(id, spans))))
                .containsExactly(new DependencyLink("a", "b", 1, 0));
    }

    @Test
    void mergesLinkLists() {
        assertThat(DependencyLinker.merge(List.of(new DependencyLink("b", "c", 1, 0),
                new DependencyLink("a", "b", 2, 1), new DependencyLink("b", "c", 3, 3))))
                .containsExactly(new DependencyLink("a", "b", 2, 1), new DependencyLink("b", "c", 4, 3));
    }
}
