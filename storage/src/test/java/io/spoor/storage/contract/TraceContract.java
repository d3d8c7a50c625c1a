package io.spoor.storage.contract;

import static io.spoor.storage.contract.ContractQueries.query;
import static io.spoor.storage.contract.ContractQueries.traceId;
import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.storage.TimeWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Writing spans and reading traces back by id: every field intact, duplicates once, figures in the stats. */
public interface TraceContract extends StoreContract {

    @Test
    default void writesThenReadsBackATraceWithEveryFieldIntact() {
        TraceId id = traceId(100);
        long t = now() - 10 * MS;
        Span root = TestSpans.everyField(id, 1, 0, t);
        Span child = TestSpans.everyField(id, 2, 1, t + MS).toBuilder().name("child").kind(SpanKind.CONSUMER).build();
        Span other = span(id, 3, 1, "other-service", "plain", t + 2 * MS, MS);
        write(List.of(root, child, other));

        Trace trace = awaitTrace(id, 3);

        assertThat(trace).isEqualTo(new Trace(id, List.of(root, child, other)));
        assertThat(trace.spans().get(0)).isEqualTo(root);
        assertThat(trace.spans().get(0).attributes()).isEqualTo(root.attributes());
        assertThat(trace.spans().get(0).resource()).isEqualTo(root.resource());
    }

    @Test
    default void keepsSpansOfOneTraceWrittenInSeparateBatches() {
        TraceId id = traceId(101);
        long t = now() - 10 * MS;
        write(List.of(span(id, 1, 0, "a", "root", t, 10 * MS)));
        write(List.of(span(id, 2, 1, "b", "child", t + MS, 2 * MS)));

        Trace trace = awaitTrace(id, 2);

        assertThat(trace.spans()).extracting(Span::spanId).containsExactly(1L, 2L);
    }

    @Test
    default void duplicateSpansAppearOnce() {
        TraceId id = traceId(102);
        long t = now() - 10 * MS;
        List<Span> spans = List.of(span(id, 1, 0, "a", "root", t, 10 * MS), span(id, 2, 1, "a", "child", t + MS, MS));
        write(spans);
        write(spans); // a client's retry
        write(List.of(spans.get(1), spans.get(1))); // and a duplicate inside one batch

        Trace trace = awaitTrace(id, 2);
        assertThat(trace.spans()).containsExactlyElementsOf(spans);
        eventually(() -> find(query()), r -> r.size() == 1 && r.get(0).spanCount() == 2);
    }

    @Test
    default void returnsNothingForAnUnknownTrace() {
        assertThat(store().trace(traceId(999_999), TimeWindow.ALL)).isEmpty();
        assertThat(find(query())).isEmpty();
    }

    @Test
    default void findsTraceByIdWithATimeHint() {
        TraceId id = traceId(103);
        long t = now() - Duration.ofMinutes(5).toNanos();
        write(List.of(span(id, 1, 0, "a", "root", t, 10 * MS), span(id, 2, 1, "a", "c", t + MS, MS)));
        awaitTrace(id, 2);

        Optional<Trace> hinted = store().trace(id, new TimeWindow(t - Duration.ofMinutes(1).toNanos(),
                t + Duration.ofMinutes(1).toNanos()));

        assertThat(hinted).isPresent();
        assertThat(hinted.get().spans()).hasSize(2);
    }

    @Test
    default void reportsStoredAndPendingSpans() {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            spans.add(span(traceId(600 + i), 1, 0, "svc", "op", now() - i * MS, MS));
        }
        write(spans);
        eventually(() -> store().stats(), s -> s.storedSpans() == 20 && s.pendingSpans() == 0);
    }
}
