package io.spoor.storage.contract;

import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.spoor.model.DependencyLink;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanKind;
import io.spoor.model.StatusCode;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.model.TraceSummary;
import io.spoor.storage.DependencyBucket;
import io.spoor.storage.Operation;
import io.spoor.storage.SpanStore;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceQuery;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link SpanStore} engine must show, checked through the SPI only. An engine's test extends this
 * class and implements {@link #openStore}. Reads are near-real-time, so checks poll with a bounded wait
 * ({@link #eventually}) instead of sleeping.
 */
public abstract class SpanStoreContract {
    protected static final Duration DEFAULT_RETENTION = SpanStore.DEFAULT_RETENTION;

    @TempDir
    protected Path dataDir;
    protected final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    protected SpanStore store;
    private Duration retention = DEFAULT_RETENTION;
    private long maxDiskBytes;

    /** Opens (or re-opens) an engine whose data lives under {@code dir}. */
    protected abstract SpanStore openStore(Path dir, Clock clock, Duration retention, long maxDiskBytes);

    /**
     * Closes the store and opens it again on the same data; durability checks call this. Engines whose state does not
     * live under the directory (a database server) override it.
     */
    protected SpanStore reopen(SpanStore old) {
        old.close();
        return openStore(dataDir, clock, retention, maxDiskBytes);
    }

    /**
     * Whether the engine deletes its oldest data above a disk-size limit. An engine on a database cluster (whose disk
     * the operator sizes, and whose retention is a TTL) says no, and the disk-limit check is skipped for it.
     */
    protected boolean enforcesDiskLimit() {
        return true;
    }

    /** How long a written span may take to become visible to reads. */
    protected Duration visibilityTimeout() {
        return Duration.ofSeconds(15);
    }

    @BeforeEach
    void openDefaultStore() {
        store = openStore(dataDir, clock, retention, maxDiskBytes);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** Replaces the store with one that has other retention settings (fresh data directory content kept). */
    protected void reopenWith(Duration retention, long maxDiskBytes) {
        store.close();
        this.retention = retention;
        this.maxDiskBytes = maxDiskBytes;
        store = openStore(dataDir, clock, retention, maxDiskBytes);
    }

    // ---------------------------------------------------------------- helpers

    protected long now() {
        return clock.nanos();
    }

    protected static TraceId traceId(long n) {
        return new TraceId(0x5000_0000_0000_0000L | n, n * 31 + 7);
    }

    protected void write(List<Span> spans) {
        try {
            store.write(spans).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("write failed", e);
        }
    }

    protected void writeInBatches(List<Span> spans, int batchSize) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < spans.size(); i += batchSize) {
            futures.add(store.write(spans.subList(i, Math.min(spans.size(), i + batchSize))));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).orTimeout(120, TimeUnit.SECONDS).join();
    }

    /** Polls {@code read} until {@code done} holds, failing after {@link #visibilityTimeout()}. */
    protected <T> T eventually(Supplier<T> read, Predicate<T> done) {
        long deadline = System.nanoTime() + visibilityTimeout().toNanos();
        T last = read.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                fail("condition not reached within " + visibilityTimeout() + "; last value: " + last);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            last = read.get();
        }
        return last;
    }

    protected Trace awaitTrace(TraceId id, int spanCount) {
        return eventually(() -> store.trace(id, TimeWindow.ALL), t -> t.isPresent() && t.get().spans().size() == spanCount)
                .orElseThrow();
    }

    protected List<TraceSummary> find(TraceQuery q) {
        return store.findTraces(q);
    }

    protected static TraceQuery query() {
        return TraceQuery.all(100);
    }

    protected static TraceQuery withService(TraceQuery q, String service) {
        return new TraceQuery(Optional.of(service), q.operation(), q.tags(), q.minDurationNanos(), q.maxDurationNanos(),
                q.window(), q.limit());
    }

    protected static TraceQuery withOperation(TraceQuery q, String op) {
        return new TraceQuery(q.service(), Optional.of(op), q.tags(), q.minDurationNanos(), q.maxDurationNanos(),
                q.window(), q.limit());
    }

    protected static TraceQuery withTag(TraceQuery q, String key, String value) {
        List<TraceQuery.Tag> tags = new ArrayList<>(q.tags());
        tags.add(new TraceQuery.Tag(key, value));
        return new TraceQuery(q.service(), q.operation(), tags, q.minDurationNanos(), q.maxDurationNanos(), q.window(),
                q.limit());
    }

    protected static TraceQuery withDuration(TraceQuery q, long min, long max) {
        return new TraceQuery(q.service(), q.operation(), q.tags(), min, max, q.window(), q.limit());
    }

    protected static TraceQuery withWindow(TraceQuery q, long start, long end) {
        return new TraceQuery(q.service(), q.operation(), q.tags(), q.minDurationNanos(), q.maxDurationNanos(),
                new TimeWindow(start, end), q.limit());
    }

    protected static TraceQuery withLimit(TraceQuery q, int limit) {
        return new TraceQuery(q.service(), q.operation(), q.tags(), q.minDurationNanos(), q.maxDurationNanos(),
                q.window(), limit);
    }

    protected static List<TraceId> ids(List<TraceSummary> summaries) {
        return summaries.stream().map(TraceSummary::traceId).toList();
    }

    /**
     * A fixed data set for the criterion tests; every trace starts 1 s after the previous one, so "newest first" is
     * the reverse of this list. Waits until all of it is visible.
     */
    private List<TraceId> writeCriteriaFixture() {
        long t0 = now() - Duration.ofHours(1).toNanos();
        List<Span> spans = new ArrayList<>();
        // 1: checkout/POST /pay 50 ms, span tag http.status_code=500 (long), resource region eu
        TraceId t1 = traceId(1);
        spans.add(span(t1, 11, 0, "checkout", "POST /pay", t0, 50 * MS, "http.status_code", 500L)
                .toBuilder().resource(TestSpans.resource("checkout", "cloud.region", "eu")).build());
        spans.add(span(t1, 12, 11, "payments", "charge", t0 + MS, 30 * MS, "card.type", "visa"));
        // 2: checkout/GET /cart 5 ms, tag http.status_code=200; payments/charge 200 ms with card.type=amex
        TraceId t2 = traceId(2);
        spans.add(span(t2, 21, 0, "checkout", "GET /cart", t0 + 1000 * MS, 5 * MS, "http.status_code", 200L));
        spans.add(span(t2, 22, 21, "payments", "charge", t0 + 1001 * MS, 200 * MS, "card.type", "amex",
                "retry", true, "ratio", 0.5));
        // 3: frontend only, 1 s, resource region us
        TraceId t3 = traceId(3);
        spans.add(span(t3, 31, 0, "frontend", "GET /", t0 + 2000 * MS, 1000 * MS, "user.id", "u-7")
                .toBuilder().resource(TestSpans.resource("frontend", "cloud.region", "us")).build());
        // 4: frontend GET / 20 ms calling payments/refund 10 ms (tag card.type=visa)
        TraceId t4 = traceId(4);
        spans.add(span(t4, 41, 0, "frontend", "GET /", t0 + 3000 * MS, 20 * MS, "user.id", "u-8"));
        spans.add(span(t4, 42, 41, "payments", "refund", t0 + 3001 * MS, 10 * MS, "card.type", "visa"));
        write(spans);
        List<TraceId> all = List.of(t1, t2, t3, t4);
        eventually(() -> find(query()).size(), n -> n == 4);
        return all;
    }

    // ---------------------------------------------------------------- write and read back

    @Test
    void writesThenReadsBackATraceWithEveryFieldIntact() {
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
    void keepsSpansOfOneTraceWrittenInSeparateBatches() {
        TraceId id = traceId(101);
        long t = now() - 10 * MS;
        write(List.of(span(id, 1, 0, "a", "root", t, 10 * MS)));
        write(List.of(span(id, 2, 1, "b", "child", t + MS, 2 * MS)));

        Trace trace = awaitTrace(id, 2);

        assertThat(trace.spans()).extracting(Span::spanId).containsExactly(1L, 2L);
    }

    @Test
    void duplicateSpansAppearOnce() {
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
    void returnsNothingForAnUnknownTrace() {
        assertThat(store.trace(traceId(999_999), TimeWindow.ALL)).isEmpty();
        assertThat(find(query())).isEmpty();
    }

    @Test
    void findsTraceByIdWithATimeHint() {
        TraceId id = traceId(103);
        long t = now() - Duration.ofMinutes(5).toNanos();
        write(List.of(span(id, 1, 0, "a", "root", t, 10 * MS), span(id, 2, 1, "a", "c", t + MS, MS)));
        awaitTrace(id, 2);

        Optional<Trace> hinted = store.trace(id, new TimeWindow(t - Duration.ofMinutes(1).toNanos(),
                t + Duration.ofMinutes(1).toNanos()));

        assertThat(hinted).isPresent();
        assertThat(hinted.get().spans()).hasSize(2);
    }

    // ---------------------------------------------------------------- search

    @Test
    void findsTracesNewestFirst() {
        long t0 = now() - Duration.ofHours(1).toNanos();
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            TraceId id = traceId(200 + i);
            spans.add(span(id, 1, 0, "svc", "op", t0 + i * 1000 * MS, 5 * MS));
            spans.add(span(id, 2, 1, "svc", "inner", t0 + i * 1000 * MS + MS, MS));
        }
        java.util.Collections.shuffle(spans, new Random(1));
        write(spans);
        eventually(() -> find(query()).size(), n -> n == 10);

        List<TraceSummary> newest = find(withLimit(query(), 3));

        assertThat(ids(newest)).containsExactly(traceId(209), traceId(208), traceId(207));
        assertThat(newest.get(0).spanCount()).isEqualTo(2);
        assertThat(newest.get(0).rootSpanName()).isEqualTo("op");
        assertThat(newest.get(0).startEpochNanos()).isEqualTo(t0 + 9000 * MS);
    }

    @Test
    void appliesTheLimitAfterEveryFilter() {
        // Jaeger #1568: limiting candidates before filtering loses matches. 5 error traces are older than 1000
        // ordinary ones; asking for error=true with limit 5 must return exactly those 5.
        long t0 = now() - Duration.ofHours(2).toNanos();
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TraceId id = traceId(1000 + i);
            spans.add(span(id, 1, 0, "api", "GET /x", t0 + i * MS, 10 * MS));
            spans.add(span(id, 2, 1, "db", "query", t0 + i * MS + 1, 5 * MS, "error", true));
        }
        for (int i = 0; i < 1000; i++) {
            TraceId id = traceId(2000 + i);
            long t = t0 + Duration.ofMinutes(1).toNanos() + i * MS;
            spans.add(span(id, 1, 0, "api", "GET /x", t, 10 * MS));
            spans.add(span(id, 2, 1, "db", "query", t + 1, 5 * MS, "error", false));
        }
        writeInBatches(spans, 500);
        eventually(() -> find(withLimit(query(), 2000)).size(), n -> n == 1005);

        List<TraceSummary> errors = find(withLimit(withTag(query(), "error", "true"), 5));

        assertThat(ids(errors)).containsExactly(traceId(1004), traceId(1003), traceId(1002), traceId(1001),
                traceId(1000));
        assertThat(find(withLimit(withTag(withService(query(), "db"), "error", "true"), 3)))
                .extracting(TraceSummary::traceId).containsExactly(traceId(1004), traceId(1003), traceId(1002));
        assertThat(find(withLimit(query(), 7))).hasSize(7);
    }

    @Test
    void filtersByService() {
        List<TraceId> t = writeCriteriaFixture();
        assertThat(ids(find(withService(query(), "checkout")))).containsExactly(t.get(1), t.get(0));
        assertThat(ids(find(withService(query(), "payments")))).containsExactly(t.get(3), t.get(1), t.get(0));
        assertThat(find(withService(query(), "nope"))).isEmpty();
    }

    @Test
    void filtersByServiceAndOperation() {
        List<TraceId> t = writeCriteriaFixture();
        assertThat(ids(find(withOperation(withService(query(), "payments"), "charge"))))
                .containsExactly(t.get(1), t.get(0));
        assertThat(ids(find(withOperation(withService(query(), "payments"), "refund")))).containsExactly(t.get(3));
        // the operation exists, but not in that service
        assertThat(find(withOperation(withService(query(), "frontend"), "charge"))).isEmpty();
    }

    @Test
    void filtersByOperationAlone() {
        List<TraceId> t = writeCriteriaFixture();
        assertThat(ids(find(withOperation(query(), "GET /")))).containsExactly(t.get(3), t.get(2));
    }

    @Test
    void filtersBySpanAttributeTags() {
        List<TraceId> t = writeCriteriaFixture();
        assertThat(ids(find(withTag(query(), "card.type", "visa")))).containsExactly(t.get(3), t.get(0));
        assertThat(ids(find(withTag(query(), "http.status_code", "500")))).containsExactly(t.get(0));
        assertThat(ids(find(withTag(query(), "retry", "true")))).containsExactly(t.get(1));
        assertThat(ids(find(withTag(query(), "ratio", "0.5")))).containsExactly(t.get(1));
        assertThat(find(withTag(query(), "card.type", "mastercard"))).isEmpty();
    }

    @Test
    void filtersByResourceAttributeTags() {
        List<TraceId> t = writeCriteriaFixture();
        assertThat(ids(find(withTag(query(), "cloud.region", "eu")))).containsExactly(t.get(0));
        assertThat(ids(find(withTag(query(), "cloud.region", "us")))).containsExactly(t.get(2));
        assertThat(ids(find(withTag(query(), "service.name", "frontend")))).containsExactly(t.get(3), t.get(2));
    }

    @Test
    void filtersByMinimumAndMaximumDuration() {
        List<TraceId> t = writeCriteriaFixture();
        assertThat(ids(find(withDuration(query(), 100 * MS, Long.MAX_VALUE)))).containsExactly(t.get(2), t.get(1));
        assertThat(ids(find(withDuration(query(), 0, 6 * MS)))).containsExactly(t.get(1));
        assertThat(ids(find(withDuration(query(), 25 * MS, 60 * MS)))).containsExactly(t.get(0));
        assertThat(ids(find(withDuration(withService(query(), "checkout"), 100 * MS, Long.MAX_VALUE)))).isEmpty();
    }

    @Test
    void filtersByTimeWindow() {
        List<TraceId> t = writeCriteriaFixture();
        long t0 = now() - Duration.ofHours(1).toNanos();
        assertThat(ids(find(withWindow(query(), t0 + 500 * MS, t0 + 2500 * MS)))).containsExactly(t.get(2), t.get(1));
        assertThat(ids(find(withWindow(query(), t0, t0)))).containsExactly(t.get(0));
        assertThat(find(withWindow(query(), t0 + 10_000 * MS, t0 + 20_000 * MS))).isEmpty();
    }

    @Test
    void requiresOneSpanToSatisfyEveryCriterion() {
        List<TraceId> t = writeCriteriaFixture();
        // trace 1 has a checkout span and a card.type=visa span, but not one span with both
        assertThat(find(withTag(withService(query(), "checkout"), "card.type", "visa"))).isEmpty();
        // trace 2's charge span is 200 ms, its GET /cart span is 5 ms; no single span is charge and 5 ms
        assertThat(find(withDuration(withOperation(query(), "charge"), 0, 6 * MS))).isEmpty();
        // both criteria on one span
        assertThat(ids(find(withTag(withService(query(), "payments"), "card.type", "visa"))))
                .containsExactly(t.get(3), t.get(0));
        assertThat(ids(find(withDuration(withTag(withOperation(withService(query(), "payments"), "charge"),
                "card.type", "amex"), 100 * MS, Long.MAX_VALUE)))).containsExactly(t.get(1));
    }

    @Test
    void summarisesTheWholeTraceEvenWhenOneSpanMatched() {
        List<TraceId> t = writeCriteriaFixture();
        TraceSummary s = find(withTag(query(), "card.type", "amex")).get(0);
        assertThat(s.traceId()).isEqualTo(t.get(1));
        assertThat(s.spanCount()).isEqualTo(2);
        assertThat(s.rootServiceName()).isEqualTo("checkout");
        assertThat(s.rootSpanName()).isEqualTo("GET /cart");
        assertThat(s.services()).containsExactly("checkout", "payments");
        assertThat(s.durationNanos()).isEqualTo(201 * MS);
    }

    // ---------------------------------------------------------------- catalog

    @Test
    void listsServicesAndTheirOperations() {
        writeCriteriaFixture();
        eventually(() -> store.services(), s -> s.size() == 3);

        assertThat(store.services()).containsExactly("checkout", "frontend", "payments");
        assertThat(store.operations("payments")).containsExactly(new Operation("charge", SpanKind.CLIENT),
                new Operation("refund", SpanKind.CLIENT));
        assertThat(store.operations("checkout")).containsExactly(new Operation("GET /cart", SpanKind.SERVER),
                new Operation("POST /pay", SpanKind.SERVER));
        assertThat(store.operations("unknown")).isEmpty();
    }

    // ---------------------------------------------------------------- retention and durability

    @Test
    void deletesTracesOlderThanTheRetention() {
        reopenWith(Duration.ofHours(1), 0);
        TraceId old = traceId(300);
        TraceId recent = traceId(301);
        write(List.of(span(old, 1, 0, "legacy", "old-op", now() - 10 * MS, 5 * MS)));
        clock.advance(Duration.ofMinutes(90));
        write(List.of(span(recent, 1, 0, "current", "new-op", now() - 10 * MS, 5 * MS)));
        awaitTrace(old, 1);
        awaitTrace(recent, 1);

        store.enforceRetention();

        eventually(() -> store.trace(old, TimeWindow.ALL), Optional::isEmpty);
        assertThat(store.trace(recent, TimeWindow.ALL)).isPresent();
        assertThat(ids(find(query()))).containsExactly(recent);
        assertThat(store.services()).containsExactly("current");
    }

    @Test
    void deletesTheOldestDataAndItsDependenciesWhenOverTheDiskLimit() {
        org.junit.jupiter.api.Assumptions.assumeTrue(enforcesDiskLimit(), "this engine has no disk-size limit");
        long limit = 3L << 20;
        reopenWith(DEFAULT_RETENTION, limit);
        // ~12 MB of incompressible attribute values, oldest trace first
        Random random = new Random(7);
        long t0 = now() - Duration.ofHours(3).toNanos();
        store.putDependencies(bucket(t0 - MINUTE, new DependencyLink("bulk", "db", 1, 0)));
        store.putDependencies(bucket(t0 + 1999 * 1000 * MS, new DependencyLink("bulk", "db", 2, 0)));
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

        store.enforceRetention();

        assertThat(store.stats().diskBytes()).isLessThanOrEqualTo(limit);
        eventually(() -> store.trace(oldest, TimeWindow.ALL), Optional::isEmpty);
        assertThat(store.trace(newest, TimeWindow.ALL)).isPresent();
        assertThat(find(withLimit(query(), 1)).get(0).traceId()).isEqualTo(newest);
        // the calls of the deleted oldest spans leave the service map with them; the newest stay
        assertThat(store.dependencyBuckets(0, Long.MAX_VALUE)).extracting(DependencyBucket::startEpochNanos)
                .containsExactly(t0 + 1999 * 1000 * MS);
    }

    private static String randomText(Random random, int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = (char) ('!' + random.nextInt(90));
        }
        return new String(c);
    }

    @Test
    void keepsEverythingAcrossARestart() {
        List<TraceId> t = writeCriteriaFixture();
        TraceId id = traceId(400);
        Span full = TestSpans.everyField(id, 1, 0, now() - MS);
        write(List.of(full));
        awaitTrace(id, 1);
        List<TraceSummary> before = find(query());

        store = reopen(store);

        Trace after = awaitTrace(id, 1);
        assertThat(after.spans()).containsExactly(full);
        assertThat(eventually(() -> find(query()), r -> r.size() == before.size())).isEqualTo(before);
        assertThat(ids(find(withTag(query(), "card.type", "visa")))).containsExactly(t.get(3), t.get(0));
        assertThat(store.services()).containsExactly("checkout", "every-field", "frontend", "payments");
        assertThat(store.operations("payments")).extracting(Operation::name).containsExactly("charge", "refund");
    }

    @Test
    void keepsAcknowledgedSpansWrittenRightBeforeARestart() {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            spans.add(span(traceId(500 + i), 1, 0, "svc", "op", now() - i * MS, MS));
        }
        write(spans); // not waiting for visibility: close must not lose what was acknowledged

        store = reopen(store);

        for (int i = 0; i < 50; i++) {
            awaitTrace(traceId(500 + i), 1);
        }
    }

    @Test
    void reportsStoredAndPendingSpans() {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            spans.add(span(traceId(600 + i), 1, 0, "svc", "op", now() - i * MS, MS));
        }
        write(spans);
        eventually(() -> store.stats(), s -> s.storedSpans() == 20 && s.pendingSpans() == 0);
        assertThat(store.stats().diskBytes()).isPositive();
    }

    // ---------------------------------------------------------------- status and key criteria

    @Test
    void findsTracesByStatusAndByAttributeKeyOrEventName() {
        long t0 = now() - Duration.ofMinutes(10).toNanos();
        TraceId failed = traceId(700);
        TraceId tagged = traceId(701);
        TraceId plain = traceId(702);
        write(List.of(
                TestSpans.withStatus(span(failed, 1, 0, "api", "GET /a", t0, 5 * MS), StatusCode.ERROR),
                span(tagged, 1, 0, "api", "GET /b", t0 + MS, 5 * MS, "cache.hit", true),
                span(plain, 1, 0, "api", "GET /c", t0 + 2 * MS, 5 * MS).toBuilder()
                        .events(List.of(new SpanEvent(t0 + 3 * MS, "retry", io.spoor.model.Attributes.EMPTY, 0)))
                        .build()));
        eventually(() -> find(query()).size(), n -> n == 3);

        assertThat(ids(find(withStatus(query(), StatusCode.ERROR)))).containsExactly(failed);
        assertThat(ids(find(withKey(query(), "cache.hit")))).containsExactly(tagged);
        assertThat(ids(find(withKey(query(), "retry")))).containsExactly(plain);
        assertThat(ids(find(withKey(query(), "service.name")))).containsExactly(plain, tagged, failed);
        assertThat(find(withKey(withStatus(query(), StatusCode.ERROR), "cache.hit"))).isEmpty();
    }

    protected static TraceQuery withStatus(TraceQuery q, StatusCode code) {
        return new TraceQuery(q.service(), q.operation(), q.tags(), q.keys(), Optional.of(code), q.minDurationNanos(),
                q.maxDurationNanos(), q.window(), q.limit());
    }

    protected static TraceQuery withKey(TraceQuery q, String key) {
        List<String> keys = new ArrayList<>(q.keys());
        keys.add(key);
        return new TraceQuery(q.service(), q.operation(), q.tags(), keys, q.status(), q.minDurationNanos(),
                q.maxDurationNanos(), q.window(), q.limit());
    }

    // ---------------------------------------------------------------- dependency buckets

    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private DependencyBucket bucket(long start, DependencyLink... links) {
        return new DependencyBucket(start, start + MINUTE, List.of(links));
    }

    @Test
    void storesDependencyBucketsAndReadsThemBackByStart() {
        long t = now() - Duration.ofHours(1).toNanos();
        DependencyBucket a = bucket(t, new DependencyLink("frontend", "orders", 12, 1));
        DependencyBucket b = bucket(t + MINUTE, new DependencyLink("frontend", "orders", 3, 0),
                new DependencyLink("orders", "payments", 2, 2));
        DependencyBucket c = bucket(t + 5 * MINUTE);
        store.putDependencies(c);
        store.putDependencies(a);
        store.putDependencies(b);

        assertThat(store.dependencyBuckets(t, t + 10 * MINUTE)).containsExactly(a, b, c);
        assertThat(store.dependencyBuckets(t + 1, t + 5 * MINUTE)).containsExactly(b);
        assertThat(store.dependencyBuckets(t + 5 * MINUTE, t + 5 * MINUTE)).isEmpty();
        assertThat(store.dependencyBuckets(t - 10 * MINUTE, t)).isEmpty();
    }

    @Test
    void replacesAndDeletesDependencyBuckets() {
        long t = now() - Duration.ofHours(1).toNanos();
        store.putDependencies(bucket(t, new DependencyLink("a", "b", 1, 0)));
        DependencyBucket newer = bucket(t, new DependencyLink("a", "b", 5, 1), new DependencyLink("b", "c", 1, 0));
        store.putDependencies(newer);
        assertThat(store.dependencyBuckets(t, t + MINUTE)).containsExactly(newer);

        store.deleteDependencies(t);
        store.deleteDependencies(t + 42); // nothing there: no error
        assertThat(store.dependencyBuckets(t, t + MINUTE)).isEmpty();
    }

    @Test
    void keepsDependencyBucketsAcrossARestart() {
        long t = now() - Duration.ofHours(1).toNanos();
        List<DependencyBucket> written = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            DependencyBucket b = bucket(t + i * MINUTE, new DependencyLink("svc-" + (i % 3), "db", i + 1, i % 2));
            written.add(b);
            store.putDependencies(b);
        }
        store.deleteDependencies(t + 7 * MINUTE);
        written.remove(7);
        store.putDependencies(bucket(t + 8 * MINUTE, new DependencyLink("x", "y", 9, 9)));
        written.set(7, bucket(t + 8 * MINUTE, new DependencyLink("x", "y", 9, 9)));

        store = reopen(store);

        assertThat(store.dependencyBuckets(t, t + 100 * MINUTE)).containsExactlyElementsOf(written);
    }

    @Test
    void dropsDependencyBucketsOlderThanTheRetention() {
        reopenWith(Duration.ofHours(1), 0);
        long old = now() - Duration.ofHours(3).toNanos();
        long recent = now() - Duration.ofMinutes(10).toNanos();
        store.putDependencies(bucket(old, new DependencyLink("a", "b", 1, 0)));
        store.putDependencies(bucket(recent, new DependencyLink("a", "b", 2, 0)));

        store.enforceRetention();

        assertThat(store.dependencyBuckets(0, Long.MAX_VALUE)).extracting(DependencyBucket::startEpochNanos)
                .containsExactly(recent);
    }

    // ---------------------------------------------------------------- whole-window scans

    @Test
    void scansEveryTraceWithASpanStartingInTheWindowOnceAndWhole() {
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

        java.util.Map<TraceId, Trace> seen = new java.util.HashMap<>();
        List<TraceId> order = new ArrayList<>();
        store.scanTraces(new TimeWindow(t0 + hour, t0 + hour + 500 * MS), t -> {
            order.add(t.traceId());
            seen.put(t.traceId(), t);
        });

        assertThat(order).doesNotHaveDuplicates().hasSize(302).contains(inAndOut, inside)
                .doesNotContain(outside);
        assertThat(seen.get(inAndOut).spans()).extracting(Span::spanId).containsExactly(1L, 2L);
        assertThat(seen.get(inside).spans()).hasSize(1);
        List<TraceId> none = new ArrayList<>();
        store.scanTraces(new TimeWindow(t0 + 5 * hour, t0 + 6 * hour), t -> none.add(t.traceId()));
        assertThat(none).isEmpty();
    }
}
