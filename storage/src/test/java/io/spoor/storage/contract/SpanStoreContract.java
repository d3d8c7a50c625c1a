package io.spoor.storage.contract;

import io.spoor.storage.SpanStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of an engine's contract test: opens a fresh engine before each test (on a fresh directory, with a
 * {@link MutableClock}) and closes it after. An engine's test extends this class, implements {@link #openStore} and
 * implements the contract parts its engine promises, for example:
 * <pre>
 * class MyEngineTest extends SpanStoreContract
 *         implements TraceContract, SearchContract, DependencyContract, RetentionContract, DiskLimitContract,
 *                    DurabilityContract, OversizedSpansContract {
 *     protected SpanStore openStore(Path dir, Clock clock, Duration retention, long maxDiskBytes) { … }
 * }
 * </pre>
 * Every durable engine runs every part; an engine without durable state (the in-memory one) skips
 * {@link DurabilityContract}, an engine without a disk limit skips {@link DiskLimitContract}.
 */
public abstract class SpanStoreContract implements StoreContract {
    protected static final Duration DEFAULT_RETENTION = SpanStore.DEFAULT_RETENTION;

    @TempDir
    protected Path dataDir;
    protected final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    protected SpanStore store;
    private Duration retention = DEFAULT_RETENTION;
    private long maxDiskBytes;

    /**
     * Opens (or re-opens) an engine whose data lives under {@code dir}, with age retention {@code retention} and size
     * limit {@code maxDiskBytes} (0 = none), reading "now" from {@code clock}. Engines whose state lives elsewhere (a
     * database server) use the directory only to tell tests apart, if at all.
     */
    protected abstract SpanStore openStore(Path dir, Clock clock, Duration retention, long maxDiskBytes);

    @Override
    public SpanStore store() {
        return store;
    }

    @Override
    public MutableClock clock() {
        return clock;
    }

    /**
     * Closes the store and opens it again on the same data. Engines whose state does not live under the directory
     * override this (and {@link #reopenWith}).
     */
    @Override
    public SpanStore reopen() {
        store.close();
        store = openStore(dataDir, clock, retention, maxDiskBytes);
        return store;
    }

    @Override
    public void reopenWith(Duration retention, long maxDiskBytes) {
        store.close();
        this.retention = retention;
        this.maxDiskBytes = maxDiskBytes;
        store = openStore(dataDir, clock, retention, maxDiskBytes);
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
}
