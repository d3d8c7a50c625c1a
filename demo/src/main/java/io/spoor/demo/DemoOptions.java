package io.spoor.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The demo's command line: the same network and data options as {@code spoor server}, plus traffic knobs. */
public final class DemoOptions {
    Path dataDir;
    int otlpGrpcPort = 4317;
    int otlpHttpPort = 4318;
    int httpPort = 16686;
    int zipkinPort = 9411;
    String bind = "127.0.0.1";
    Path workDir;
    Path serverJar;
    Path agentJar;
    Duration duration = Duration.ZERO;
    double rate = 2.0;
    double samplingRatio = 1.0;
    int frontendPort = 0;
    long seed = System.nanoTime();
    String serverJavaOpts = "-Xmx512m";
    /** Fraction of requests that carry each fault, by label. */
    final Map<Fault, Double> faultRates = new LinkedHashMap<>();

    public DemoOptions() {
        for (Fault f : Fault.values()) {
            if (f != Fault.NONE) {
                faultRates.put(f, 0.05);
            }
        }
    }

    static final String USAGE = """
            Usage: run-demo.sh [options]
            Starts Spoor on its embedded store, PostgreSQL, Redis and a shop of four Java services instrumented
            with the OpenTelemetry Java agent, then sends them traffic with labelled faults. Ctrl-C stops it all.

            Spoor (as for `spoor server`):
              --data-dir DIR           where Spoor stores spans (default: WORK-DIR/spoor-data)
              --otlp-grpc-port N       OTLP/gRPC port (default 4317; 0 = any)
              --otlp-http-port N       OTLP/HTTP port (default 4318; 0 = any)
              --http-port N            UI and query API port (default 16686; 0 = any)
              --zipkin-port N          Spoor's Zipkin receiver and API port (default 9411; 0 = any)
              --bind ADDR              address Spoor and the services bind to (default 127.0.0.1)
            Demo:
              --duration D             stop after D (90s, 5m, 1h; default: run until Ctrl-C)
              --rate R                 checkout requests per second (default 2)
              --sampling-ratio P       head sampling ratio, parentbased_traceidratio (default 1.0)
              --payment-declined-rate F  fraction of orders paid with a card the issuer declines (default 0.05)
              --inventory-timeout-rate F fraction of orders with an item whose stock lookup times out (default 0.05)
              --slow-query-rate F      fraction of big bulk orders whose N+1 pricing misses its deadline (default 0.05)
              --order-bug-rate F       fraction of orders with the coupon that crashes order-service (default 0.05)
              --frontend-port N        port of the shop's frontend (default: any free port)
              --work-dir DIR           logs, traffic record and database files (default: a new temporary directory)
              --server-jar FILE        Spoor's server jar (default: server/target/spoor-server.jar)
              --agent FILE             the OpenTelemetry Java agent (default: demo/target/agent/opentelemetry-javaagent.jar)
              --seed N                 seed for the traffic's randomness
            Environment: SPOOR_JAVA_OPTS (Spoor's JVM options, default -Xmx512m); OTEL_* variables are passed
            on to the services and override the demo's own OTEL_* settings.
            """;

    public static DemoOptions parse(String[] args, Path home) {
        DemoOptions o = new DemoOptions();
        List<String> a = new ArrayList<>(Arrays.asList(args));
        for (int i = 0; i < a.size(); i++) {
            String arg = a.get(i);
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new HelpRequested();
            }
            if (value == null) {
                if (i + 1 >= a.size()) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                value = a.get(++i);
            }
            switch (arg) {
                case "--data-dir" -> o.dataDir = Path.of(value);
                case "--otlp-grpc-port" -> o.otlpGrpcPort = port(arg, value);
                case "--otlp-http-port" -> o.otlpHttpPort = port(arg, value);
                case "--http-port" -> o.httpPort = port(arg, value);
                case "--zipkin-port" -> o.zipkinPort = port(arg, value);
                case "--bind" -> o.bind = value;
                case "--work-dir" -> o.workDir = Path.of(value);
                case "--server-jar" -> o.serverJar = Path.of(value);
                case "--agent" -> o.agentJar = Path.of(value);
                case "--duration" -> o.duration = duration(value);
                case "--rate" -> o.rate = positive(arg, value);
                case "--sampling-ratio" -> o.samplingRatio = fraction(arg, value);
                case "--frontend-port" -> o.frontendPort = port(arg, value);
                case "--seed" -> o.seed = Long.parseLong(value);
                case "--payment-declined-rate" -> o.faultRates.put(Fault.PAYMENT_DECLINED, fraction(arg, value));
                case "--inventory-timeout-rate" -> o.faultRates.put(Fault.INVENTORY_TIMEOUT, fraction(arg, value));
                case "--slow-query-rate" -> o.faultRates.put(Fault.SLOW_QUERY, fraction(arg, value));
                case "--order-bug-rate" -> o.faultRates.put(Fault.ORDER_BUG, fraction(arg, value));
                default -> throw new IllegalArgumentException("unknown option " + arg + " (try --help)");
            }
        }
        double sum = o.faultRates.values().stream().mapToDouble(Double::doubleValue).sum();
        if (sum > 1.0) {
            throw new IllegalArgumentException("the fault rates add up to " + sum + ", more than 1");
        }
        String javaOpts = System.getenv("SPOOR_JAVA_OPTS");
        if (javaOpts != null && !javaOpts.isBlank()) {
            o.serverJavaOpts = javaOpts;
        }
        if (o.serverJar == null) {
            o.serverJar = home.resolve("server/target/spoor-server.jar");
        }
        if (o.agentJar == null) {
            o.agentJar = home.resolve("demo/target/agent/opentelemetry-javaagent.jar");
        }
        for (Path p : List.of(o.serverJar, o.agentJar)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(p + " does not exist (build first: ./spoor build, mvn -f demo/pom.xml package)");
            }
        }
        return o;
    }

    /** Thrown by {@link #parse} for --help. */
    static final class HelpRequested extends RuntimeException {
    }

    private static int port(String name, String v) {
        int p = Integer.parseInt(v.strip());
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException(name + " must be a port number (0-65535)");
        }
        return p;
    }

    private static double fraction(String name, String v) {
        double d = Double.parseDouble(v.strip());
        if (d < 0 || d > 1) {
            throw new IllegalArgumentException(name + " must be between 0 and 1");
        }
        return d;
    }

    private static double positive(String name, String v) {
        double d = Double.parseDouble(v.strip());
        if (!(d > 0)) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    static Duration duration(String v) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (s.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        long n = Long.parseLong(s.replaceAll("[a-z]+$", ""));
        return switch (s.replaceAll("^\\d+", "")) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("duration " + v + ": use e.g. 90s, 5m, 1h");
        };
    }
}
