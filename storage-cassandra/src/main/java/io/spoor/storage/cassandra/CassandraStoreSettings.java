package io.spoor.storage.cassandra;

import io.spoor.storage.SpanStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the Cassandra engine. Start from {@link #defaults} and change what you need with the {@code with…}
 * methods.
 *
 * @param contactPoints     nodes to connect to first (the driver discovers the rest of the cluster)
 * @param localDatacenter   the data center whose nodes serve requests (the driver needs it named)
 * @param keyspace          where the tables live
 * @param replication       used only when the schema is created
 * @param consistency       consistency level of every write and read, e.g. {@code LOCAL_QUORUM} (a write is
 *                          acknowledged to the client only once this many replicas have it)
 * @param retention         each row's TTL; also what {@code enforceRetention} sweeps by ({@link SpanStore#DEFAULT_RETENTION})
 * @param credentials       user name and password for Cassandra's PasswordAuthenticator, if any
 * @param tls               TLS towards Cassandra, if enabled
 * @param connectTimeout    for establishing connections
 * @param requestTimeout    for each request; a node that does not answer within it fails the write
 * @param maxInFlightWrites statements sent and not yet answered, at most (a write waits up to
 *                          {@code requestTimeout} for room, then fails): Spoor never queues without bound when
 *                          Cassandra is slow
 * @param createSchema      create the keyspace and tables on open when they are missing (else {@code spoor schema
 *                          create} must have run)
 * @param indexLayout       time-bucket length and shards of the search index; used only when the schema is created
 * @param clock             "now" for the retention sweep (tests inject a movable clock)
 */
public record CassandraStoreSettings(
        List<InetSocketAddress> contactPoints,
        String localDatacenter,
        String keyspace,
        Replication replication,
        String consistency,
        Duration retention,
        Optional<Credentials> credentials,
        Optional<Tls> tls,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxInFlightWrites,
        boolean createSchema,
        Duration indexBucket,
        int indexShards,
        Clock clock) {

    public static final String DEFAULT_KEYSPACE = "spoor";
    /** Cassandra caps TTLs at 20 years; longer would be refused on every write. */
    static final Duration MAX_TTL = Duration.ofDays(20 * 365);

    public CassandraStoreSettings {
        contactPoints = List.copyOf(contactPoints);
        if (contactPoints.isEmpty()) {
            throw new IllegalArgumentException("at least one Cassandra contact point is needed");
        }
        Objects.requireNonNull(localDatacenter, "localDatacenter");
        if (localDatacenter.isBlank()) {
            throw new IllegalArgumentException("the local data center must be named (e.g. datacenter1)");
        }
        if (!keyspace.matches("[A-Za-z][A-Za-z0-9_]{0,47}")) {
            throw new IllegalArgumentException("keyspace '" + keyspace + "' is not a valid Cassandra identifier"
                    + " (letters, digits, underscore; starting with a letter; at most 48 characters)");
        }
        Objects.requireNonNull(replication, "replication");
        Consistency.parse(consistency); // validates
        requirePositive(retention, "retention");
        if (retention.compareTo(MAX_TTL) > 0 || retention.getSeconds() < 1) {
            throw new IllegalArgumentException("retention must be between 1 s and 20 years (Cassandra's TTL limit)");
        }
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(tls, "tls");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        if (maxInFlightWrites < 1) {
            throw new IllegalArgumentException("maxInFlightWrites must be >= 1");
        }
        requirePositive(indexBucket, "indexBucket");
        new IndexLayout(indexBucket.toNanos(), indexShards); // validates
        Objects.requireNonNull(clock, "clock");
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** One local node: 127.0.0.1:9042, data center {@code datacenter1}, keyspace {@code spoor}, replication 1. */
    public static CassandraStoreSettings defaults() {
        return new CassandraStoreSettings(List.of(new InetSocketAddress("127.0.0.1", 9042)), "datacenter1",
                DEFAULT_KEYSPACE, Replication.simple(1), "LOCAL_QUORUM", SpanStore.DEFAULT_RETENTION, Optional.empty(),
                Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(5), 256, false,
                Duration.ofMinutes(1), 2, Clock.systemUTC());
    }

    IndexLayout indexLayout() {
        return new IndexLayout(indexBucket.toNanos(), indexShards);
    }

    /** How the keyspace is replicated, as CQL's replication map. */
    public record Replication(String strategy, Map<String, Integer> factors) {
        public Replication {
            Objects.requireNonNull(strategy, "strategy");
            factors = Map.copyOf(factors);
            if (!strategy.equals("SimpleStrategy") && !strategy.equals("NetworkTopologyStrategy")) {
                throw new IllegalArgumentException("replication strategy must be SimpleStrategy or"
                        + " NetworkTopologyStrategy, not " + strategy);
            }
            if (factors.isEmpty() || factors.values().stream().anyMatch(f -> f < 1)) {
                throw new IllegalArgumentException("replication factors must be >= 1");
            }
            if (strategy.equals("SimpleStrategy") && !factors.keySet().equals(java.util.Set.of("replication_factor"))) {
                throw new IllegalArgumentException("SimpleStrategy takes one replication_factor");
            }
        }

        public static Replication simple(int factor) {
            return new Replication("SimpleStrategy", Map.of("replication_factor", factor));
        }

        /** Factors per data center, e.g. {@code {dc1: 3, dc2: 3}}. */
        public static Replication perDatacenter(Map<String, Integer> factors) {
            return new Replication("NetworkTopologyStrategy", factors);
        }

        String toCql() {
            StringBuilder b = new StringBuilder("{'class': '").append(strategy).append('\'');
            factors.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> b.append(", '")
                    .append(e.getKey().replace("'", "''")).append("': ").append(e.getValue()));
            return b.append('}').toString();
        }
    }

    public record Credentials(String username, String password) {
        public Credentials {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=***]";
        }
    }

    /**
     * TLS towards Cassandra. Without a trust store the JVM's default trust applies.
     *
     * @param trustStore         a PKCS12 or JKS trust store with the CA of the nodes' certificates
     * @param keyStore           a key store with this client's certificate, for nodes that require client auth
     * @param hostnameValidation check that a node's certificate names the address it was reached at
     */
    public record Tls(Optional<Path> trustStore, Optional<String> trustStorePassword, Optional<Path> keyStore,
                      Optional<String> keyStorePassword, boolean hostnameValidation) {
        public Tls {
            Objects.requireNonNull(trustStore, "trustStore");
            Objects.requireNonNull(trustStorePassword, "trustStorePassword");
            Objects.requireNonNull(keyStore, "keyStore");
            Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        }

        @Override
        public String toString() {
            return "Tls[trustStore=" + trustStore + ", keyStore=" + keyStore + ", hostnameValidation="
                    + hostnameValidation + "]";
        }
    }

    public CassandraStoreSettings withContactPoints(List<InetSocketAddress> v) {
        return new CassandraStoreSettings(v, localDatacenter, keyspace, replication, consistency, retention,
                credentials, tls, connectTimeout, requestTimeout, maxInFlightWrites, createSchema, indexBucket,
                indexShards, clock);
    }

    public CassandraStoreSettings withLocalDatacenter(String v) {
        return new CassandraStoreSettings(contactPoints, v, keyspace, replication, consistency, retention,
                credentials, tls, connectTimeout, requestTimeout, maxInFlightWrites, createSchema, indexBucket,
                indexShards, clock);
    }

    public CassandraStoreSettings withKeyspace(String v) {
        return new CassandraStoreSettings(contactPoints, localDatacenter, v, replication, consistency, retention,
                credentials, tls, connectTimeout, requestTimeout, maxInFlightWrites, createSchema, indexBucket,
                indexShards, clock);
    }

    public CassandraStoreSettings withReplication(Replication v) {
        return new CassandraStoreSettings(contactPoints, localDatacenter, keyspace, v, consistency, retention,
                credentials, tls, connectTimeout, requestTimeout, maxInFlightWrites, createSchema, indexBucket,
                indexShards, clock);
    }

    public CassandraStoreSettings withConsistency(String v) {
        return new CassandraStoreSettings(contactPoints, localDatacenter, keyspace, replication, v, retention,
                credentials, tls, connectTimeout, requestTimeout, maxInFlightWrites, createSchema, indexBucket,
                indexShards, clock);
    }

    public CassandraStoreSettings withRetention(Duration v) {
        return new CassandraStoreSettings(contactPoints, localDatacenter, keyspace, replication, consistency, v,
                credentials, tls, connectTimeout, requestTimeout, maxInFlightWrites, createSchema, indexBucket,
                indexShards, clock);
    }

    public CassandraStoreSettings withCredentials(Optional<Credentials> v) {
        return new CassandraStoreSettings(contactPoints, localDatacenter, keyspace, replication, consistency,
                retention, v, tls, connectTimeout, requestTimeout, maxInFlightWrites, createSchema, indexBucket,
                indexShards, clock);
    }

    public CassandraStoreSettings withTls(Optional<Tls> v) {
        return new CassandraStoreSettings(contactPoints, localDatacenter, keyspace, replication, consistency,
                retention, credentials, v, connectTimeout, requestTimeout, maxInFlightWrites, createSchema,
                indexBucket, indexShards, clock);
    }

    public CassandraStoreSettings withConnectTimeout(Duration v) {
        return new CassandraStoreSettings(contactPoints, localDatacenter, keyspace, replication, consistency,
                retention, credentials, tls, v, requestTimeout, maxInFlightWrites, createSchema, indexBucket,
                indexShards, clock);
    }

    public CassandraStoreSettings withRequestTimeout(Duration v) {
        return new CassandraStoreSettings(contactPoints, localDatacenter, keyspace, replication, consistency,
                retention, credentials, tls, connectTimeout, v, maxInFlightWrites, createSchema, indexBucket,
                indexShards, clock);
    }

    public CassandraStoreSettings withMaxInFlightWrites(int v) {
        return new CassandraStoreSettings(contactPoints, localDatacenter, keyspace, replication, consistency,
                retention, credentials, tls, connectTimeout, requestTimeout, v, createSchema, indexBucket,
                indexShards, clock);
    }

    public CassandraStoreSettings withCreateSchema(boolean v) {
        return new CassandraStoreSettings(contactPoints, localDatacenter, keyspace, replication, consistency,
                retention, credentials, tls, connectTimeout, requestTimeout, maxInFlightWrites, v, indexBucket,
                indexShards, clock);
    }

    public CassandraStoreSettings withIndexLayout(Duration bucket, int shards) {
        return new CassandraStoreSettings(contactPoints, localDatacenter, keyspace, replication, consistency,
                retention, credentials, tls, connectTimeout, requestTimeout, maxInFlightWrites, createSchema, bucket,
                shards, clock);
    }

    public CassandraStoreSettings withClock(Clock v) {
        return new CassandraStoreSettings(contactPoints, localDatacenter, keyspace, replication, consistency,
                retention, credentials, tls, connectTimeout, requestTimeout, maxInFlightWrites, createSchema,
                indexBucket, indexShards, v);
    }
}
