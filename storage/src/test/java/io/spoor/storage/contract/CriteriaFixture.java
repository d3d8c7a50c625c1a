package io.spoor.storage.contract;

import static io.spoor.storage.contract.ContractQueries.query;
import static io.spoor.storage.contract.ContractQueries.traceId;
import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.span;

import io.spoor.model.Span;
import io.spoor.model.TraceId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed data set for the criterion tests; every trace starts 1 s after the previous one, so "newest first" is the
 * reverse of the returned list.
 * <pre>
 * 1: checkout/POST /pay 50 ms, span tag http.status_code=500 (long), resource region eu;
 *    payments/charge 30 ms with card.type=visa
 * 2: checkout/GET /cart 5 ms, tag http.status_code=200; payments/charge 200 ms with card.type=amex, retry, ratio
 * 3: frontend/GET / only, 1 s, resource region us
 * 4: frontend/GET / 20 ms calling payments/refund 10 ms (tag card.type=visa)
 * </pre>
 */
public final class CriteriaFixture {
    private CriteriaFixture() {
    }

    /** Writes the data set an hour before the clock's now and waits until all of it is searchable. */
    public static List<TraceId> write(StoreContract c) {
        long t0 = start(c);
        List<Span> spans = new ArrayList<>();
        TraceId t1 = traceId(1);
        spans.add(span(t1, 11, 0, "checkout", "POST /pay", t0, 50 * MS, "http.status_code", 500L)
                .toBuilder().resource(TestSpans.resource("checkout", "cloud.region", "eu")).build());
        spans.add(span(t1, 12, 11, "payments", "charge", t0 + MS, 30 * MS, "card.type", "visa"));
        TraceId t2 = traceId(2);
        spans.add(span(t2, 21, 0, "checkout", "GET /cart", t0 + 1000 * MS, 5 * MS, "http.status_code", 200L));
        spans.add(span(t2, 22, 21, "payments", "charge", t0 + 1001 * MS, 200 * MS, "card.type", "amex",
                "retry", true, "ratio", 0.5));
        TraceId t3 = traceId(3);
        spans.add(span(t3, 31, 0, "frontend", "GET /", t0 + 2000 * MS, 1000 * MS, "user.id", "u-7")
                .toBuilder().resource(TestSpans.resource("frontend", "cloud.region", "us")).build());
        TraceId t4 = traceId(4);
        spans.add(span(t4, 41, 0, "frontend", "GET /", t0 + 3000 * MS, 20 * MS, "user.id", "u-8"));
        spans.add(span(t4, 42, 41, "payments", "refund", t0 + 3001 * MS, 10 * MS, "card.type", "visa"));
        c.write(spans);
        c.eventually(() -> c.find(query()).size(), n -> n == 4);
        return List.of(t1, t2, t3, t4);
    }

    /** Where the first trace starts. */
    public static long start(StoreContract c) {
        return c.now() - Duration.ofHours(1).toNanos();
    }
}
