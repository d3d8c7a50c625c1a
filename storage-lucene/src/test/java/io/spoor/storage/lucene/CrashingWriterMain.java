package io.spoor.storage.lucene;

import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.storage.contract.OversizedSpans;
import io.spoor.storage.contract.TestSpans;
import io.spoor.spanlog.wal.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Child process for the kill -9 tests: writes numbered batches forever (a few in flight at once) and prints
 * {@code ACK n} when batch n's future completed. The parent kills it and checks every acknowledged batch. In mode
 * {@code poison} it first writes {@link OversizedSpans#batch} (printing {@code ACK poison}) and never commits the
 * index, so that the restart must replay the poison batch from the log. In mode {@code nocommit} it neither commits
 * nor refreshes (so it writes no index file at all): everything acknowledged is in the log only.
 */
public final class CrashingWriterMain {
    static final int SPANS_PER_BATCH = 100;
    static final int SPANS_PER_TRACE = 4;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String mode = args.length > 1 ? args[1] : "plain";
        boolean poison = mode.equals("poison");
        boolean nothingToIndex = mode.equals("nocommit");
        // plain: commits every 300 ms, so that recovery replays the log from a committed position, not from its start
        LuceneSpanStore store = LuceneSpanStore.open(LuceneStoreSettings.defaults(dir)
                .withFsyncPolicy(FsyncPolicy.NONE)
                .withCommitInterval(mode.equals("plain") ? Duration.ofMillis(300) : Duration.ofHours(1))
                .withRefreshInterval(nothingToIndex ? Duration.ofHours(1) : Duration.ofMillis(100)));
        if (poison) {
            store.write(poisonBatch().spans()).join();
            System.out.println("ACK poison");
            System.out.flush();
        }
        Semaphore inFlight = new Semaphore(4);
        for (int batch = 0; ; batch++) {
            inFlight.acquire();
            int n = batch;
            CompletableFuture<Void> f = store.write(batch(n));
            f.whenComplete((v, e) -> {
                if (e == null) {
                    synchronized (System.out) {
                        System.out.println("ACK " + n);
                        System.out.flush();
                    }
                }
                inFlight.release();
            });
        }
    }

    /** The hostile batch of the storage contract, dated where the clock of the parent's test stands. */
    static OversizedSpans poisonBatch() {
        return OversizedSpans.batch(1_893_456_000_000_000_000L); // 2030-01-01, the contract's MutableClock start
    }

    static TraceId traceId(int batch, int trace) {
        return new TraceId(0xC0FFEEL + batch, trace + 1);
    }

    static List<Span> batch(int n) {
        List<Span> spans = new ArrayList<>(SPANS_PER_BATCH);
        long t = 1_900_000_000_000_000_000L + n * 1_000_000L;
        for (int i = 0; i < SPANS_PER_BATCH; i++) {
            int trace = i / SPANS_PER_TRACE;
            int idx = i % SPANS_PER_TRACE;
            spans.add(TestSpans.span(traceId(n, trace), idx + 1, idx, "svc-" + (idx % 3), "op-" + idx, t + i, 1000,
                    "batch", (long) n));
        }
        return spans;
    }
}
