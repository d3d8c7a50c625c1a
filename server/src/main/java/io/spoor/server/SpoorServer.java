package io.spoor.server;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.common.util.BlockingTaskExecutor;
import com.linecorp.armeria.common.util.EventLoopGroups;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
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
import io.spoor.model.Span;
import io.spoor.pipeline.IngestPipeline;
import io.spoor.pipeline.PipelineFactory;
import io.spoor.pipeline.config.PipelineConfig;
import io.spoor.pipeline.memory.GcHeapProbe;
import io.spoor.query.ClockSkewAdjuster;
import io.spoor.query.DependencyService;
import io.spoor.query.QueryService;
import io.spoor.server.api.ApiErrorHandler;
import io.spoor.server.api.QueryApi;
import io.spoor.server.api.WebUi;
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
import io.spoor.server.receiver.BodyAdmission;
import io.spoor.server.receiver.CrossOrigin;
import io.spoor.server.receiver.ReceiverMetrics;
import io.spoor.server.receiver.ReceiverSettings;
import io.spoor.server.receiver.Signal;
import io.spoor.server.receiver.SpanReceiver;
import io.spoor.server.receiver.otlp.OtlpGrpcErrors;
import io.spoor.server.receiver.otlp.OtlpGrpcServices;
import io.spoor.server.receiver.otlp.OtlpHttpProtocolErrors;
import io.spoor.server.receiver.otlp.OtlpHttpService;
import io.spoor.server.receiver.zipkin.ZipkinReceiver;
import io.spoor.storage.SpanStore;
import io.spoor.storage.SpanWriter;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    public static final int MAX_GRPC_MESSAGE_BYTES = 4 * 1024 * 1024;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** How long after a bucket ends its dependency links are sealed: traces are complete by then. */
    static final Duration DEPENDENCY_SETTLE = Duration.ofSeconds(30);
    private static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    private final SpoorConfig config;
    private final StoreOpener storeOpener;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private SpanStore store;
    private IngestPipeline pipeline;
    private GcHeapProbe heapProbe;
    private EventLoopGroup workers;
    private BlockingTaskExecutor decodeExecutor;
    private Server grpcServer;
    private Server otlpHttpServer;
    private Server apiServer;
    private Server zipkinServer;
    private DependencyService dependencies;
    /** Every listener refuses hosts it does not serve (DNS rebinding). */
    private HostCheck hostCheck;
    private volatile boolean running;
    private boolean started;
    private boolean closed;

    public SpoorServer(SpoorConfig config) {
        this(config, new LuceneStoreOpener());
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
            dependencies = new DependencyService(store, store, clock, DEPENDENCY_SETTLE,
                    config.pipeline().storage().retention().orElse(DEFAULT_RETENTION)).start();
            heapProbe = new GcHeapProbe();
            pipeline = PipelineFactory.build(config.pipeline(), observed(store, dependencies), config.dataDir(),
                    heapProbe, Runtime.getRuntime().maxMemory(), registry);
            new StorageMeters(store, registry);
            PipelineConfig.QueryConfig q = config.pipeline().query();
            QueryService queries = new QueryService(store, q.adjustClockSkew()
                    ? new ClockSkewAdjuster(q.maxClockSkew().toNanos()) : null,
                    new QueryLimits(q.maxTraceSpans(), q.maxSearchTraces(), config.pipeline().storage().retention()
                            .orElse(DEFAULT_RETENTION)), clock);
            QueryCors cors = QueryCors.of(q.corsAllowedOrigins());
            hostCheck = HostCheck.forBinding(config.network().bind(), config.pipeline().http().allowedHosts());
            ReceiverMetrics receiverMetrics = new ReceiverMetrics(registry);
            SpanReceiver receiver = new SpanReceiver(pipeline, receiverMetrics);

            int cores = Runtime.getRuntime().availableProcessors();
            workers = EventLoopGroups.newEventLoopGroup(Math.max(2, cores));
            decodeExecutor = BlockingTaskExecutor.builder().numThreads(Math.max(2, cores))
                    .threadNamePrefix("spoor-decode").build();

            apiServer = listen(api(queries, cors), "query API", config.network().httpPort(), "--http-port");
            zipkinServer = listen(zipkin(receiver, new ZipkinQueryApi(queries, dependencies, cors)), "Zipkin",
                    config.network().zipkinPort(), "--zipkin-port");
            otlpHttpServer = listen(otlpHttp(receiver), "OTLP/HTTP", config.network().otlpHttpPort(),
                    "--otlp-http-port");
            grpcServer = listen(otlpGrpc(receiver), "OTLP/gRPC", config.network().otlpGrpcPort(), "--otlp-grpc-port");
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

    private ServerBuilder otlpGrpc(SpanReceiver receiver) {
        ReceiverSettings.Listener limits = config.receivers().otlpGrpc();
        GrpcServiceBuilder grpc = GrpcService.builder()
                .supportedSerializationFormats(GrpcSerializationFormats.PROTO)
                .maxRequestMessageLength(MAX_GRPC_MESSAGE_BYTES)
                .exceptionHandler(OtlpGrpcErrors.bodyRejections(receiver.metrics()));
        OtlpGrpcServices.all(receiver).forEach(grpc::addService);
        return receiverBase(config.network().otlpGrpcPort(), limits)
                .maxRequestLength(4L * MAX_GRPC_MESSAGE_BYTES)
                .service(grpc.build(), BodyAdmission.grpc(pipeline, limits.bodyReadTimeout(),
                        MAX_GRPC_MESSAGE_BYTES));
    }

    private ServerBuilder otlpHttp(SpanReceiver receiver) {
        ReceiverSettings.Listener limits = config.receivers().otlpHttp();
        ServerBuilder sb = receiverBase(config.network().otlpHttpPort(), limits)
                .maxRequestLength(OtlpHttpService.MAX_BODY_BYTES)
                .errorHandler(new OtlpHttpProtocolErrors());
        var admission = BodyAdmission.http(pipeline, limits.bodyReadTimeout());
        // Browser SDKs (OpenTelemetry JS web) export cross-origin, from the origins the configuration allows.
        var cors = CrossOrigin.preflights(limits.allowedOrigins());
        for (Signal signal : Signal.values()) {
            sb.route().path(signal.otlpHttpPath()).decorator(admission).decorator(cors).build(
                    new OtlpHttpService(signal, receiver, OtlpHttpService.MAX_BODY_BYTES, limits.allowedOrigins()));
        }
        return sb;
    }

    /** The store seen by the batch processor: every stored batch is shown to the dependency service too. */
    private static SpanWriter observed(SpanStore store, DependencyService dependencies) {
        return new SpanWriter() {
            @Override
            public CompletableFuture<Void> write(List<Span> spans) {
                return store.write(spans).whenComplete((ok, error) -> {
                    if (error == null) {
                        dependencies.observe(spans);
                    }
                });
            }
        };
    }

    /** The Zipkin port serves the Zipkin receiver and the Zipkin query API, as Zipkin's own server does. */
    private ServerBuilder zipkin(SpanReceiver receiver, ZipkinQueryApi api) {
        ReceiverSettings.Listener limits = config.receivers().zipkin();
        ServerBuilder sb = receiverBase(config.network().zipkinPort(), limits)
                .maxRequestLength(OtlpHttpService.MAX_BODY_BYTES);
        new ZipkinReceiver(receiver, OtlpHttpService.MAX_BODY_BYTES, limits.allowedOrigins()).bind(sb,
                BodyAdmission.http(pipeline, limits.bodyReadTimeout()));
        api.bind(sb);
        return sb;
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
        return grpcServer.activeLocalPort();
    }

    public int otlpHttpPort() {
        return otlpHttpServer.activeLocalPort();
    }

    public int httpPort() {
        return apiServer.activeLocalPort();
    }

    public int zipkinPort() {
        return zipkinServer.activeLocalPort();
    }

    /** The dependency service (tests drive its sealing). */
    public DependencyService dependencies() {
        return dependencies;
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
        stopAll(grpcServer, otlpHttpServer, apiServer, zipkinServer);
        if (pipeline != null) {
            pipeline.close();
        }
        if (dependencies != null) {
            dependencies.close();
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

    private static void stopAll(Server... servers) {
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
