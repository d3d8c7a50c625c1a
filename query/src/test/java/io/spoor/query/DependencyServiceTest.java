package io.spoor.query;

import static io.spoor.query.DependencyLinkerTest.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.DependencyLink;
import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.storage.DependencyBucket;
import io.spoor.storage.SpanStore;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import io.spoor.storage.contract.MutableClock;
import io.spoor.storage.lucene.LuceneSpanStore;
import io.spoor.storage.lucene.LuceneStoreSettings;
import io.spoor.spanlog.wal.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dependencies over the real embedded engine: sealed buckets plus derivation must equal derivation alone. */
class DependencyServiceTest {
    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T12:00:00Z"));
    SpanStore store;
    DependencyService deps;
    final List<Span> written = new ArrayList<>();

    @BeforeEach
    void open() {
        store = open(dir);
        deps = new DependencyService(store, store, clock, Duration.ofSeconds(30), Duration.ofHours(2));
    }

    SpanStore open(Path d) {
        return LuceneSpanStore.open(LuceneStoreSettings.defaults(d).withClock(clock)
                .withFsyncPolicy(FsyncPolicy.NONE).withRefreshInterval(Duration.ofMillis(20)));
    }

    @AfterEach
    void close() {
        deps.close();
        store.close();
    }

    void write(List<Span> spans) throws Exception {
        store.write(spans).get(30, TimeUnit.SECONDS);
        deps.observe(spans);
        written.addAll(spans);
        awaitVisible();
    }

    void awaitVisible() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (store.findTraces(TraceQuery.all(TraceQuery.MAX_LIMIT)).stream().mapToInt(t -> t.spanCount()).sum()
                < distinctSpans() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    long distinctSpans() {
        return written.stream().map(s -> s.traceId() + "/" + s.spanId()).distinct().count();
    }

    /** The answer by brute force: every call of every written trace whose time is in the window. */
    List<DependencyLink> expected(TimeWindow w) {
        java.util.Map<TraceId, List<Span>> byTrace = new java.util.LinkedHashMap<>();
        for (Span s : written) {
            byTrace.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
        }
        List<DependencyLinker.Call> calls = new ArrayList<>();
        byTrace.forEach((id, spans) -> DependencyLinker.calls(Trace.ofDeduplicated(id, spans)).stream()
                .filter(c -> w.contains(c.epochNanos())).forEach(calls::add));
        return DependencyLinker.aggregate(calls);
    }

    long now() {
        return clock.nanos();
    }

    @Test
    void answersArbitraryWindowsExactlyBeforeAndAfterSealing() throws Exception {
        Random random = new Random(3);
        long t0 = now() - Duration.ofMinutes(30).toNanos() + 123_456_789L;
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            spans.addAll(DependencyLinkerTest.shop(new TraceId(1, i + 1), t0 + i * 3_333 * MS, i % 7 == 0));
        }
        write(spans);
        List<TimeWindow> windows = new ArrayList<>();
        windows.add(new TimeWindow(t0, t0 + Duration.ofMinutes(20).toNanos()));
        windows.add(new TimeWindow(0, now()));
        for (int i = 0; i < 12; i++) {
            long a = t0 - 5_000 * MS + (long) (random.nextDouble() * 1_000_000 * MS);
            windows.add(new TimeWindow(a, a + (long) (random.nextDouble() * 600_000 * MS)));
        }
        windows.add(new TimeWindow(t0 + 2 * MS, t0 + 2 * MS)); // one instant: the first order-service call

        for (TimeWindow w : windows) {
            assertThat(deps.dependencies(w)).as("unsealed " + w).isEqualTo(expected(w));
        }
        assertThat(deps.dependencies(new TimeWindow(t0 + 2 * MS, t0 + 2 * MS)))
                .containsExactly(new DependencyLink("frontend", "order-service", 1, 1));

        int sealed = deps.sealDue(Long.MAX_VALUE, false);
        assertThat(sealed).isGreaterThanOrEqualTo(90); // buckets holding spans; empty ones are skipped, not stored
        assertThat(store.dependencyBuckets(t0 - DependencyService.W, t0 + Duration.ofMinutes(17).toNanos()))
                .isNotEmpty().allSatisfy(b -> assertThat(b.endEpochNanos() - b.startEpochNanos())
                        .isEqualTo(DependencyService.W));
        for (TimeWindow w : windows) {
            assertThat(deps.dependencies(w)).as("sealed " + w).isEqualTo(expected(w));
        }
        List<DependencyLink> all = deps.dependencies(new TimeWindow(0, now()));
        assertThat(all).contains(new DependencyLink("frontend", "order-service", 300, 43),
                new DependencyLink("order-service", "inventory", 300, 300));
    }

    @Test
    void aLateSpanInASealedBucketIsCountedAtOnceAndResealed() throws Exception {
        long t0 = now() - Duration.ofMinutes(10).toNanos();
        TraceId id = new TraceId(2, 2);
        List<Span> shop = DependencyLinkerTest.shop(id, t0, false);
        // the order-service server span and everything below it arrive first; frontend's spans are late
        List<Span> early = shop.stream().filter(s -> !s.serviceName().equals("frontend")).toList();
        List<Span> late = shop.stream().filter(s -> s.serviceName().equals("frontend")).toList();
        write(early);
        deps.sealDue(Long.MAX_VALUE, false);
        TimeWindow w = new TimeWindow(t0 - Duration.ofMinutes(1).toNanos(), t0 + Duration.ofMinutes(1).toNanos());
        assertThat(deps.dependencies(w)).doesNotContain(new DependencyLink("frontend", "order-service", 1, 0));

        write(late);

        assertThat(deps.dirtyBuckets()).isPositive();
        assertThat(deps.dependencies(w)).isEqualTo(expected(w))
                .contains(new DependencyLink("frontend", "order-service", 1, 0));
        clock.advance(Duration.ofMinutes(1));
        deps.sealDue(Long.MAX_VALUE, false);
        assertThat(deps.dirtyBuckets()).isZero();
        assertThat(deps.dependencies(w)).isEqualTo(expected(w));
    }

    @Test
    void keepsSealedBucketsAcrossARestartAndSealsWhatIsMissing() throws Exception {
        long t0 = now() - Duration.ofMinutes(20).toNanos();
        for (int i = 0; i < 20; i++) {
            write(DependencyLinkerTest.shop(new TraceId(3, i + 1), t0 + i * 30_000 * MS, false));
        }
        deps.sealDue(Long.MAX_VALUE, false);
        List<DependencyBucket> before = store.dependencyBuckets(0, Long.MAX_VALUE);
        long b = DependencyService.bucketOf(t0 + 5 * MS);
        store.deleteDependencies(b); // as if lost

        deps.close();
        store.close();
        store = open(dir);
        deps = new DependencyService(store, store, clock, Duration.ofSeconds(30), Duration.ofHours(2));
        deps.sealDue(Long.MAX_VALUE, false);

        assertThat(store.dependencyBuckets(0, Long.MAX_VALUE)).isEqualTo(before);
        TimeWindow w = new TimeWindow(0, now());
        assertThat(deps.dependencies(w)).isEqualTo(expected(w))
                .contains(new DependencyLink("frontend", "order-service", 20, 0));
    }
}
