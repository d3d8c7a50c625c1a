package io.spoor.dependencies;

import io.spoor.model.Attributes;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import java.util.ArrayList;
import java.util.List;

/** Traces with a known dependency answer, for the tests of the write side and the read side. */
public final class ShopTraces {
    public static final long MS = 1_000_000L;

    private ShopTraces() {
    }

    /** A shop trace with a known answer; {@code t0} is the root's start, every call starts after it. */
    public static List<Span> shop(TraceId id, long t0, boolean failing) {
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

    public static Span span(TraceId id, long spanId, long parent, String service, SpanKind kind, long start, boolean error,
                     Object... attributes) {
        return Span.builder(id, spanId).parentSpanId(parent).name("op").kind(kind).startEpochNanos(start)
                .endEpochNanos(start + MS).attributes(Attributes.of(attributes))
                .status(error ? new Status(StatusCode.ERROR, "boom") : Status.UNSET)
                .resource(new Resource(Attributes.of("service.name", service), "")).build();
    }
}
