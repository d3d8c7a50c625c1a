package io.spoor.storage.cassandra;

import io.spoor.storage.SpanStore;
import io.spoor.storage.contract.SpanStoreContract;
import io.spoor.testing.cassandra.CassandraNodeExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;

/** The storage contract against a real Cassandra node. */
@ExtendWith(CassandraNodeExtension.class)
class CassandraSpanStoreTest extends SpanStoreContract {
    private static final String KEYSPACE = "spoor_contract";

    /**
     * The data lives in Cassandra, not under {@code dir}; the directory only tells a test's first open (empty the
     * keyspace) from a reopen (keep the data).
     */
    @Override
    protected SpanStore openStore(Path dir, Clock clock, Duration retention, long maxDiskBytes) {
        Path marker = dir.resolve("cassandra-keyspace-in-use");
        if (!Files.exists(marker)) {
            TestKeyspace.reset(KEYSPACE);
            try {
                Files.createFile(marker);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return TestKeyspace.open(TestKeyspace.settings(KEYSPACE).withClock(clock).withRetention(retention));
    }

    /** Cassandra's disk belongs to the cluster: capacity is the operator's, the engine only has TTL retention. */
    @Override
    protected boolean enforcesDiskLimit() {
        return false;
    }
}
