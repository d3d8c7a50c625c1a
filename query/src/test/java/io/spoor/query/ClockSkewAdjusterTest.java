package io.spoor.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Attributes;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanKind;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClockSkewAdjusterTest {
    static final long MS = 1_000_000L;
    static final TraceId ID = new TraceId(1, 2);
    static final Resource FRONTEND = new Resource(Attributes.of("service.name", "frontend", "host.name", "a"), "");
    static final Resource BACKEND = new Resource(Attributes.of("service.name", "backend", "host.name", "b"), "");
    static final Resource BACKEND_SAME_HOST = new Resource(Attributes.of("service.name", "backend", "host.name", "a"),
            "");

    static Span span(long id, long parent, Resource r, SpanKind kind, long start, long duration) {
        return Span.builder(ID, id).parentSpanId(parent).name("op" + id).kind(kind).resource(r)
                .startEpochNanos(start).endEpochNanos(start + duration).build();
    }

    static Map<Long, Span> byId(AssembledTrace t) {
        return t.trace().spans().stream().collect(Collectors.toMap(Span::spanId, Function.identity()));
    }

    @Test
    void centresAServerSpanFromAnotherHostInsideItsClientParentAndShiftsItsSubtree() {
        long t0 = 1_000_000 * MS;
        Span root = span(1, 0, FRONTEND, SpanKind.SERVER, t0, 100 * MS);
        Span client = span(2, 1, FRONTEND, SpanKind.CLIENT, t0 + 10 * MS, 50 * MS);
        // the backend's clock is 1 s behind: its 30 ms server span appears to start before the call
        Span server = span(3, 2, BACKEND, SpanKind.SERVER, t0 + 10 * MS - 1000 * MS, 30 * MS).toBuilder()
                .events(List.of(new SpanEvent(t0 - 985 * MS, "ev", Attributes.EMPTY, 0))).build();
        Span db = span(4, 3, BACKEND, SpanKind.CLIENT, t0 - 985 * MS, 5 * MS);
        Span sibling = span(5, 1, FRONTEND, SpanKind.INTERNAL, t0 + 70 * MS, 5 * MS);

        AssembledTrace adjusted = new ClockSkewAdjuster(0).adjust(new Trace(ID, List.of(root, client, server, db,
                sibling)));

        Map<Long, Span> s = byId(adjusted);
        // latency split half each way: (50 - 30) / 2 = 10 ms after the client starts
        assertThat(s.get(3L).startEpochNanos()).isEqualTo(t0 + 20 * MS);
        assertThat(s.get(3L).durationNanos()).isEqualTo(30 * MS);
        assertThat(s.get(3L).events().get(0).epochNanos()).isEqualTo(t0 + 25 * MS);
        // same host as the server: the same shift (+990 ms)
        assertThat(s.get(4L).startEpochNanos()).isEqualTo(t0 + 25 * MS);
        assertThat(s.get(1L)).isEqualTo(root);
        assertThat(s.get(2L)).isEqualTo(client);
        assertThat(s.get(5L)).isEqualTo(sibling);
        assertThat(adjusted.warnings(s.get(3L))).singleElement().asString().contains("+1.01s");
        assertThat(adjusted.warnings(s.get(4L))).singleElement().asString().contains("+1.01s");
        assertThat(adjusted.warnings(root)).isEmpty();
    }

    @Test
    void leavesAChildThatFitsAlone() {
        long t0 = 5_000 * MS;
        Span client = span(1, 0, FRONTEND, SpanKind.CLIENT, t0, 50 * MS);
        Span server = span(2, 1, BACKEND, SpanKind.SERVER, t0 + 5 * MS, 40 * MS);
        Trace trace = new Trace(ID, List.of(client, server));

        AssembledTrace adjusted = new ClockSkewAdjuster(0).adjust(trace);

        assertThat(adjusted.trace()).isEqualTo(trace);
        assertThat(adjusted.warnings()).isEmpty();
    }

    @Test
    void onlyMovesALongerChildSoThatItDoesNotStartBeforeItsParent() {
        long t0 = 5_000 * MS;
        Span client = span(1, 0, FRONTEND, SpanKind.CLIENT, t0, 10 * MS);
        Span async = span(2, 1, BACKEND, SpanKind.CONSUMER, t0 - 3 * MS, 500 * MS);
        Span late = span(3, 1, BACKEND, SpanKind.CONSUMER, t0 + 2 * MS, 500 * MS);

        Map<Long, Span> s = byId(new ClockSkewAdjuster(0).adjust(new Trace(ID, List.of(client, async, late))));

        assertThat(s.get(2L).startEpochNanos()).isEqualTo(t0);
        assertThat(s.get(3L).startEpochNanos()).isEqualTo(t0 + 2 * MS);
    }

    @Test
    void neverAdjustsSpansRecordedOnTheSameHost() {
        long t0 = 5_000 * MS;
        Span client = span(1, 0, FRONTEND, SpanKind.CLIENT, t0, 10 * MS);
        Span server = span(2, 1, BACKEND_SAME_HOST, SpanKind.SERVER, t0 + 8 * MS, 5 * MS);
        Trace trace = new Trace(ID, List.of(client, server));

        assertThat(new ClockSkewAdjuster(0).adjust(trace).trace()).isEqualTo(trace);
    }

    @Test
    void refusesShiftsLargerThanTheMaximumAndSaysSo() {
        long t0 = 5_000_000 * MS;
        Span client = span(1, 0, FRONTEND, SpanKind.CLIENT, t0, 10 * MS);
        Span server = span(2, 1, BACKEND, SpanKind.SERVER, t0 - 3_600_000 * MS, 4 * MS);

        AssembledTrace adjusted = new ClockSkewAdjuster(60_000 * MS).adjust(new Trace(ID, List.of(client, server)));

        assertThat(byId(adjusted).get(2L)).isEqualTo(server);
        assertThat(adjusted.warnings(server)).singleElement().asString().contains("exceeds the maximum")
                .contains("not applied");
    }

    @Test
    void usesTheZipkinLocalAddressOrTheServiceInstanceWhenNoHostIsKnown() {
        Span a = Span.builder(ID, 1).resource(new Resource(Attributes.of("service.name", "x"), "")).build();
        Span b = Span.builder(ID, 2).resource(new Resource(Attributes.of("service.name", "x",
                "service.instance.id", "i-1"), "")).attributes(Attributes.of("network.local.address", "10.0.0.7"))
                .build();
        assertThat(ClockSkewAdjuster.hostKey(a)).isEqualTo("service=x/");
        assertThat(ClockSkewAdjuster.hostKey(b)).isEqualTo("ip=10.0.0.7");
        assertThat(ClockSkewAdjuster.hostKey(span(3, 0, FRONTEND, SpanKind.SERVER, 0, 1))).isEqualTo("host.name=a");
    }
}
