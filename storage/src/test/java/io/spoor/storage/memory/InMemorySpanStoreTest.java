package io.spoor.storage.memory;

import static io.spoor.storage.contract.ContractQueries.ids;
import static io.spoor.storage.contract.ContractQueries.query;
import static io.spoor.storage.contract.ContractQueries.traceId;
import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Span;
import io.spoor.storage.SpanStore;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.contract.DependencyContract;
import io.spoor.storage.contract.OversizedSpansContract;
import io.spoor.storage.contract.RetentionContract;
import io.spoor.storage.contract.SearchContract;
import io.spoor.storage.contract.SpanStoreContract;
import io.spoor.storage.contract.TraceContract;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The in-memory engine runs every contract part but durability (it keeps nothing across a restart) and the disk
 * limit (it has a span bound instead, tested here).
 */
class InMemorySpanStoreTest extends SpanStoreContract
        implements TraceContract, SearchContract, DependencyContract, RetentionContract,
        OversizedSpansContract {

    @Override
    protected SpanStore openStore(Path dir, Clock clock, Duration retention, long maxDiskBytes) {
        return new InMemorySpanStore(InMemoryStoreSettings.defaults().withClock(clock).withRetention(retention));
    }

    @Test
    void evictsTheTracesThatStartedFirstBeyondTheSpanBound() {
        store = new InMemorySpanStore(InMemoryStoreSettings.defaults().withClock(clock).withMaxSpans(10));
        long t0 = now() - Duration.ofHours(1).toNanos();
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // 6 traces of 2 spans, written newest first
            long start = t0 + (5 - i) * 1000 * MS;
            spans.add(span(traceId(i), 1, 0, "svc-" + i, "op", start, MS));
            spans.add(span(traceId(i), 2, 1, "svc-" + i, "child", start + 1, MS));
        }
        write(spans);

        // traces 5 (oldest) is gone whole; the catalog forgets its service
        assertThat(store.stats().storedSpans()).isEqualTo(10);
        assertThat(((InMemorySpanStore) store).evictedSpans()).isEqualTo(2);
        assertThat(store.trace(traceId(5), TimeWindow.ALL)).isEmpty();
        assertThat(ids(find(query()))).containsExactly(traceId(0), traceId(1), traceId(2), traceId(3), traceId(4));
        assertThat(store.services()).doesNotContain("svc-5").contains("svc-0", "svc-4");

        // a retried span replaces its copy and takes no room
        write(List.of(spans.get(0)));
        assertThat(store.stats().storedSpans()).isEqualTo(10);
        assertThat(awaitTrace(traceId(0), 2).spans()).hasSize(2);
    }

    @Test
    void refusesWritesOnceClosed() {
        store.close();
        assertThat(store.write(List.of(span(traceId(1), 1, 0, "a", "b", now(), MS)))).isCompletedExceptionally();
        store = null;
    }
}
