package io.spoor.pipeline.config;

import io.spoor.pipeline.batch.BatchSettings;
import io.spoor.pipeline.export.OtlpExporterSettings;
import io.spoor.pipeline.sampling.tail.Policy;
import io.spoor.pipeline.sampling.tail.TailSamplingSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The configuration file, read ({@link ConfigLoader}) into what the composition root builds from: the OTLP
 * receiver's endpoints, the memory limiter, the traces pipeline's processors in order and its exporters, and the
 * {@code spoor:} section. {@link #defaults()} is what Spoor runs with no file: memory_limiter → batch → spoor.
 */
public record PipelineConfig(Receivers receivers, MemoryLimiterConfig memoryLimiter, List<ProcessorConfig> processors,
                             List<ExporterConfig> exporters, StorageConfig storage, QueryConfig query,
                             HttpConfig http) {

    public PipelineConfig {
        Objects.requireNonNull(receivers);
        Objects.requireNonNull(memoryLimiter);
        processors = List.copyOf(processors);
        exporters = List.copyOf(exporters);
        Objects.requireNonNull(storage);
        Objects.requireNonNull(query);
        Objects.requireNonNull(http);
        if (exporters.isEmpty()) {
            throw new IllegalArgumentException("a pipeline needs at least one exporter");
        }
    }

    /** With the default {@code spoor.http} settings. */
    public PipelineConfig(Receivers receivers, MemoryLimiterConfig memoryLimiter, List<ProcessorConfig> processors,
                          List<ExporterConfig> exporters, StorageConfig storage, QueryConfig query) {
        this(receivers, memoryLimiter, processors, exporters, storage, query, HttpConfig.DEFAULTS);
    }

    /** With the default {@code spoor.query} settings. */
    public PipelineConfig(Receivers receivers, MemoryLimiterConfig memoryLimiter, List<ProcessorConfig> processors,
                          List<ExporterConfig> exporters, StorageConfig storage) {
        this(receivers, memoryLimiter, processors, exporters, storage, QueryConfig.DEFAULTS);
    }

    public static PipelineConfig defaults() {
        return new PipelineConfig(Receivers.DEFAULTS, MemoryLimiterConfig.DEFAULTS,
                List.of(new ProcessorConfig.Batch("batch", BatchSettings.DEFAULTS)),
                List.of(new ExporterConfig.Store("spoor")), StorageConfig.DEFAULTS);
    }

    public PipelineConfig withMemoryLimiter(MemoryLimiterConfig v) {
        return new PipelineConfig(receivers, v, processors, exporters, storage, query, http);
    }

    public PipelineConfig withProcessors(List<ProcessorConfig> v) {
        return new PipelineConfig(receivers, memoryLimiter, v, exporters, storage, query, http);
    }

    public PipelineConfig withExporters(List<ExporterConfig> v) {
        return new PipelineConfig(receivers, memoryLimiter, processors, v, storage, query, http);
    }

    public PipelineConfig withStorage(StorageConfig v) {
        return new PipelineConfig(receivers, memoryLimiter, processors, exporters, v, query, http);
    }

    public PipelineConfig withQuery(QueryConfig v) {
        return new PipelineConfig(receivers, memoryLimiter, processors, exporters, storage, v, http);
    }

    public PipelineConfig withHttp(HttpConfig v) {
        return new PipelineConfig(receivers, memoryLimiter, processors, exporters, storage, query, v);
    }

    /** {@code host:port} as the Collector writes a listening endpoint. */
    public record Endpoint(String host, int port) {
    }

    /**
     * The receivers' endpoints ({@code otlp}'s two protocols, {@code zipkin}) and each listener's limits; empty =
     * Spoor's defaults (or the command-line flags; the limits' defaults are the server's {@code ReceiverSettings}).
     */
    public record Receivers(Optional<Endpoint> grpc, Optional<Endpoint> http, Optional<Endpoint> zipkin,
                            ListenerLimits grpcLimits, ListenerLimits httpLimits, ListenerLimits zipkinLimits) {
        public static final Receivers DEFAULTS = new Receivers(Optional.empty(), Optional.empty());

        public Receivers {
            Objects.requireNonNull(grpcLimits);
            Objects.requireNonNull(httpLimits);
            Objects.requireNonNull(zipkinLimits);
        }

        /** The OTLP endpoints only. */
        public Receivers(Optional<Endpoint> grpc, Optional<Endpoint> http) {
            this(grpc, http, Optional.empty(), ListenerLimits.DEFAULTS, ListenerLimits.DEFAULTS,
                    ListenerLimits.DEFAULTS);
        }
    }

    /**
     * A receiver listener's {@code max_connections}, {@code max_concurrent_streams}, {@code body_read_timeout} and
     * {@code cors.allowed_origins}, as the file sets them (empty = the default).
     */
    public record ListenerLimits(OptionalInt maxConnections, OptionalInt maxConcurrentStreams,
                                 Optional<Duration> bodyReadTimeout, Optional<List<String>> allowedOrigins) {
        public static final ListenerLimits DEFAULTS = new ListenerLimits(OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty(), Optional.empty());
    }

    /** {@code processors.memory_limiter}; empty values mean 80 % of the max heap, spike 20 % of the limit. */
    public record MemoryLimiterConfig(OptionalLong limitMib, OptionalLong spikeLimitMib, OptionalInt limitPercentage,
                                      OptionalInt spikeLimitPercentage) {
        public static final MemoryLimiterConfig DEFAULTS = new MemoryLimiterConfig(OptionalLong.empty(),
                OptionalLong.empty(), OptionalInt.empty(), OptionalInt.empty());

        public static MemoryLimiterConfig ofMib(long limitMib, long spikeLimitMib) {
            return new MemoryLimiterConfig(OptionalLong.of(limitMib), OptionalLong.of(spikeLimitMib),
                    OptionalInt.empty(), OptionalInt.empty());
        }
    }

    /** A processor of the traces pipeline, in pipeline order ({@code id} as written, e.g. {@code batch/2}). */
    public sealed interface ProcessorConfig {
        String id();

        record Batch(String id, BatchSettings settings) implements ProcessorConfig {
        }

        record ProbabilisticSampler(String id, double samplingPercentage) implements ProcessorConfig {
        }

        record TailSampling(String id, TailSamplingSettings settings, List<PolicySpec> policies, TailWal wal)
                implements ProcessorConfig {
            public TailSampling {
                policies = List.copyOf(policies);
            }

            public TailSampling(String id, TailSamplingSettings settings, List<PolicySpec> policies) {
                this(id, settings, policies, TailWal.DEFAULTS);
            }
        }
    }

    /**
     * The tail sampler's write-ahead log ({@code tail_sampling.wal}): on unless {@code enabled: false}; in
     * {@code directory}, or by default under the data dir ({@code <data-dir>/tail_sampling/<processor id>}).
     */
    public record TailWal(boolean enabled, Optional<String> directory) {
        public static final TailWal DEFAULTS = new TailWal(true, Optional.empty());
    }

    /** A configured policy; {@code create} makes a fresh instance (some policies keep state). */
    public record PolicySpec(String name, String type, Supplier<Policy> create) {
    }

    public sealed interface ExporterConfig {
        String id();

        /** The embedded store. */
        record Store(String id) implements ExporterConfig {
        }

        record Otlp(String id, OtlpExporterSettings settings) implements ExporterConfig {
        }
    }

    /** {@code spoor.storage}; empty values leave the engine's own defaults. */
    public record StorageConfig(Optional<Duration> retention, OptionalLong maxDiskMib, Optional<String> fsync,
                                Optional<Duration> fsyncInterval) {
        public static final StorageConfig DEFAULTS =
                new StorageConfig(Optional.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * {@code spoor.query}: clock-skew adjustment when traces are assembled (on by default; a request can still ask
     * for raw spans) and the largest shift it may apply (zero = no limit); what one request may load (the most
     * spans in one answer, the largest whole-trace search); and which web origins may read the query APIs from
     * a browser ({@code cors.allowed_origins}: none but the UI's own by default, {@code *} for any).
     */
    public record QueryConfig(boolean adjustClockSkew, Duration maxClockSkew, int maxTraceSpans, int maxSearchTraces,
                              List<String> corsAllowedOrigins) {
        public static final int DEFAULT_MAX_TRACE_SPANS = 200_000;
        public static final int DEFAULT_MAX_SEARCH_TRACES = 1_500;
        public static final QueryConfig DEFAULTS = new QueryConfig(true, Duration.ZERO);

        public QueryConfig {
            Objects.requireNonNull(maxClockSkew, "maxClockSkew");
            corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
        }

        /** With the default limits and same-origin reads only. */
        public QueryConfig(boolean adjustClockSkew, Duration maxClockSkew) {
            this(adjustClockSkew, maxClockSkew, DEFAULT_MAX_TRACE_SPANS, DEFAULT_MAX_SEARCH_TRACES, List.of());
        }

        public QueryConfig withAdjustClockSkew(boolean v) {
            return new QueryConfig(v, maxClockSkew, maxTraceSpans, maxSearchTraces, corsAllowedOrigins);
        }

        public QueryConfig withLimits(int traceSpans, int searchTraces) {
            return new QueryConfig(adjustClockSkew, maxClockSkew, traceSpans, searchTraces, corsAllowedOrigins);
        }

        public QueryConfig withCorsAllowedOrigins(List<String> v) {
            return new QueryConfig(adjustClockSkew, maxClockSkew, maxTraceSpans, maxSearchTraces, v);
        }
    }

    /**
     * {@code spoor.http}, for every listener: the {@code Host} names (with any port) Spoor answers. Empty means:
     * the loopback names when bound to a loopback address, any name otherwise.
     */
    public record HttpConfig(List<String> allowedHosts) {
        public static final HttpConfig DEFAULTS = new HttpConfig(List.of());

        public HttpConfig {
            allowedHosts = List.copyOf(allowedHosts);
        }
    }
}
