package io.spoor.server;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.util.BlockingTaskExecutor;
import com.linecorp.armeria.common.util.EventLoopGroups;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.spoor.pipeline.IngestPipeline;
import io.spoor.pipeline.PipelineContext;
import io.spoor.pipeline.PipelineFactory;
import io.spoor.pipeline.dependencies.DependencyAggregator;
import io.spoor.pipeline.limits.SpanLimiter;
import io.spoor.pipeline.memory.GcHeapProbe;
import io.spoor.query.ClockSkewAdjuster;
import io.spoor.query.DependencyService;
import io.spoor.query.QueryService;
import io.spoor.server.api.ApiErrorHandler;
import io.spoor.server.api.QueryApi;
import io.spoor.server.api.WebUi;
import io.spoor.server.config.QueryConfig;
import io.spoor.server.config.SpoorConfig;
import io.spoor.server.jaeger.JaegerApi;
import io.spoor.server.jaeger.JaegerV3Api;
import io.spoor.server.http.HostCheck;
import io.spoor.server.http.QueryCors;
import io.spoor.query.QueryLimits;
import io.spoor.server.zipkin.ZipkinQueryApi;
import io.spoor.server.observability.Health;
import io.spoor.server.observability.OpsApi;
import io.spoor.server.observability.StorageMeters;
import io.spoor.server.receiver.ReceiverConfig;
import io.spoor.server.receiver.ReceiverContext;
import io.spoor.server.receiver.ReceiverMetrics;
import io.spoor.server.receiver.ReceiverSettings;
import io.spoor.server.receiver.SpanReceiver;
import io.spoor.server.receiver.otlp.OtlpReceiverFactory;
import io.spoor.server.receiver.zipkin.ZipkinReceiverFactory;
import io.spoor.storage.SpanStore;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the object graph from a {@link SpoorConfig} and runs it. Four Armeria servers
 * (OTLP/gRPC, OTLP/HTTP, Zipkin receiver + API, query APIs + ops) share one event loop group. Tests start it
 * in-process on port 0.
 */
public final class SpoorServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SpoorServer.class);
    /** The OTLP/gRPC message limit (after decompression); larger messages get RESOURCE_EXHAUSTED. */
    public static final int MAX_GRPC_MESSAGE_BYTES = OtlpReceiverFactory.MAX_GRPC_MESSAGE_BYTES;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** How long after a bucket ends its dependency links are sealed: traces are complete by then. */
    static final Duration DEPENDENCY_SETTLE = Duration.ofSeconds(30);

    private final SpoorConfig config;
    private final StoreOpener storeOpener;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private SpanStore store;
    private IngestPipeline pipeline;
    private GcHeapProbe heapProbe;
    private EventLoopGroup workers;
    private BlockingTaskExecutor decodeExecutor;
    /** The receivers' listeners by name ({@link OtlpReceiverFactory#GRPC_LISTENER}, …), in start order. */
    private final Map<String, Server> listeners = new LinkedHashMap<>();
    private Server apiServer;
    private DependencyAggregator dependencyAggregator;
    private DependencyService dependencies;
    /** Every listener refuses hosts it does not serve (DNS rebinding). */
    private HostCheck hostCheck;
    private volatile boolean running;
    private boolean started;
    private boolean closed;

    public SpoorServer(SpoorConfig config) {
        this(config, StoreOpener.configured());
    }

    public SpoorServer(SpoorConfig config, StoreOpener storeOpener) {
        this.config = config;
        this.storeOpener = storeOpener;
    }

    /** Opens the store, builds the pipeline and starts listening; returns when every port is bound. */
    public synchronized SpoorServer start() {
        if (running || closed) {
            throw new IllegalStateException("a SpoorServer starts once");
        }
        try {
            bindJvmMetrics();
            StartupChecks.dataDirectory(config.dataDir());
            try {
                store = storeOpener.open(config);
            } catch (RuntimeException e) {
                StartupException inUse = StartupChecks.storeInUse(e, config.dataDir());
                throw inUse != null ? inUse : e;
            }
            Clock clock = Clock.systemUTC();
            // the stage after the store: every durable batch is aggregated into service-dependency buckets
            dependencyAggregator = new DependencyAggregator(store, store, clock, DEPENDENCY_SETTLE,
                    config.storage().retention(), registry).start();
            dependencies = new DependencyService(store, store);
            heapProbe = new GcHeapProbe();
            pipeline = PipelineFactory.build(config.pipeline(), new PipelineContext(store, dependencyAggregator,
                    config.dataDir(), config.storage().fsync(), config.storage().fsyncInterval(), heapProbe,
                    Runtime.getRuntime().maxMemory(), registry));
            new StorageMeters(store, registry);
            QueryConfig q = config.query();
            QueryService queries = new QueryService(store, q.adjustClockSkew()
                    ? new ClockSkewAdjuster(q.maxClockSkew().toNanos()) : null,
                    new QueryLimits(q.maxTraceSpans(), q.maxSearchTraces(), config.storage().retention()), clock);
            QueryCors cors = QueryCors.of(q.corsAllowedOrigins());
            hostCheck = HostCheck.forBinding(config.network().bind(), config.http().allowedHosts());
            ReceiverMetrics receiverMetrics = new ReceiverMetrics(registry);
            SpanLimiter limiter = new SpanLimiter(config.limits(), config.storage().retention(), clock, registry);
            SpanReceiver receiver = new SpanReceiver(pipeline, receiverMetrics, limiter);

            int cores = Runtime.getRuntime().availableProcessors();
            workers = EventLoopGroups.newEventLoopGroup(Math.max(2, cores));
            decodeExecutor = BlockingTaskExecutor.builder().numThreads(Math.max(2, cores))
                    .threadNamePrefix("spoor-decode").build();

            apiServer = listen(api(queries, cors), "query API", config.network().httpPort(), "--http-port");
            // Each receiver opens its listeners through the context; they start once all are created.
            record Pending(ServerBuilder builder, int port, String portFlag) {
            }
            Map<String, Pending> pending = new LinkedHashMap<>();
            ReceiverContext receiverContext = new ReceiverContext(pipeline, receiver, config.network(),
                    (what, port, portFlag, limits) -> {
                        ServerBuilder sb = receiverBase(port, limits);
                        pending.put(what, new Pending(sb, port, portFlag));
                        return sb;
                    });
            for (ReceiverConfig<?> r : config.file().receivers()) {
                r.create(receiverContext);
            }
            // The Zipkin port serves the Zipkin query API beside the Zipkin receiver, as Zipkin's own server does.
            new ZipkinQueryApi(queries, dependencies, cors).bind(pending.get(ZipkinReceiverFactory.LISTENER).builder());
            for (Map.Entry<String, Pending> e : pending.entrySet()) {
                listeners.put(e.getKey(), listen(e.getValue().builder(), e.getKey(), e.getValue().port(),
                        e.getValue().portFlag()));
            }
            running = true;
            started = true;
            log.info("Spoor started: OTLP/gRPC {}:{}, OTLP/HTTP {}:{}, API http://{}:{}/", config.network().bind(),
                    otlpGrpcPort(), config.network().bind(), otlpHttpPort(), config.network().bind(), httpPort());
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Builds and starts one listener; a port that cannot be bound is a {@link StartupException} naming its flag. */
    private Server listen(ServerBuilder builder, String what, int port, String portFlag) {
        Server server = builder.build();
        try {
            server.start().join();
            return server;
        } catch (RuntimeException e) {
            server.stop();
            StartupException named = StartupChecks.bindFailure(e, what,
                    new InetSocketAddress(config.network().bind(), port), portFlag);
            throw named != null ? named : e;
        }
    }

    private void bindJvmMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        closeables.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    private ServerBuilder base(int port) {
        return Server.builder()
                .port(new InetSocketAddress(config.network().bind(), port), SessionProtocol.HTTP)
                .decorator(hostCheck)
                .workerGroup(workers, false)
                .requestTimeout(REQUEST_TIMEOUT)
                .gracefulShutdownTimeout(Duration.ZERO, Duration.ofSeconds(5))
                .connectionDrainDuration(Duration.ZERO);
    }

    /** A receiver's listener: capped connections and HTTP/2 streams; bodies are read on the decode executor. */
    private ServerBuilder receiverBase(int port, ReceiverSettings.Listener limits) {
        return base(port)
                .blockingTaskExecutor(decodeExecutor, false)
                .maxNumConnections(limits.maxConnections())
                .http2MaxStreamsPerConnection(limits.maxConcurrentStreams());
    }

    private ServerBuilder api(QueryService queries, QueryCors cors) {
        ServerBuilder sb = base(config.network().httpPort()).errorHandler(new ApiErrorHandler());
        new QueryApi(queries, dependencies, cors).bind(sb);
        new JaegerApi(queries, dependencies, cors).bind(sb);
        new JaegerV3Api(queries, cors).bind(sb);
        WebUi.bind(sb);
        new OpsApi(registry, this::health).bind(sb);
        return sb;
    }

    /** Up while running, the store answers and nothing that takes writes fails. */
    public boolean healthy() {
        return health().status() == Health.Status.UP;
    }

    /**
     * DOWN unless running; DEGRADED while the store or a pipeline stage reports a failure it recovers from by itself
     * (a full disk, a failing index, a tail sampler whose hand-off to the store fails), each problem named.
     */
    public Health health() {
        if (!running) {
            return Health.DOWN;
        }
        List<String> problems = new ArrayList<>();
        try {
            store.stats();
            store.health().problems().forEach(p -> problems.add("storage: " + p));
        } catch (RuntimeException e) {
            problems.add("storage: does not answer: " + e);
        }
        problems.addAll(pipeline.healthProblems());
        return Health.running(problems);
    }

    public int otlpGrpcPort() {
        return listeners.get(OtlpReceiverFactory.GRPC_LISTENER).activeLocalPort();
    }

    public int otlpHttpPort() {
        return listeners.get(OtlpReceiverFactory.HTTP_LISTENER).activeLocalPort();
    }

    public int httpPort() {
        return apiServer.activeLocalPort();
    }

    public int zipkinPort() {
        return listeners.get(ZipkinReceiverFactory.LISTENER).activeLocalPort();
    }

    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    public SpoorConfig config() {
        return config;
    }

    /**
     * Stops listening (in-flight exports finish and are acknowledged), flushes the pipeline, closes the store.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        // All three servers stop together: each spends ~2 s in Netty's quiet period, in parallel that is paid once.
        // In-flight exports still complete: the pipeline below is running until the receivers have stopped.
        List<Server> servers = new ArrayList<>(listeners.values());
        servers.add(apiServer);
        stopAll(servers);
        if (pipeline != null) {
            pipeline.close();
        }
        if (dependencyAggregator != null) {
            dependencyAggregator.close();
        }
        if (store != null) {
            try {
                store.close();
            } catch (RuntimeException e) {
                log.warn("closing the store failed", e);
            }
        }
        if (heapProbe != null) {
            heapProbe.close();
        }
        if (decodeExecutor != null) {
            decodeExecutor.shutdown();
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        }
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing {} failed", c, e);
            }
        }
        registry.close();
        if (started) { // a start that failed has said why; "stopped" would only add noise to that one line
            log.info("Spoor stopped");
        }
    }

    private static void stopAll(List<Server> servers) {
        List<java.util.concurrent.CompletableFuture<Void>> stops = new ArrayList<>();
        for (Server s : servers) {
            if (s != null) {
                stops.add(s.stop());
            }
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(stops.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .join();
        } catch (RuntimeException e) {
            log.warn("stopping a server failed", e);
        }
    }
}
