package io.spoor.storage.cassandra;

import io.spoor.storage.SpanStore;
import io.spoor.storage.contract.DependencyContract;
import io.spoor.storage.contract.DurabilityContract;
import io.spoor.storage.contract.OversizedSpansContract;
import io.spoor.storage.contract.RetentionContract;
import io.spoor.storage.contract.SearchContract;
import io.spoor.storage.contract.SpanStoreContract;
import io.spoor.storage.contract.TraceContract;
import io.spoor.testing.cassandra.CassandraNodeExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.spoor.storage.contract.ContractQueries.ids;
import static io.spoor.storage.contract.ContractQueries.query;
import static io.spoor.storage.contract.ContractQueries.withTag;
import static io.spoor.storage.contract.TestSpans.MS;
import static io.spoor.storage.contract.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.spoor.model.Span;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage contract against a real Cassandra node: every part but {@link io.spoor.storage.contract.DiskLimitContract}
 * (Cassandra's disk belongs to the cluster: capacity is the operator's, the engine only has TTL retention).
 */
@ExtendWith(CassandraNodeExtension.class)
class CassandraSpanStoreTest extends SpanStoreContract implements TraceContract, SearchContract, DependencyContract,
        RetentionContract, DurabilityContract, OversizedSpansContract {
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

    /**
     * A trace too large for one row (Cassandra refuses mutations above half a commit log segment, and a refused row
     * would fail the batch on every retry) is stored as several fragments; a block with more index terms than one
     * mutation should carry is written as several batches. Both read back whole and searchable.
     */
    @Test
    void storesATraceLargerThanARowAndAnIndexBlockLargerThanAMutation() {
        TraceId id = new TraceId(0x4242, 0x4242);
        long t = now() - 10 * MS;
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Object[] attrs = new Object[2 + 2 * 60];
            attrs[0] = "payload";
            attrs[1] = ("p" + i + "-").repeat(200); // ~1.2 KB per span: ~2.5 MB for the trace
            for (int k = 0; k < 60; k++) {
                attrs[2 + 2 * k] = "k" + k;
                attrs[3 + 2 * k] = "v-" + i + "-" + k; // 120,000 distinct terms in one block
            }
            spans.add(span(id, i + 1, i == 0 ? 0 : 1, "big", "op-" + (i % 7), t + i, MS, attrs));
        }
        write(spans);

        Trace trace = awaitTrace(id, 2000);
        assertThat(trace.spans()).containsExactlyInAnyOrderElementsOf(spans);
        long rows = TestKeyspace.session(KEYSPACE).execute(SimpleStatement.newInstance(
                "SELECT count(*) FROM " + KEYSPACE + ".traces WHERE trace_id = ?", ByteBuffer.wrap(id.toBytes())))
                .one().getLong(0);
        assertThat(rows).isGreaterThan(1);
        assertThat(ids(find(withTag(query(), "k59", "v-1999-59")))).containsExactly(id);
        assertThat(ids(find(withTag(query(), "k0", "v-0-0")))).containsExactly(id);
    }
}
