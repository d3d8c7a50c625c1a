package io.spoor.dependencies;

import static io.spoor.dependencies.ShopTraces.MS;
import static io.spoor.dependencies.ShopTraces.shop;
import static io.spoor.dependencies.ShopTraces.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.DependencyLink;
import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyLinkerTest {
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
