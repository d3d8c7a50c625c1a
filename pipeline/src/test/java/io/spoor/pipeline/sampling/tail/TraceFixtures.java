package io.spoor.pipeline.sampling.tail;

import io.spoor.model.Attributes;
import io.spoor.model.Resource;
import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import io.spoor.model.Status;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import java.util.ArrayList;
import java.util.List;

/** Generated traces for the tail-sampling tests: a root and children, as a shop's checkout would send them. */
final class TraceFixtures {
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long MS = 1_000_000L;

    private TraceFixtures() {
    }

    /** {@code spans} spans: a root of {@code rootMillis}, children inside it; span 1 fails when {@code error}. */
    static List<Span> trace(TraceId id, String service, String operation, long rootMillis, int spans, boolean error) {
        Resource resource = new Resource(Attributes.of("service.name", service, "deployment.environment", "prod"), "");
        List<Span> out = new ArrayList<>();
        out.add(Span.builder(id, 1).name(operation).kind(SpanKind.SERVER).resource(resource)
                .startEpochNanos(T0).endEpochNanos(T0 + rootMillis * MS)
                .attributes(Attributes.of("http.request.method", "GET", "http.route", operation,
                        "http.response.status_code", error ? 500 : 200))
                .build());
        for (int i = 1; i < spans; i++) {
            out.add(Span.builder(id, i + 1L).parentSpanId(1).name("SELECT orders").kind(SpanKind.CLIENT)
                    .resource(resource).startEpochNanos(T0 + i * MS).endEpochNanos(T0 + (i + 1) * MS)
                    .attributes(Attributes.of("db.system", "postgresql", "db.statement", "SELECT * FROM orders WHERE id = ?"))
                    .status(error && i == 1 ? new Status(StatusCode.ERROR, "connection reset") : Status.UNSET)
                    .build());
        }
        return out;
    }
}
