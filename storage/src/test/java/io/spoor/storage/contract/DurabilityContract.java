package io.spoor.storage.contract;

import static io.spoor.storage.contract.ContractQueries.MINUTE;
import static io.spoor.storage.contract.ContractQueries.bucket;
import static io.spoor.storage.contract.ContractQueries.ids;
import static io.spoor.storage.contract.ContractQueries.query;
import static io.spoor.storage.contract.ContractQueries.traceId;
import static io.spoor.storage.contract.ContractQueries.withTag;
import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.DependencyLink;
import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.DependencyBucket;
import io.spoor.storage.Operation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * For durable engines: what was acknowledged is all there after the store is closed and opened again — spans
 * (searchable as before), the catalog, dependency buckets, and spans too large for an index beside their
 * neighbours.
 * (Crash durability, {@code kill -9} mid-write, is engine-specific: it needs a child process.)
 */
public interface DurabilityContract extends StoreContract {

    @Test
    default void keepsEverythingAcrossARestart() {
        List<TraceId> t = CriteriaFixture.write(this);
        TraceId id = traceId(400);
        Span full = TestSpans.everyField(id, 1, 0, now() - MS);
        write(List.of(full));
        awaitTrace(id, 1);
        List<TraceSummary> before = find(query());

        reopen();

        Trace after = awaitTrace(id, 1);
        assertThat(after.spans()).containsExactly(full);
        assertThat(eventually(() -> find(query()), r -> r.size() == before.size())).isEqualTo(before);
        assertThat(ids(find(withTag(query(), "card.type", "visa")))).containsExactly(t.get(3), t.get(0));
        assertThat(store().services()).containsExactly("checkout", "every-field", "frontend", "payments");
        assertThat(store().operations("payments")).extracting(Operation::name).containsExactly("charge", "refund");
    }

    @Test
    default void keepsAcknowledgedSpansWrittenRightBeforeARestart() {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            spans.add(span(traceId(500 + i), 1, 0, "svc", "op", now() - i * MS, MS));
        }
        write(spans); // not waiting for visibility: close must not lose what was acknowledged

        reopen();

        for (int i = 0; i < 50; i++) {
            awaitTrace(traceId(500 + i), 1);
        }
    }

    @Test
    default void keepsDependencyBucketsAcrossARestart() {
        long t = now() - java.time.Duration.ofHours(1).toNanos();
        List<DependencyBucket> written = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            DependencyBucket b = bucket(t + i * MINUTE, new DependencyLink("svc-" + (i % 3), "db", i + 1, i % 2));
            written.add(b);
            store().putDependencies(b);
        }
        store().deleteDependencies(t + 7 * MINUTE);
        written.remove(7);
        store().putDependencies(bucket(t + 8 * MINUTE, new DependencyLink("x", "y", 9, 9)));
        written.set(7, bucket(t + 8 * MINUTE, new DependencyLink("x", "y", 9, 9)));

        reopen();

        assertThat(store().dependencyBuckets(t, t + 100 * MINUTE)).containsExactlyElementsOf(written);
    }

    @Test
    default void keepsOversizedSpansAndTheirNeighboursAcrossARestart() {
        OversizedSpans batch = OversizedSpans.batch(now());
        write(batch.spans()); // acknowledged, then closed at once: the restart replays or reads what was indexed

        reopen();

        batch.assertEveryTraceReadable(this);
        batch.assertNormalSpansSearchable(this);
    }
}
