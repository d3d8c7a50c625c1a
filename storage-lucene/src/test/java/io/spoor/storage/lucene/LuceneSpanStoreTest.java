package io.spoor.storage.lucene;

import static io.spoor.storage.contract.ContractQueries.query;
import static io.spoor.storage.contract.ContractQueries.withOperation;
import static io.spoor.storage.contract.ContractQueries.withService;
import static io.spoor.storage.contract.ContractQueries.withTag;
import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.storage.SpanStore;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.contract.DependencyContract;
import io.spoor.storage.contract.DiskLimitContract;
import io.spoor.storage.contract.DurabilityContract;
import io.spoor.storage.contract.OversizedSpansContract;
import io.spoor.storage.contract.RetentionContract;
import io.spoor.storage.contract.SearchContract;
import io.spoor.storage.contract.SpanStoreContract;
import io.spoor.storage.contract.TraceContract;
import io.spoor.spanlog.wal.FsyncPolicy;
import io.spoor.spanlog.wal.WriteAheadLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The embedded engine runs every part of the storage contract, plus what only a log-and-index engine can show. */
class LuceneSpanStoreTest extends SpanStoreContract implements TraceContract, SearchContract, DependencyContract,
        RetentionContract, DiskLimitContract, DurabilityContract, OversizedSpansContract {

    @Override
    protected SpanStore openStore(Path dir, Clock clock, Duration retention, long maxDiskBytes) {
        return LuceneSpanStore.open(settings(dir, clock, retention, maxDiskBytes));
    }

    private static LuceneStoreSettings settings(Path dir, Clock clock, Duration retention, long maxDiskBytes) {
        return LuceneStoreSettings.defaults(dir)
                .withClock(clock)
                .withRetention(retention)
                .withMaxDiskBytes(maxDiskBytes)
                .withFsyncPolicy(FsyncPolicy.NONE)
                .withRefreshInterval(Duration.ofMillis(20))
                .withCommitInterval(Duration.ofSeconds(1))
                .withRamBufferMb(16);
    }

    private LuceneSpanStore lucene() {
        return (LuceneSpanStore) store;
    }

    @Test
    void replaysEveryAcknowledgedSpanAfterTheProcessIsKilled() throws Exception {
        store.close();
        store = null;
        Path dir = dataDir.resolve("crash");
        List<Integer> acked = new ArrayList<>();
        runAndKill(dir, "plain", line -> {
            if (line.startsWith("ACK ")) {
                acked.add(Integer.parseInt(line.substring(4)));
            }
            return acked.size() >= 300;
        });
        assertThat(acked).hasSizeGreaterThanOrEqualTo(300);

        store = LuceneSpanStore.open(settings(dir, clock, DEFAULT_RETENTION, 0));

        int tracesPerBatch = CrashingWriterMain.SPANS_PER_BATCH / CrashingWriterMain.SPANS_PER_TRACE;
        for (int batch : acked) {
            List<Span> expected = CrashingWriterMain.batch(batch);
            for (int t = 0; t < tracesPerBatch; t++) {
                TraceId id = CrashingWriterMain.traceId(batch, t);
                Trace trace = awaitTrace(id, CrashingWriterMain.SPANS_PER_TRACE);
                assertThat(trace.spans()).containsExactlyInAnyOrderElementsOf(
                        expected.subList(t * CrashingWriterMain.SPANS_PER_TRACE,
                                (t + 1) * CrashingWriterMain.SPANS_PER_TRACE));
            }
        }
    }

    @Test
    void cutsOffATornLogTailAndKeepsWorking() throws IOException {
        TraceId before = new TraceId(1, 1);
        write(List.of(span(before, 1, 0, "svc", "op", now() - MS, MS)));
        store.close();
        store = null;
        // a crash in the middle of a record: a header promising more bytes than follow
        Path segment;
        try (Stream<Path> files = Files.list(dataDir.resolve("wal"))) {
            segment = files.sorted().reduce((a, b) -> b).orElseThrow();
        }
        Files.write(segment, new byte[] {0, 0, 1, 0, 1, 2, 3, 4, 9, 9, 9}, StandardOpenOption.APPEND);

        store = openStore(dataDir, clock, DEFAULT_RETENTION, 0);
        awaitTrace(before, 1);
        TraceId after = new TraceId(2, 2);
        write(List.of(span(after, 1, 0, "svc", "op", now() - MS, MS)));
        reopen();

        awaitTrace(before, 1);
        awaitTrace(after, 1);
    }

    @Test
    void holdsBackAcknowledgementsWhileTheIndexQueueIsFull() throws Exception {
        store.close();
        store = LuceneSpanStore.open(settings(dataDir, clock, DEFAULT_RETENTION, 0).withIndexQueueBytes(1024));
        LuceneSpanStore lucene = lucene();
        lucene.pauseIndexing();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                futures.add(store.write(List.of(span(new TraceId(7, i), 1, 0, "svc", "op", now() - MS, MS,
                        "pad", "x".repeat(2000)))));
            }
            Thread.sleep(300);
            // the first batch fills the queue; later ones may be written to the log but are not acknowledged
            assertThat(futures.get(0)).isCompleted();
            assertThat(futures.get(4)).isNotDone();
            assertThat(lucene.stats().pendingSpans()).isEqualTo(5);
        } finally {
            lucene.resumeIndexing();
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            awaitTrace(new TraceId(7, i), 1);
        }
        eventually(() -> store.stats().pendingSpans(), n -> n == 0);
    }

    @Test
    void deletesLogSegmentsOnceTheIndexIsCommitted() throws Exception {
        store.close();
        store = LuceneSpanStore.open(settings(dataDir, clock, DEFAULT_RETENTION, 0).withWalSegmentBytes(64 * 1024)
                .withCommitInterval(Duration.ofMillis(100)));
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            spans.add(span(new TraceId(9, i), 1, 0, "svc", "op", now() - i, MS, "pad", "y".repeat(200)));
        }
        writeInBatches(spans, 100);
        eventually(() -> {
            try (Stream<Path> files = Files.list(dataDir.resolve("wal"))) {
                return files.count();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, n -> n <= 2);
        assertThat(store.trace(new TraceId(9, 0), TimeWindow.ALL)).isPresent();
    }

    @Test
    void readsWithIndexCandidatesThatOnlyVerificationRejects() {
        // a tag value too long to be indexed still matches exactly, through verification
        String longValue = "z".repeat(400);
        TraceId id = new TraceId(11, 1);
        write(List.of(span(id, 1, 0, "svc", "op", now() - MS, MS, "sql", longValue)));
        awaitTrace(id, 1);
        assertThat(find(withTag(query(), "sql", longValue))).extracting(s -> s.traceId()).containsExactly(id);
        assertThat(find(withTag(query(), "sql", "z"))).isEmpty();
        assertThat(Optional.of(id)).isPresent();
    }

    @Test
    void listsOverLongNamesCutInTheCatalogAndFindsThemWhole() {
        String service = "s".repeat(64 * 1024);
        String operation = "ü".repeat(20_000);
        TraceId id = new TraceId(12, 1);
        write(List.of(span(id, 1, 0, service, operation, now() - MS, MS)));
        awaitTrace(id, 1);

        String cut = "s".repeat(Block.MAX_CATALOG_NAME_CHARS - 1) + "\u2026";
        eventually(() -> store.services(), s -> s.contains(cut));
        assertThat(store.operations(cut)).extracting(o -> o.name())
                .containsExactly("ü".repeat(Block.MAX_CATALOG_NAME_CHARS - 1) + "\u2026");
        assertThat(find(withOperation(withService(query(), service), operation))).extracting(s -> s.traceId())
                .containsExactly(id);
        assertThat(store.stats().truncatedIndexNames()).isEqualTo(1);
    }

    @Test
    void skipsALogRecordItCannotReadLoudlyAndOpensWithItsNeighbours() {
        TraceId before = new TraceId(13, 1);
        write(List.of(span(before, 1, 0, "svc", "op", now() - MS, MS)));
        store.close();
        store = null;
        // behind the committed position: an intact frame (length and CRC agree) that is no batch, then a good batch
        TraceId after = new TraceId(13, 2);
        WriteAheadLog<Object> log = new WriteAheadLog<>(dataDir.resolve("wal"), FsyncPolicy.NONE, Duration.ofSeconds(1),
                1 << 20);
        log.start(log.replay(0, (payload, end) -> { }), (attachment, bytes, end) -> { });
        log.append(new byte[] {5, 1, 2, 3, 4, 5, 6, 7}, null).join();
        log.append(new BatchCodec().encode(List.of(span(after, 1, 0, "svc", "op", now() - MS, MS))).payload(), null)
                .join();
        log.close();

        store = openStore(dataDir, clock, DEFAULT_RETENTION, 0);

        awaitTrace(before, 1);
        awaitTrace(after, 1);
        assertThat(store.stats().skippedLogRecords()).isEqualTo(1);
        // the skipped record is behind the next commit: a second start does not meet it again
        reopen();
        assertThat(store.stats().skippedLogRecords()).isZero();
        awaitTrace(after, 1);
    }

    @Test
    void skipsACorruptRecordInTheMiddleOfTheLogAndKeepsTheRecordsAfterIt() throws IOException {
        store.close();
        store = null;
        // three acknowledged batches behind the last commit (as a crash leaves them), the middle one damaged on disk
        WriteAheadLog<Object> log = new WriteAheadLog<>(dataDir.resolve("wal"), FsyncPolicy.NONE, Duration.ofSeconds(1),
                1 << 20);
        log.start(log.replay(0, (payload, end) -> { }), (attachment, bytes, end) -> { });
        List<Long> ends = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ends.add(log.append(new BatchCodec().encode(List.of(span(new TraceId(14, i), 1, 0, "svc", "op",
                    now() - MS, MS, "n", (long) i))).payload(), null).join());
        }
        log.close();
        Path segment;
        try (Stream<Path> files = Files.list(dataDir.resolve("wal"))) {
            segment = files.filter(p -> {
                try {
                    return Files.size(p) > 0;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().reduce((a, b) -> b).orElseThrow();
        }
        long base = Long.parseLong(segment.getFileName().toString().replace(".wal", ""));
        byte[] content = Files.readAllBytes(segment);
        content[(int) (ends.get(1) - base) - 5] ^= 0x10;
        Files.write(segment, content);

        store = openStore(dataDir, clock, DEFAULT_RETENTION, 0);

        awaitTrace(new TraceId(14, 1), 1);
        awaitTrace(new TraceId(14, 3), 1);
        assertThat(store.trace(new TraceId(14, 2), TimeWindow.ALL)).isEmpty();
        assertThat(store.stats().skippedLogBytes()).isEqualTo(ends.get(1) - ends.get(0));
    }

    @Test
    void keepsEveryAcknowledgedSpanOfAPoisonBatchAfterKillMinus9BeforeTheIndexCommit() throws Exception {
        store.close();
        store = null;
        Path dir = dataDir.resolve("poison-crash");
        List<Integer> acked = new ArrayList<>();
        boolean[] poisonAcked = new boolean[1];
        runAndKill(dir, "poison", line -> {
            if (line.equals("ACK poison")) {
                poisonAcked[0] = true;
            } else if (line.startsWith("ACK ")) {
                acked.add(Integer.parseInt(line.substring(4)));
            }
            return poisonAcked[0] && acked.size() >= 50;
        });
        assertThat(poisonAcked[0]).isTrue();

        store = LuceneSpanStore.open(settings(dir, clock, DEFAULT_RETENTION, 0));

        // the child committed nothing (its commit interval is an hour): all of it came back through replay
        CrashingWriterMain.poisonBatch().assertEveryTraceReadable(this);
        CrashingWriterMain.poisonBatch().assertNormalSpansSearchable(this);
        for (int batch : acked) {
            awaitTrace(CrashingWriterMain.traceId(batch, 0), CrashingWriterMain.SPANS_PER_TRACE);
        }
        assertThat(store.stats().skippedLogRecords()).isZero();
    }

    /** Runs {@link CrashingWriterMain} in a child JVM until {@code enough} says so, then {@code kill -9}s it. */
    private static void runAndKill(Path dir, String mode, java.util.function.Predicate<String> enough)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                CrashingWriterMain.class.getName(), dir.toString(), mode);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process child = pb.start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !enough.test(line)) {
                // reading acknowledgements
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, no commit
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
    }
}
