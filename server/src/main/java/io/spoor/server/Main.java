package io.spoor.server;

import io.spoor.pipeline.ExporterConfig;
import io.spoor.pipeline.PipelineConfig;
import io.spoor.pipeline.config.ConfigException;
import io.spoor.server.config.ConfigFile;
import io.spoor.server.config.ConfigLoader;
import io.spoor.server.config.SpoorConfig;
import io.spoor.server.receiver.Endpoint;
import io.spoor.server.receiver.otlp.OtlpReceiverConfig;
import io.spoor.server.receiver.otlp.OtlpReceiverFactory;
import io.spoor.server.receiver.zipkin.ZipkinReceiverConfig;
import io.spoor.server.receiver.zipkin.ZipkinReceiverFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code spoor server [--config FILE] [--data-dir DIR] [--otlp-grpc-port N] [--otlp-http-port N] …}. */
@Command(name = "spoor", mixinStandardHelpOptions = true, version = "Spoor 0.1.0-SNAPSHOT",
        description = "An OpenTelemetry-native distributed tracing backend.",
        subcommands = {Main.ServerCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Lucene announces on the console (java.util.logging) that it runs without the incubating vector module. Spoor
     * runs without it on purpose (it uses postings, not vector search; the module costs a JVM warning no flag
     * silences), so the notice is kept to errors. The reference keeps the configured logger from being collected.
     */
    private static final java.util.logging.Logger LUCENE_VECTORIZATION =
            java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

    static {
        LUCENE_VECTORIZATION.setLevel(java.util.logging.Level.SEVERE);
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "server", mixinStandardHelpOptions = true,
            description = "Run Spoor: OTLP receivers, storage and the query API. Flags override the config file.")
    static final class ServerCommand implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file")
        Path config;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "where spans are stored (default: ./data)")
        Path dataDir;

        @Option(names = "--otlp-grpc-port", paramLabel = "N", description = "OTLP/gRPC port (default: 4317; 0 = any)")
        Integer otlpGrpcPort;

        @Option(names = "--otlp-http-port", paramLabel = "N", description = "OTLP/HTTP port (default: 4318; 0 = any)")
        Integer otlpHttpPort;

        @Option(names = "--http-port", paramLabel = "N",
                description = "query API, /metrics and /health (default: 16686; 0 = any)")
        Integer httpPort;

        @Option(names = "--zipkin-port", paramLabel = "N",
                description = "Zipkin receiver and Zipkin API v2 (default: 9411; 0 = any)")
        Integer zipkinPort;

        @Option(names = "--bind", paramLabel = "ADDR",
                description = "address every port binds to (default: the receivers' endpoint host, else 127.0.0.1)")
        String bind;

        @Option(names = "--no-clock-skew-adjustment", description = "show span timestamps exactly as recorded "
                + "(default: shift child spans that do not fit their parent, as Jaeger and Zipkin do)")
        boolean noClockSkewAdjustment;

        @Option(names = "--verbose", description = "print the stack trace when Spoor cannot start")
        boolean verbose;

        @Override
        public Integer call() {
            PrintWriter out = new PrintWriter(System.out, true);
            SpoorConfig cfg;
            try {
                cfg = resolve();
            } catch (ConfigException e) {
                System.err.println("spoor: configuration error: " + e.getMessage());
                return 2;
            }
            SpoorServer server;
            try {
                server = new SpoorServer(cfg).start();
            } catch (StartupException e) {
                // a problem the operator can fix: one line naming the cause and the flag
                System.err.println("spoor: cannot start: " + e.getMessage());
                if (verbose) {
                    e.printStackTrace();
                }
                return 1;
            } catch (RuntimeException e) {
                Throwable root = e;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                System.err.println("spoor: cannot start: " + e.getMessage() + (root != e ? " (" + root + ")" : "")
                        + (verbose ? "" : "; --verbose prints the stack trace"));
                if (verbose) {
                    e.printStackTrace();
                }
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                out.println("spoor: shutting down");
                server.close();
                out.println("spoor: stopped");
                stopped.countDown();
            }, "spoor-shutdown"));
            String bindAddr = cfg.network().bind();
            out.println("spoor: data directory " + cfg.dataDir().toAbsolutePath());
            out.println("spoor: OTLP/gRPC listening on " + bindAddr + ":" + server.otlpGrpcPort());
            out.println("spoor: OTLP/HTTP listening on http://" + bindAddr + ":" + server.otlpHttpPort() + "/v1/traces");
            out.println("spoor: Zipkin listening on http://" + bindAddr + ":" + server.zipkinPort() + "/api/v2");
            out.println("spoor: API listening on http://" + bindAddr + ":" + server.httpPort() + "/api/v1");
            out.println("spoor: traces pipeline " + describe(cfg.pipeline()));
            out.println("spoor: ready");
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }

        /** The file (or the defaults), then the receivers' endpoints from it, then the flags over both. */
        SpoorConfig resolve() {
            ConfigFile file = config != null ? ConfigLoader.load(config) : ConfigFile.defaults();
            SpoorConfig cfg = SpoorConfig.defaults().withFile(file);
            SpoorConfig.Network n = cfg.network();
            OtlpReceiverConfig r = file.receiver(new OtlpReceiverFactory());
            ZipkinReceiverConfig z = file.receiver(new ZipkinReceiverFactory());
            String fileBind = endpointHost(r, z);
            cfg = cfg.withNetwork(new SpoorConfig.Network(
                    bind != null ? bind : fileBind != null ? fileBind : n.bind(),
                    otlpGrpcPort != null ? otlpGrpcPort : r.grpc().map(Endpoint::port).orElse(n.otlpGrpcPort()),
                    otlpHttpPort != null ? otlpHttpPort : r.http().map(Endpoint::port).orElse(n.otlpHttpPort()),
                    httpPort != null ? httpPort : n.httpPort(),
                    zipkinPort != null ? zipkinPort : z.endpoint().map(Endpoint::port).orElse(n.zipkinPort())));
            if (dataDir != null) {
                cfg = cfg.withDataDir(dataDir);
            }
            if (noClockSkewAdjustment) {
                cfg = cfg.withFile(cfg.file().withQuery(cfg.query().withAdjustClockSkew(false)));
            }
            return cfg;
        }

        /**
         * Spoor binds all its ports to one address, so the receivers' endpoint hosts must agree (the usual
         * Collector file writes 0.0.0.0 for all); null when the file names none.
         */
        private String endpointHost(OtlpReceiverConfig r, ZipkinReceiverConfig z) {
            java.util.Set<String> hosts = new java.util.TreeSet<>();
            r.grpc().ifPresent(e -> hosts.add(e.host()));
            r.http().ifPresent(e -> hosts.add(e.host()));
            z.endpoint().ifPresent(e -> hosts.add(e.host()));
            if (hosts.size() > 1 && bind == null) {
                throw new ConfigException("receivers: the otlp (grpc, http) and zipkin endpoints name different hosts "
                        + hosts + "; Spoor listens on one address for every port: use the same host, or --bind");
            }
            return hosts.isEmpty() ? null : hosts.iterator().next();
        }

        private static String describe(PipelineConfig p) {
            StringBuilder sb = new StringBuilder("memory_limiter");
            p.processors().forEach(x -> sb.append(" -> ").append(x.id()));
            sb.append(" -> ").append(p.exporters().stream().map(ExporterConfig::id).toList());
            if (!p.stores()) {
                sb.append(" (spans are forwarded, not stored here: add 'spoor' to the exporters to keep them)");
            }
            return sb.toString();
        }
    }
}
