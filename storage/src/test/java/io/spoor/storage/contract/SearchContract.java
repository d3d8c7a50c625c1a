package io.spoor.storage.contract;

import static io.spoor.storage.contract.ContractQueries.ids;
import static io.spoor.storage.contract.ContractQueries.query;
import static io.spoor.storage.contract.ContractQueries.traceId;
import static io.spoor.storage.contract.ContractQueries.withDuration;
import static io.spoor.storage.contract.ContractQueries.withKey;
import static io.spoor.storage.contract.ContractQueries.withLimit;
import static io.spoor.storage.contract.ContractQueries.withOperation;
import static io.spoor.storage.contract.ContractQueries.withService;
import static io.spoor.storage.contract.ContractQueries.withStatus;
import static io.spoor.storage.contract.ContractQueries.withTag;
import static io.spoor.storage.contract.ContractQueries.withWindow;
import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Attributes;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanKind;
import io.spoor.model.StatusCode;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Searching: newest first, the limit applied after every filter, each criterion (and one span satisfying all of
 * them), the summary of the whole trace, and the catalog of services and operations.
 */
public interface SearchContract extends StoreContract {

    @Test
    default void findsTracesNewestFirst() {
        long t0 = now() - Duration.ofHours(1).toNanos();
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            TraceId id = traceId(200 + i);
            spans.add(span(id, 1, 0, "svc", "op", t0 + i * 1000 * MS, 5 * MS));
            spans.add(span(id, 2, 1, "svc", "inner", t0 + i * 1000 * MS + MS, MS));
        }
        Collections.shuffle(spans, new Random(1));
        write(spans);
        eventually(() -> find(query()).size(), n -> n == 10);

        List<TraceSummary> newest = find(withLimit(query(), 3));

        assertThat(ids(newest)).containsExactly(traceId(209), traceId(208), traceId(207));
        assertThat(newest.get(0).spanCount()).isEqualTo(2);
        assertThat(newest.get(0).rootSpanName()).isEqualTo("op");
        assertThat(newest.get(0).startEpochNanos()).isEqualTo(t0 + 9000 * MS);
    }

    @Test
    default void appliesTheLimitAfterEveryFilter() {
        // Jaeger #1568: limiting candidates before filtering loses matches. 5 error traces are older than 1000
        // ordinary ones; asking for error=true with limit 5 must return exactly those 5.
        long t0 = now() - Duration.ofHours(2).toNanos();
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TraceId id = traceId(1000 + i);
            spans.add(span(id, 1, 0, "api", "GET /x", t0 + i * MS, 10 * MS));
            spans.add(span(id, 2, 1, "db", "query", t0 + i * MS + 1, 5 * MS, "error", true));
        }
        for (int i = 0; i < 1000; i++) {
            TraceId id = traceId(2000 + i);
            long t = t0 + Duration.ofMinutes(1).toNanos() + i * MS;
            spans.add(span(id, 1, 0, "api", "GET /x", t, 10 * MS));
            spans.add(span(id, 2, 1, "db", "query", t + 1, 5 * MS, "error", false));
        }
        writeInBatches(spans, 500);
        eventually(() -> find(withLimit(query(), 2000)).size(), n -> n == 1005);

        List<TraceSummary> errors = find(withLimit(withTag(query(), "error", "true"), 5));

        assertThat(ids(errors)).containsExactly(traceId(1004), traceId(1003), traceId(1002), traceId(1001),
                traceId(1000));
        assertThat(find(withLimit(withTag(withService(query(), "db"), "error", "true"), 3)))
                .extracting(TraceSummary::traceId).containsExactly(traceId(1004), traceId(1003), traceId(1002));
        assertThat(find(withLimit(query(), 7))).hasSize(7);
    }

    @Test
    default void filtersByService() {
        List<TraceId> t = CriteriaFixture.write(this);
        assertThat(ids(find(withService(query(), "checkout")))).containsExactly(t.get(1), t.get(0));
        assertThat(ids(find(withService(query(), "payments")))).containsExactly(t.get(3), t.get(1), t.get(0));
        assertThat(find(withService(query(), "nope"))).isEmpty();
    }

    @Test
    default void filtersByServiceAndOperation() {
        List<TraceId> t = CriteriaFixture.write(this);
        assertThat(ids(find(withOperation(withService(query(), "payments"), "charge"))))
                .containsExactly(t.get(1), t.get(0));
        assertThat(ids(find(withOperation(withService(query(), "payments"), "refund")))).containsExactly(t.get(3));
        // the operation exists, but not in that service
        assertThat(find(withOperation(withService(query(), "frontend"), "charge"))).isEmpty();
    }

    @Test
    default void filtersByOperationAlone() {
        List<TraceId> t = CriteriaFixture.write(this);
        assertThat(ids(find(withOperation(query(), "GET /")))).containsExactly(t.get(3), t.get(2));
    }

    @Test
    default void filtersBySpanAttributeTags() {
        List<TraceId> t = CriteriaFixture.write(this);
        assertThat(ids(find(withTag(query(), "card.type", "visa")))).containsExactly(t.get(3), t.get(0));
        assertThat(ids(find(withTag(query(), "http.status_code", "500")))).containsExactly(t.get(0));
        assertThat(ids(find(withTag(query(), "retry", "true")))).containsExactly(t.get(1));
        assertThat(ids(find(withTag(query(), "ratio", "0.5")))).containsExactly(t.get(1));
        assertThat(find(withTag(query(), "card.type", "mastercard"))).isEmpty();
    }

    @Test
    default void filtersByResourceAttributeTags() {
        List<TraceId> t = CriteriaFixture.write(this);
        assertThat(ids(find(withTag(query(), "cloud.region", "eu")))).containsExactly(t.get(0));
        assertThat(ids(find(withTag(query(), "cloud.region", "us")))).containsExactly(t.get(2));
        assertThat(ids(find(withTag(query(), "service.name", "frontend")))).containsExactly(t.get(3), t.get(2));
    }

    @Test
    default void filtersByMinimumAndMaximumDuration() {
        List<TraceId> t = CriteriaFixture.write(this);
        assertThat(ids(find(withDuration(query(), 100 * MS, Long.MAX_VALUE)))).containsExactly(t.get(2), t.get(1));
        assertThat(ids(find(withDuration(query(), 0, 6 * MS)))).containsExactly(t.get(1));
        assertThat(ids(find(withDuration(query(), 25 * MS, 60 * MS)))).containsExactly(t.get(0));
        assertThat(ids(find(withDuration(withService(query(), "checkout"), 100 * MS, Long.MAX_VALUE)))).isEmpty();
    }

    @Test
    default void filtersByTimeWindow() {
        List<TraceId> t = CriteriaFixture.write(this);
        long t0 = CriteriaFixture.start(this);
        assertThat(ids(find(withWindow(query(), t0 + 500 * MS, t0 + 2500 * MS)))).containsExactly(t.get(2), t.get(1));
        assertThat(ids(find(withWindow(query(), t0, t0)))).containsExactly(t.get(0));
        assertThat(find(withWindow(query(), t0 + 10_000 * MS, t0 + 20_000 * MS))).isEmpty();
    }

    @Test
    default void requiresOneSpanToSatisfyEveryCriterion() {
        List<TraceId> t = CriteriaFixture.write(this);
        // trace 1 has a checkout span and a card.type=visa span, but not one span with both
        assertThat(find(withTag(withService(query(), "checkout"), "card.type", "visa"))).isEmpty();
        // trace 2's charge span is 200 ms, its GET /cart span is 5 ms; no single span is charge and 5 ms
        assertThat(find(withDuration(withOperation(query(), "charge"), 0, 6 * MS))).isEmpty();
        // both criteria on one span
        assertThat(ids(find(withTag(withService(query(), "payments"), "card.type", "visa"))))
                .containsExactly(t.get(3), t.get(0));
        assertThat(ids(find(withDuration(withTag(withOperation(withService(query(), "payments"), "charge"),
                "card.type", "amex"), 100 * MS, Long.MAX_VALUE)))).containsExactly(t.get(1));
    }

    @Test
    default void summarisesTheWholeTraceEvenWhenOneSpanMatched() {
        List<TraceId> t = CriteriaFixture.write(this);
        TraceSummary s = find(withTag(query(), "card.type", "amex")).get(0);
        assertThat(s.traceId()).isEqualTo(t.get(1));
        assertThat(s.spanCount()).isEqualTo(2);
        assertThat(s.rootServiceName()).isEqualTo("checkout");
        assertThat(s.rootSpanName()).isEqualTo("GET /cart");
        assertThat(s.services()).containsExactly("checkout", "payments");
        assertThat(s.durationNanos()).isEqualTo(201 * MS);
    }

    @Test
    default void listsServicesAndTheirOperations() {
        CriteriaFixture.write(this);
        eventually(() -> store().services(), s -> s.size() == 3);

        assertThat(store().services()).containsExactly("checkout", "frontend", "payments");
        assertThat(store().operations("payments")).containsExactly(new Operation("charge", SpanKind.CLIENT),
                new Operation("refund", SpanKind.CLIENT));
        assertThat(store().operations("checkout")).containsExactly(new Operation("GET /cart", SpanKind.SERVER),
                new Operation("POST /pay", SpanKind.SERVER));
        assertThat(store().operations("unknown")).isEmpty();
    }

    @Test
    default void findsTracesByStatusAndByAttributeKeyOrEventName() {
        long t0 = now() - Duration.ofMinutes(10).toNanos();
        TraceId failed = traceId(700);
        TraceId tagged = traceId(701);
        TraceId plain = traceId(702);
        write(List.of(
                TestSpans.withStatus(span(failed, 1, 0, "api", "GET /a", t0, 5 * MS), StatusCode.ERROR),
                span(tagged, 1, 0, "api", "GET /b", t0 + MS, 5 * MS, "cache.hit", true),
                span(plain, 1, 0, "api", "GET /c", t0 + 2 * MS, 5 * MS).toBuilder()
                        .events(List.of(new SpanEvent(t0 + 3 * MS, "retry", Attributes.EMPTY, 0)))
                        .build()));
        eventually(() -> find(query()).size(), n -> n == 3);

        assertThat(ids(find(withStatus(query(), StatusCode.ERROR)))).containsExactly(failed);
        assertThat(ids(find(withKey(query(), "cache.hit")))).containsExactly(tagged);
        assertThat(ids(find(withKey(query(), "retry")))).containsExactly(plain);
        assertThat(ids(find(withKey(query(), "service.name")))).containsExactly(plain, tagged, failed);
        assertThat(find(withKey(withStatus(query(), StatusCode.ERROR), "cache.hit"))).isEmpty();
    }
}
