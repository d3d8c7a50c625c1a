package io.spoor.storage.lucene;

import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.model.Span;
import io.spoor.model.TraceId;
import io.spoor.spanlog.testing.SmallDisk;
import io.spoor.spanlog.wal.FsyncPolicy;
import io.spoor.storage.StorageHealth;
import io.spoor.storage.StorageUnavailableException;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.contract.StoreContract;
import io.spoor.storage.contract.MutableClock;
import io.spoor.storage.SpanStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk (a small tmpfs, {@link SmallDisk}) under the embedded engine: writes fail at once and say why, the
 * health names the cause, nothing acknowledged is lost, the engine recovers by itself when room returns, and it
 * opens on a full disk.
 */
class DiskFullTest implements StoreContract {
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    @TempDir
    Path tmp;
    private LuceneSpanStore store;

    @Override
    public SpanStore store() {
        return store;
    }

    @Override
    public MutableClock clock() {
        return clock;
    }

    @Override
    public SpanStore reopen() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void reopenWith(Duration retention, long maxDiskBytes) {
        throw new UnsupportedOperationException();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    private LuceneSpanStore open(Path dir) {
        return LuceneSpanStore.open(LuceneStoreSettings.defaults(dir).withClock(clock).withFsyncPolicy(FsyncPolicy.INTERVAL)
                .withRefreshInterval(Duration.ofMillis(20)).withCommitInterval(Duration.ofMillis(200))
                .withRamBufferMb(16));
    }

    private List<Span> batch(long n) {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            spans.add(span(new TraceId(0xD15C, n * 100 + i), 1, 0, "disk", "op", now() - MS, MS, "pad",
                    "p".repeat(200)));
        }
        return spans;
    }

    /** The write must fail within seconds, as a retryable refusal that names the cause. */
    private static void assertRefusedPromptly(CompletableFuture<Void> write) {
        assertThat(write).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(StorageUnavailableException.class)
                .withMessageContaining("No space left on device");
    }

    @Test
    void refusesWritesAtOnceWhileTheDiskIsFullAndRecoversByItselfWithNothingAcknowledgedLost() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), 64)) {
            store = open(disk.root().resolve("data"));
            List<Long> acknowledged = new ArrayList<>();
            for (long n = 0; n < 20; n++) {
                write(batch(n));
                acknowledged.add(n);
            }
            assertThat(store.health().isUp()).isTrue();

            disk.fill();
            for (long n = 100; n < 110; n++) {
                assertRefusedPromptly(store.write(batch(n)));
            }
            StorageHealth degraded = eventually(store::health, h -> !h.isUp());
            assertThat(String.join("; ", degraded.problems())).contains("No space left on device");
            // reads go on while it is full
            assertThat(store.trace(new TraceId(0xD15C, 0), TimeWindow.ALL)).isPresent();

            disk.free();
            eventually(store::health, StorageHealth::isUp);
            for (long n = 200; n < 220; n++) {
                write(batch(n));
                acknowledged.add(n);
            }

            for (long n : acknowledged) {
                for (int i = 0; i < 50; i += 7) {
                    awaitTrace(new TraceId(0xD15C, n * 100 + i), 1);
                }
            }
            assertThat(store.trace(new TraceId(0xD15C, 100 * 100), TimeWindow.ALL)).isEmpty(); // refused: not stored
            store.close();
            store = open(disk.root().resolve("data"));
            for (long n : acknowledged) {
                awaitTrace(new TraceId(0xD15C, n * 100 + 49), 1);
            }
            assertThat(store.stats().skippedLogBytes()).isZero();
            closeStore(); // before the disk goes
        }
    }

    @Test
    void opensOnAFullDiskAfterAKillAndCatchesUpWhenRoomReturns() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(tmp.resolve("disk"), 64)) {
            Path dir = disk.root().resolve("data");
            List<Integer> acked = new ArrayList<>();
            // a child that only logs (no index file at all), killed after 200 acknowledged batches
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                    "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    CrashingWriterMain.class.getName(), dir.toString(), "nocommit")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while (acked.size() < 200 && (line = out.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        acked.add(Integer.parseInt(line.substring(4)));
                    }
                }
            } finally {
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(acked).hasSize(200);
            disk.fill();

            store = open(dir); // must not fail: the index cannot be written, the log can be read

            StorageHealth degraded = eventually(store::health, h -> !h.isUp());
            assertThat(String.join("; ", degraded.problems())).contains("No space left on device");
            assertRefusedPromptly(store.write(batch(1)));

            disk.free();
            eventually(store::health, StorageHealth::isUp);
            for (int batch : acked) {
                awaitTrace(CrashingWriterMain.traceId(batch, 0), CrashingWriterMain.SPANS_PER_TRACE);
                awaitTrace(CrashingWriterMain.traceId(batch, 24), CrashingWriterMain.SPANS_PER_TRACE);
            }
            write(batch(2));
            awaitTrace(new TraceId(0xD15C, 249), 1);
            closeStore(); // before the disk goes
        }
    }
}
