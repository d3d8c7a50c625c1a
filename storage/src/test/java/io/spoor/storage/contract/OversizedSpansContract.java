package io.spoor.storage.contract;

import static io.spoor.storage.contract.ContractQueries.query;
import static io.spoor.storage.contract.ContractQueries.withLimit;
import static io.spoor.storage.contract.ContractQueries.withService;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Span;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Poison never spreads (issue 10): whatever an engine's index cannot take in one span — a name, service name,
 * attribute key or value of 40 KiB to 1 MiB — the span is still stored whole and readable by its trace id, and its
 * neighbours in the batch (and in other batches written at the same time) stay readable and searchable. An engine
 * truncates or hashes such values for its index, or keeps the span unindexed, but never loses the batch.
 * ({@link DurabilityContract} checks the same batch across a restart.)
 */
public interface OversizedSpansContract extends StoreContract {

    @Test
    default void storesOversizedSpansWholeAndKeepsTheirNeighboursSearchable() {
        OversizedSpans batch = OversizedSpans.batch(now());

        write(batch.spans());

        batch.assertEveryTraceReadable(this);
        batch.assertNormalSpansSearchable(this);
    }

    @Test
    default void oversizedSpansDoNotCostConcurrentBatchesTheirSpans() {
        // the reproduction's second half: one hostile request among others lost the spans of all of them
        OversizedSpans hostile = OversizedSpans.batch(now());
        List<List<Span>> others = new ArrayList<>();
        for (int r = 0; r < 19; r++) {
            List<Span> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                batch.add(TestSpans.span(new io.spoor.model.TraceId(0x0CAFE, r * 100L + i), 1, 0, "bystander",
                        "op-" + r, now() - 1_000 * TestSpans.MS + i, TestSpans.MS, "request", (long) r));
            }
            others.add(batch);
        }
        List<java.util.concurrent.CompletableFuture<Void>> writes = new ArrayList<>();
        for (int r = 0; r < others.size(); r++) {
            writes.add(store().write(others.get(r)));
            if (r == 9) {
                writes.add(store().write(hostile.spans()));
            }
        }
        java.util.concurrent.CompletableFuture.allOf(writes.toArray(java.util.concurrent.CompletableFuture[]::new))
                .orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();

        hostile.assertEveryTraceReadable(this);
        for (List<Span> batch : others) {
            for (Span s : batch) {
                assertThat(awaitTrace(s.traceId(), 1).spans()).containsExactly(s);
            }
        }
        eventually(() -> find(withLimit(withService(query(), "bystander"), 1000)).size(), n -> n == 190);
    }
}
