package io.spoor.storage.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.spoor.testing.cassandra.CassandraNodeExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Schema creation is explicit and repeatable, and a newer schema is refused. Runs on the contract's keyspace. */
@ExtendWith(CassandraNodeExtension.class)
class CassandraSchemaTest {
    private static final String KEYSPACE = "spoor_contract";

    @Test
    void createsTheSchemaAgainWithoutChangingItOrItsIndexLayout() {
        CqlSession session = TestKeyspace.session(KEYSPACE); // created once already
        CassandraStoreSettings otherLayout = TestKeyspace.settings(KEYSPACE).withIndexLayout(Duration.ofMinutes(5), 7);

        CassandraSchema.Found again = new CassandraSchema(session, otherLayout).create();

        assertThat(again.version()).isEqualTo(CassandraSchema.VERSION);
        assertThat(again.layout()).isEqualTo(IndexLayout.DEFAULT); // recorded at first creation, kept
    }

    @Test
    void refusesToOpenAKeyspaceWithoutTheSchemaUnlessAllowedToCreateIt() {
        CassandraStoreSettings settings = TestKeyspace.settings("spoor_never_created");
        assertThatThrownBy(() -> CassandraSpanStore.open(settings))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keyspace 'spoor_never_created' has no Spoor schema")
                .hasMessageContaining("spoor schema create");
    }

    @Test
    void refusesToRunAgainstANewerSchemaVersion() {
        CqlSession session = TestKeyspace.session(KEYSPACE);
        session.execute(SimpleStatement.newInstance("UPDATE " + KEYSPACE + ".schema_version SET version = ?"
                + " WHERE id = 'spoor'", CassandraSchema.VERSION + 1));
        try {
            assertThatThrownBy(() -> CassandraSpanStore.open(TestKeyspace.settings(KEYSPACE), session))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("schema version " + (CassandraSchema.VERSION + 1))
                    .hasMessageContaining("upgrade Spoor");
            assertThatThrownBy(() -> new CassandraSchema(session, TestKeyspace.settings(KEYSPACE)).create())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("newer than the version " + CassandraSchema.VERSION);
        } finally {
            session.execute(SimpleStatement.newInstance("UPDATE " + KEYSPACE + ".schema_version SET version = ?"
                    + " WHERE id = 'spoor'", CassandraSchema.VERSION));
        }
    }
}
