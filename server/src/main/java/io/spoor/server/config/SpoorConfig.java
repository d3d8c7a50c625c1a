package io.spoor.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything the composition root needs, with defaults so that no file is needed at all. Built from the YAML
 * file ({@link ConfigLoader}) and then overridden by command-line flags.
 */
public record SpoorConfig(Network network, Path dataDir, MemoryLimiter memoryLimiter, Batch batch, Storage storage,
                          Query query) {

    public static final int DEFAULT_OTLP_GRPC_PORT = 4317;
    public static final int DEFAULT_OTLP_HTTP_PORT = 4318;
    public static final int DEFAULT_HTTP_PORT = 16686;
    public static final int DEFAULT_ZIPKIN_PORT = 9411;
    public static final String DEFAULT_BIND = "127.0.0.1";

    public SpoorConfig {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(memoryLimiter, "memoryLimiter");
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(query, "query");
    }

    public static SpoorConfig defaults() {
        return new SpoorConfig(Network.DEFAULTS, Path.of("data"), MemoryLimiter.DEFAULTS, Batch.DEFAULTS,
                Storage.DEFAULTS, Query.DEFAULTS);
    }

    public SpoorConfig withNetwork(Network v) {
        return new SpoorConfig(v, dataDir, memoryLimiter, batch, storage, query);
    }

    public SpoorConfig withDataDir(Path v) {
        return new SpoorConfig(network, v, memoryLimiter, batch, storage, query);
    }

    public SpoorConfig withMemoryLimiter(MemoryLimiter v) {
        return new SpoorConfig(network, dataDir, v, batch, storage, query);
    }

    public SpoorConfig withBatch(Batch v) {
        return new SpoorConfig(network, dataDir, memoryLimiter, v, storage, query);
    }

    public SpoorConfig withStorage(Storage v) {
        return new SpoorConfig(network, dataDir, memoryLimiter, batch, v, query);
    }

    public SpoorConfig withQuery(Query v) {
        return new SpoorConfig(network, dataDir, memoryLimiter, batch, storage, v);
    }

    /** Listening ports (0 = ephemeral) and the address every port binds to. */
    public record Network(String bind, int otlpGrpcPort, int otlpHttpPort, int httpPort, int zipkinPort) {
        public static final Network DEFAULTS = new Network(DEFAULT_BIND, DEFAULT_OTLP_GRPC_PORT,
                DEFAULT_OTLP_HTTP_PORT, DEFAULT_HTTP_PORT, DEFAULT_ZIPKIN_PORT);

        public Network {
            Objects.requireNonNull(bind, "bind");
            checkPort("--otlp-grpc-port", otlpGrpcPort);
            checkPort("--otlp-http-port", otlpHttpPort);
            checkPort("--http-port", httpPort);
            checkPort("--zipkin-port", zipkinPort);
        }

        /** With the default Zipkin port. */
        public Network(String bind, int otlpGrpcPort, int otlpHttpPort, int httpPort) {
            this(bind, otlpGrpcPort, otlpHttpPort, httpPort, DEFAULT_ZIPKIN_PORT);
        }

        private static void checkPort(String name, int port) {
            if (port < 0 || port > 65535) {
                throw new ConfigException(name + ": port must be between 0 and 65535, got " + port);
            }
        }
    }

    /** {@code processors.memory_limiter}; empty values mean "80% of the max heap, spike 20% of that". */
    public record MemoryLimiter(OptionalLong limitMib, OptionalLong spikeLimitMib) {
        public static final MemoryLimiter DEFAULTS = new MemoryLimiter(OptionalLong.empty(), OptionalLong.empty());
    }

    /** {@code processors.batch}. */
    public record Batch(int sendBatchSize, int sendBatchMaxSize, Duration timeout) {
        public static final Batch DEFAULTS = new Batch(8192, 0, Duration.ofMillis(5));
    }

    /** {@code spoor.storage}; empty values leave the engine's own defaults. */
    public record Storage(Optional<Duration> retention, OptionalLong maxDiskMib, Optional<String> fsync,
                          Optional<Duration> fsyncInterval) {
        public static final Storage DEFAULTS =
                new Storage(Optional.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * {@code spoor.query}: clock-skew adjustment when traces are assembled (on by default; a request can still ask
     * for raw spans) and the largest shift it may apply (0 = no limit).
     */
    public record Query(boolean adjustClockSkew, Duration maxClockSkew) {
        public static final Query DEFAULTS = new Query(true, Duration.ZERO);

        public Query {
            Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        }
    }
}
