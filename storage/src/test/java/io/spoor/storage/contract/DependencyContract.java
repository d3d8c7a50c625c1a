package io.spoor.storage.contract;

import static io.spoor.storage.contract.ContractQueries.MINUTE;
import static io.spoor.storage.contract.ContractQueries.bucket;
import static io.spoor.storage.contract.ContractQueries.query;
import static io.spoor.storage.contract.ContractQueries.traceId;
import static io.spoor.storage.contract.ContractQueries.withLimit;
import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.DependencyLink;
import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.storage.DependencyBucket;
import io.spoor.storage.TimeWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What service dependencies need from an engine: the dependency bucket store (put, range, replace, delete) and the
 * whole-window trace scan the query side derives dependencies from.
 */
public interface DependencyContract extends StoreContract {

    @Test
    default void storesDependencyBucketsAndReadsThemBackByStart() {
        long t = now() - Duration.ofHours(1).toNanos();
        DependencyBucket a = bucket(t, new DependencyLink("frontend", "orders", 12, 1));
        DependencyBucket b = bucket(t + MINUTE, new DependencyLink("frontend", "orders", 3, 0),
                new DependencyLink("orders", "payments", 2, 2));
        DependencyBucket c = bucket(t + 5 * MINUTE);
        store().putDependencies(c);
        store().putDependencies(a);
        store().putDependencies(b);

        assertThat(store().dependencyBuckets(t, t + 10 * MINUTE)).containsExactly(a, b, c);
        assertThat(store().dependencyBuckets(t + 1, t + 5 * MINUTE)).containsExactly(b);
        assertThat(store().dependencyBuckets(t + 5 * MINUTE, t + 5 * MINUTE)).isEmpty();
        assertThat(store().dependencyBuckets(t - 10 * MINUTE, t)).isEmpty();
    }

    @Test
    default void replacesAndDeletesDependencyBuckets() {
        long t = now() - Duration.ofHours(1).toNanos();
        store().putDependencies(bucket(t, new DependencyLink("a", "b", 1, 0)));
        DependencyBucket newer = bucket(t, new DependencyLink("a", "b", 5, 1), new DependencyLink("b", "c", 1, 0));
        store().putDependencies(newer);
        assertThat(store().dependencyBuckets(t, t + MINUTE)).containsExactly(newer);

        store().deleteDependencies(t);
        store().deleteDependencies(t + 42); // nothing there: no error
        assertThat(store().dependencyBuckets(t, t + MINUTE)).isEmpty();
    }

    @Test
    default void scansEveryTraceWithASpanStartingInTheWindowOnceAndWhole() {
        long t0 = now() - Duration.ofHours(3).toNanos();
        long hour = Duration.ofHours(1).toNanos();
        TraceId inAndOut = traceId(800);
        TraceId outside = traceId(801);
        TraceId inside = traceId(802);
        List<Span> spans = new ArrayList<>();
        spans.add(span(inAndOut, 1, 0, "a", "root", t0 + hour + 5 * MS, 10 * MS));
        spans.add(span(inside, 1, 0, "b", "root", t0 + hour + 20 * MS, 10 * MS));
        write(spans);
        // the rest of inAndOut, written later and starting outside the window; a duplicate; an outsider
        write(List.of(span(inAndOut, 2, 1, "c", "late", t0 + 2 * hour, MS), spans.get(1),
                span(outside, 1, 0, "a", "root", t0, MS)));
        for (int i = 0; i < 300; i++) {
            write(List.of(span(traceId(900 + i), 1, 0, "bulk", "op", t0 + hour + 100 * MS + i * MS, MS)));
        }
        awaitTrace(inAndOut, 2);
        eventually(() -> find(withLimit(query(), 1000)).size(), n -> n == 303);

        Map<TraceId, Trace> seen = new HashMap<>();
        List<TraceId> order = new ArrayList<>();
        store().scanTraces(new TimeWindow(t0 + hour, t0 + hour + 500 * MS), t -> {
            order.add(t.traceId());
            seen.put(t.traceId(), t);
        });

        assertThat(order).doesNotHaveDuplicates().hasSize(302).contains(inAndOut, inside)
                .doesNotContain(outside);
        assertThat(seen.get(inAndOut).spans()).extracting(Span::spanId).containsExactly(1L, 2L);
        assertThat(seen.get(inside).spans()).hasSize(1);
        List<TraceId> none = new ArrayList<>();
        store().scanTraces(new TimeWindow(t0 + 5 * hour, t0 + 6 * hour), t -> none.add(t.traceId()));
        assertThat(none).isEmpty();
    }
}
