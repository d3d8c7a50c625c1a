package io.spoor.server.receiver;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What each receiver listener accepts at the network level (docs/configuration.md, {@code receivers}). Memory for
 * request bodies is bounded by the memory limiter as they arrive; these bound what the limiter does not see:
 * connections, concurrent HTTP/2 streams, how long a body may stall, and which browser origins may post.
 */
public record ReceiverSettings(Listener otlpGrpc, Listener otlpHttp, Listener zipkin) {

    public static final ReceiverSettings DEFAULTS = new ReceiverSettings(Listener.DEFAULTS, Listener.DEFAULTS,
            Listener.DEFAULTS);

    public ReceiverSettings {
        Objects.requireNonNull(otlpGrpc, "otlpGrpc");
        Objects.requireNonNull(otlpHttp, "otlpHttp");
        Objects.requireNonNull(zipkin, "zipkin");
    }

    /**
     * @param maxConnections       open connections on this port; more are closed as they are accepted
     * @param maxConcurrentStreams HTTP/2 streams (requests) in flight on one connection; more are refused with
     *                             {@code REFUSED_STREAM}, which clients retry
     * @param bodyReadTimeout      the longest a request body may go without a byte arriving; then 408 /
     *                             DEADLINE_EXCEEDED and the connection is closed
     * @param allowedOrigins       browser origins allowed to post ({@code cors.allowed_origins}; {@code *} for
     *                             any); none by default. Not used by the gRPC listener (browsers cannot speak it).
     */
    public record Listener(int maxConnections, int maxConcurrentStreams, Duration bodyReadTimeout,
                           List<String> allowedOrigins) {
        public static final int DEFAULT_MAX_CONNECTIONS = 1024;
        /** What gRPC and HTTP/2 servers commonly allow; far above the handful an exporter keeps in flight. */
        public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 100;
        public static final Duration DEFAULT_BODY_READ_TIMEOUT = Duration.ofSeconds(10);
        public static final Listener DEFAULTS = new Listener(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONCURRENT_STREAMS,
                DEFAULT_BODY_READ_TIMEOUT, List.of());

        public Listener {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("max_connections must be at least 1, got " + maxConnections);
            }
            if (maxConcurrentStreams < 1) {
                throw new IllegalArgumentException("max_concurrent_streams must be at least 1, got "
                        + maxConcurrentStreams);
            }
            Objects.requireNonNull(bodyReadTimeout, "bodyReadTimeout");
            if (bodyReadTimeout.isNegative() || bodyReadTimeout.isZero()) {
                throw new IllegalArgumentException("body_read_timeout must be positive, got " + bodyReadTimeout);
            }
            allowedOrigins = List.copyOf(allowedOrigins);
        }

        /** No browser origin allowed. */
        public Listener(int maxConnections, int maxConcurrentStreams, Duration bodyReadTimeout) {
            this(maxConnections, maxConcurrentStreams, bodyReadTimeout, List.of());
        }

        public Listener withAllowedOrigins(List<String> origins) {
            return new Listener(maxConnections, maxConcurrentStreams, bodyReadTimeout, origins);
        }
    }
}
