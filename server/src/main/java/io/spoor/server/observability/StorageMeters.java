package io.spoor.server.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.spoor.storage.SpanStore;
import io.spoor.storage.StorageStats;
import java.util.function.ToDoubleFunction;

/**
 * {@code spoor_storage_stored_spans}, {@code spoor_storage_disk_bytes}, {@code spoor_storage_pending_spans} and the
 * engine's fault counters from {@link SpanStore#stats()}; one stats call serves every meter of a scrape.
 */
public final class StorageMeters {
    private static final long CACHE_NANOS = 500_000_000L;

    private final SpanStore store;
    private volatile StorageStats last = new StorageStats(0, 0, 0);
    private volatile long lastAt;
    private volatile boolean fresh;

    public StorageMeters(SpanStore store, MeterRegistry registry) {
        this.store = store;
        gauge(registry, "spoor_storage_stored_spans", "Spans held by the storage engine", StorageStats::storedSpans);
        gauge(registry, "spoor_storage_disk_bytes", "Bytes the storage engine uses on disk", StorageStats::diskBytes);
        gauge(registry, "spoor_storage_pending_spans", "Spans written but not yet searchable",
                StorageStats::pendingSpans);
        counter(registry, "spoor_storage_unindexed_spans", "Spans stored without index terms because the index "
                + "refused their block (found by trace id and by verifying searches)", StorageStats::unindexedSpans);
        counter(registry, "spoor_storage_truncated_index_names", "Service or operation names cut to fit the index "
                + "(the span keeps its whole name)", StorageStats::truncatedIndexNames);
        counter(registry, "spoor_storage_skipped_log_records", "Intact write-ahead log records that could not be "
                + "read or indexed on replay and were skipped (an ERROR names each)", StorageStats::skippedLogRecords);
        counter(registry, "spoor_storage_skipped_log_bytes", "Corrupt write-ahead log bytes between intact records, "
                + "skipped on replay", StorageStats::skippedLogBytes);
    }

    /** A count since the engine opened, as a Prometheus counter ({@code _total}). */
    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<StorageStats> f) {
        FunctionCounter.builder(name, this, m -> f.applyAsDouble(m.stats())).description(description)
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<StorageStats> f) {
        Gauge.builder(name, this, m -> f.applyAsDouble(m.stats())).description(description).strongReference(true)
                .register(registry);
    }

    private StorageStats stats() {
        long now = System.nanoTime();
        if (!fresh || now - lastAt > CACHE_NANOS) {
            try {
                last = store.stats();
            } catch (RuntimeException e) {
                // a closed store keeps its last figures
            }
            lastAt = now;
            fresh = true;
        }
        return last;
    }
}
