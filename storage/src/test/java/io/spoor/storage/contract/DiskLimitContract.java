package io.spoor.storage.contract;

import static io.spoor.storage.contract.ContractQueries.bucket;
import static io.spoor.storage.contract.ContractQueries.query;
import static io.spoor.storage.contract.ContractQueries.randomText;
import static io.spoor.storage.contract.ContractQueries.traceId;
import static io.spoor.storage.contract.ContractQueries.withLimit;
import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.DependencyLink;
import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.storage.DependencyBucket;
import io.spoor.storage.TimeWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * For engines that keep their data on a local disk and take a size limit ({@code maxDiskBytes} of
 * {@link SpanStoreContract#openStore}): the figure in the stats, and deleting the oldest data when over the limit.
 */
public interface DiskLimitContract extends StoreContract {

    @Test
    default void reportsTheBytesItUsesOnDisk() {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            spans.add(span(traceId(650 + i), 1, 0, "svc", "op", now() - i * MS, MS));
        }
        write(spans);
        eventually(() -> store().stats(), s -> s.storedSpans() == 20);
        assertThat(store().stats().diskBytes()).isPositive();
    }

    @Test
    default void deletesTheOldestDataAndItsDependenciesWhenOverTheDiskLimit() {
        long limit = 3L << 20;
        reopenWith(SpanStoreContract.DEFAULT_RETENTION, limit);
        // ~12 MB of incompressible attribute values, oldest trace first
        Random random = new Random(7);
        long t0 = now() - Duration.ofHours(3).toNanos();
        store().putDependencies(bucket(t0 - ContractQueries.MINUTE, new DependencyLink("bulk", "db", 1, 0)));
        store().putDependencies(bucket(t0 + 1999 * 1000 * MS, new DependencyLink("bulk", "db", 2, 0)));
        List<Span> spans = new ArrayList<>();
        int traces = 2000;
        for (int i = 0; i < traces; i++) {
            TraceId id = traceId(10_000 + i);
            for (int j = 0; j < 5; j++) {
                spans.add(span(id, j + 1, j, "bulk", "op" + j, t0 + i * 1000 * MS + j, MS, "payload",
                        randomText(random, 1200)));
            }
        }
        writeInBatches(spans, 1000);
        TraceId oldest = traceId(10_000);
        TraceId newest = traceId(10_000 + traces - 1);
        awaitTrace(newest, 5);
        awaitTrace(oldest, 5);

        store().enforceRetention();

        assertThat(store().stats().diskBytes()).isLessThanOrEqualTo(limit);
        eventually(() -> store().trace(oldest, TimeWindow.ALL), Optional::isEmpty);
        assertThat(store().trace(newest, TimeWindow.ALL)).isPresent();
        assertThat(find(withLimit(query(), 1)).get(0).traceId()).isEqualTo(newest);
        // the calls of the deleted oldest spans leave the service map with them; the newest stay
        assertThat(store().dependencyBuckets(0, Long.MAX_VALUE)).extracting(DependencyBucket::startEpochNanos)
                .containsExactly(t0 + 1999 * 1000 * MS);
    }
}
