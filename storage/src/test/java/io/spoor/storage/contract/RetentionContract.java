package io.spoor.storage.contract;

import static io.spoor.storage.contract.ContractQueries.bucket;
import static io.spoor.storage.contract.ContractQueries.ids;
import static io.spoor.storage.contract.ContractQueries.query;
import static io.spoor.storage.contract.ContractQueries.traceId;
import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.DependencyLink;
import io.spoor.model.TraceId;
import io.spoor.storage.DependencyBucket;
import io.spoor.storage.TimeWindow;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Age retention of spans and dependency buckets, triggered through {@link io.spoor.storage.SpanStore#enforceRetention}
 * with the clock moved forward.
 */
public interface RetentionContract extends StoreContract {

    @Test
    default void deletesTracesOlderThanTheRetention() {
        reopenWith(Duration.ofHours(1), 0);
        TraceId old = traceId(300);
        TraceId recent = traceId(301);
        write(List.of(span(old, 1, 0, "legacy", "old-op", now() - 10 * MS, 5 * MS)));
        clock().advance(Duration.ofMinutes(90));
        write(List.of(span(recent, 1, 0, "current", "new-op", now() - 10 * MS, 5 * MS)));
        awaitTrace(old, 1);
        awaitTrace(recent, 1);

        store().enforceRetention();

        eventually(() -> store().trace(old, TimeWindow.ALL), Optional::isEmpty);
        assertThat(store().trace(recent, TimeWindow.ALL)).isPresent();
        assertThat(ids(find(query()))).containsExactly(recent);
        assertThat(store().services()).containsExactly("current");
    }

    @Test
    default void dropsDependencyBucketsOlderThanTheRetention() {
        reopenWith(Duration.ofHours(1), 0);
        long old = now() - Duration.ofHours(3).toNanos();
        long recent = now() - Duration.ofMinutes(10).toNanos();
        store().putDependencies(bucket(old, new DependencyLink("a", "b", 1, 0)));
        store().putDependencies(bucket(recent, new DependencyLink("a", "b", 2, 0)));

        store().enforceRetention();

        assertThat(store().dependencyBuckets(0, Long.MAX_VALUE)).extracting(DependencyBucket::startEpochNanos)
                .containsExactly(recent);
    }
}
