package io.spoor.storage.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.spoor.testing.cassandra.CassandraNode;
import io.spoor.testing.cassandra.CassandraNodeExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The keyspaces tests use on the shared node: created once per test JVM, emptied with TRUNCATE (a fraction of a
 * second, where a new keyspace costs seconds of schema changes). One driver session per keyspace serves every test
 * of the JVM; stores opened on it do not close it.
 */
final class TestKeyspace {
    private static final List<String> TABLES = List.of("traces", "search_index", "buckets", "services", "operations",
            "dependencies");
    private static final Map<String, CqlSession> sessions = new HashMap<>();

    private TestKeyspace() {
    }

    static CassandraStoreSettings settings(String keyspace) {
        CassandraNode node = CassandraNodeExtension.node();
        return CassandraStoreSettings.defaults()
                .withContactPoints(List.of(node.contactPoint()))
                .withLocalDatacenter(node.localDatacenter())
                .withKeyspace(keyspace)
                .withRequestTimeout(Duration.ofSeconds(10));
    }

    /** The shared session of the keyspace, which exists once this returns. */
    static synchronized CqlSession session(String keyspace) {
        CqlSession session = sessions.get(keyspace);
        if (session == null || session.isClosed()) {
            CassandraStoreSettings settings = settings(keyspace);
            session = Sessions.open(settings);
            new CassandraSchema(session, settings).create();
            sessions.put(keyspace, session);
        }
        return session;
    }

    /** Empties every table of the keyspace (the truncations run side by side). */
    static void reset(String keyspace) {
        CqlSession session = session(keyspace);
        List<CompletableFuture<?>> truncations = new ArrayList<>();
        for (String table : TABLES) {
            truncations.add(session.executeAsync(SimpleStatement.newInstance("TRUNCATE " + keyspace + "." + table)
                    .setTimeout(Duration.ofMinutes(1))).toCompletableFuture());
        }
        CompletableFuture.allOf(truncations.toArray(CompletableFuture[]::new)).join();
    }

    /** A store on the keyspace's shared session. */
    static CassandraSpanStore open(CassandraStoreSettings settings) {
        return CassandraSpanStore.open(settings, session(settings.keyspace()));
    }
}
