package io.spoor.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the whole demo: Spoor (its server jar, embedded store), PostgreSQL, Redis, the four services (each its
 * own JVM with the OpenTelemetry Java agent, configured only through {@code OTEL_*}) and the traffic generator.
 * Prints where to look, and stops everything in order on Ctrl-C / SIGTERM or after {@code --duration}:
 * traffic, services (which flush their spans), stores, then Spoor.
 */
public final class DemoRunner {
    /** The shop, leaves first. Ports of the others are passed to the callers in DEMO_*_URL. */
    enum Service {
        PAYMENT("payment-service", "io.spoor.demo.service.PaymentService", "grpc"),
        INVENTORY("inventory-service", "io.spoor.demo.service.InventoryService", "http/protobuf"),
        ORDER("order-service", "io.spoor.demo.service.OrderService", "grpc"),
        FRONTEND("frontend", "io.spoor.demo.service.Frontend", "http/protobuf");

        final String serviceName;
        final String mainClass;
        /** Half the shop exports over OTLP/gRPC, half over OTLP/HTTP, so both of Spoor's receivers are used. */
        final String otlpProtocol;

        Service(String serviceName, String mainClass, String otlpProtocol) {
            this.serviceName = serviceName;
            this.mainClass = mainClass;
            this.otlpProtocol = otlpProtocol;
        }
    }

    private final DemoOptions options;
    private final Path workDir;
    private final Path logs;
    private final Stores stores = new Stores();
    private final List<Child> services = new ArrayList<>();
    private Child spoor;
    private TrafficGenerator traffic;
    private boolean stopped;

    DemoRunner(DemoOptions options, Path workDir) throws IOException {
        this.options = options;
        this.workDir = workDir;
        this.logs = Files.createDirectories(workDir.resolve("logs"));
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("logback.configurationFile", "logback-runner.xml");
        Path home = Path.of(System.getProperty("spoor.home", ".")).toAbsolutePath().normalize();
        DemoOptions options;
        try {
            options = DemoOptions.parse(args, home);
        } catch (DemoOptions.HelpRequested h) {
            System.out.print(DemoOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path workDir = options.workDir != null ? Files.createDirectories(options.workDir.toAbsolutePath())
                : Files.createTempDirectory("spoor-demo-");
        DemoRunner runner = new DemoRunner(options, workDir);
        Runtime.getRuntime().addShutdownHook(new Thread(runner::stop, "demo-stop"));
        try {
            runner.start();
        } catch (Exception e) {
            System.out.println("demo: failed to start: " + e);
            e.printStackTrace(System.out);
            runner.stop();
            System.exit(1);
        }
        if (options.duration.isZero()) {
            Thread.currentThread().join(); // until Ctrl-C / SIGTERM
        }
        Thread.sleep(options.duration.toMillis());
        System.out.println("demo: " + options.duration.toSeconds() + " s are up");
        runner.stop();
        System.exit(0);
    }

    void start() throws Exception {
        System.out.println("demo: work directory " + workDir + " (logs in " + logs + ")");
        Path dataDir = options.dataDir != null ? options.dataDir.toAbsolutePath() : workDir.resolve("spoor-data");
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());

        // 1. Spoor, exactly as `spoor server` runs it (run-demo.sh passes the flags of scripts/jvm-flags.sh)
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(System.getProperty("spoor.jvm.flags", "--enable-native-access=ALL-UNNAMED").trim().split("\\s+")));
        cmd.addAll(List.of(options.serverJavaOpts.trim().split("\\s+")));
        cmd.addAll(List.of("-jar", options.serverJar.toString(), "server", "--data-dir", dataDir.toString(),
                "--otlp-grpc-port", Integer.toString(options.otlpGrpcPort), "--otlp-http-port", Integer.toString(options.otlpHttpPort),
                "--http-port", Integer.toString(options.httpPort), "--zipkin-port", Integer.toString(options.zipkinPort),
                "--bind", options.bind));
        System.out.println("demo: starting Spoor (" + options.serverJar.getFileName() + ", data in " + dataDir + ")");
        spoor = Child.start("spoor", cmd, Map.of(), logs.resolve("spoor.log"));

        // 2. the stores, while Spoor starts
        System.out.println("demo: starting PostgreSQL and Redis");
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "spoor-demo");
        stores.start(workDir, cache, logs);

        SpoorPorts ports = awaitSpoor(spoor, Duration.ofSeconds(90));
        String host = connectHost(options.bind);
        System.out.println("demo: Spoor is up (OTLP/gRPC " + ports.grpc + ", OTLP/HTTP " + ports.http + ", API " + ports.api + ")");

        // 3. the services, all at once (each JVM with the agent takes a few seconds to start)
        Map<Service, Integer> servicePorts = new LinkedHashMap<>();
        for (Service s : Service.values()) {
            servicePorts.put(s, s == Service.FRONTEND && options.frontendPort != 0 ? options.frontendPort : Stores.freePort());
        }
        for (Service s : Service.values()) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("OTEL_SERVICE_NAME", s.serviceName);
            env.put("OTEL_RESOURCE_ATTRIBUTES", "service.namespace=shop,service.version=1.4.2,deployment.environment.name=demo");
            env.put("OTEL_EXPORTER_OTLP_PROTOCOL", s.otlpProtocol);
            env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://" + host + ":" + (s.otlpProtocol.equals("grpc") ? ports.grpc : ports.http));
            env.put("OTEL_TRACES_SAMPLER", "parentbased_traceidratio");
            env.put("OTEL_TRACES_SAMPLER_ARG", Double.toString(options.samplingRatio));
            env.put("OTEL_BSP_SCHEDULE_DELAY", "1000");
            env.put("OTEL_METRICS_EXPORTER", "none");
            env.put("OTEL_LOGS_EXPORTER", "none");
            System.getenv().forEach((k, v) -> {
                if (k.startsWith("OTEL_") && !k.equals("OTEL_SERVICE_NAME")) {
                    env.put(k, v); // the user's OTEL_* settings win
                }
            });
            env.put("DEMO_BIND", options.bind);
            env.put("DEMO_PORT", Integer.toString(servicePorts.get(s)));
            env.put("DEMO_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
            env.put("DEMO_JDBC_URL", stores.jdbcUrl());
            env.put("DEMO_REDIS_PORT", Integer.toString(stores.redisPort()));
            env.put("DEMO_ORDER_URL", "http://" + host + ":" + servicePorts.get(Service.ORDER));
            env.put("DEMO_PAYMENT_URL", "http://" + host + ":" + servicePorts.get(Service.PAYMENT));
            env.put("DEMO_INVENTORY_URL", "http://" + host + ":" + servicePorts.get(Service.INVENTORY));
            List<String> svc = List.of(java, "-javaagent:" + options.agentJar, "-Xmx256m", "-Xss512k",
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Ddemo.work-dir=" + workDir,
                    "-cp", System.getProperty("java.class.path"), s.mainClass);
            services.add(Child.start(s.serviceName, svc, env, logs.resolve(s.serviceName + ".log")));
        }
        System.out.println("demo: starting " + services.size() + " services (frontend, order-service, payment-service, inventory-service)");
        for (Service s : Service.values()) {
            awaitHealthy(s.serviceName, URI.create("http://" + host + ":" + servicePorts.get(s) + "/health"), Duration.ofSeconds(120));
        }

        // 4. shoppers
        URI frontend = URI.create("http://" + host + ":" + servicePorts.get(Service.FRONTEND));
        traffic = new TrafficGenerator(frontend, options.rate, options.faultRates, options.seed, workDir.resolve("traffic.tsv"));
        traffic.start();
        String ui = "http://" + host + ":" + ports.api;
        System.out.println("demo: Spoor UI      " + ui);
        System.out.println("demo: Spoor API     " + ui + "/api/v1/services");
        System.out.println("demo: the shop      " + frontend + "/checkout (POST)");
        System.out.println("demo: traffic       " + options.rate + " orders/s, faults " + rates() + ", sampling ratio "
                + options.samplingRatio + "; record in " + workDir.resolve("traffic.tsv"));
        System.out.println("demo: ready" + (options.duration.isZero() ? " (Ctrl-C stops everything)" : " (for " + options.duration.toSeconds() + " s)"));
    }

    private String rates() {
        StringBuilder sb = new StringBuilder();
        options.faultRates.forEach((f, r) -> sb.append(sb.isEmpty() ? "" : ", ").append(f.label()).append('=').append(r));
        return sb.toString();
    }

    /** Stops everything, in order; safe to call twice (main thread and shutdown hook). */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        System.out.println("demo: stopping");
        if (traffic != null) {
            traffic.close();
        }
        services.forEach(Child::terminate);
        services.forEach(c -> c.awaitOrKill(15_000));
        stores.close();
        if (spoor != null) {
            spoor.terminate();
            spoor.awaitOrKill(20_000);
        }
        System.out.println("demo: stopped; logs and the traffic record stay in " + workDir);
    }

    record SpoorPorts(int grpc, int http, int api) {
    }

    private static final Pattern GRPC = Pattern.compile("OTLP/gRPC listening on \\S*?:(\\d+)");
    private static final Pattern HTTP = Pattern.compile("OTLP/HTTP listening on http://\\S*?:(\\d+)");
    private static final Pattern API = Pattern.compile("API listening on http://\\S*?:(\\d+)");

    /** Waits for Spoor's "ready" line and reads the ports it bound (they may have been 0 = any). */
    private SpoorPorts awaitSpoor(Child server, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.exists(server.log) ? Files.readString(server.log, StandardCharsets.UTF_8) : "";
            if (out.contains("spoor: ready")) {
                return new SpoorPorts(port(GRPC, out, options.otlpGrpcPort), port(HTTP, out, options.otlpHttpPort),
                        port(API, out, options.httpPort));
            }
            if (!server.alive()) {
                throw new IllegalStateException("Spoor exited during start-up; see " + server.log + ":\n" + out);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Spoor did not report ready within " + timeout.toSeconds() + " s; see " + server.log);
    }

    private static int port(Pattern p, String out, int requested) {
        Matcher m = p.matcher(out);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        if (requested == 0) {
            throw new IllegalStateException("Spoor did not print the port it bound (" + p + ")");
        }
        return requested;
    }

    private void awaitHealthy(String name, URI health, Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        Child child = services.stream().filter(c -> c.name.equals(name)).findFirst().orElseThrow();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (!child.alive()) {
                throw new IllegalStateException(name + " exited during start-up; see " + child.log);
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " was not healthy within " + timeout.toSeconds() + " s; see " + child.log);
    }

    static String connectHost(String bind) {
        return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]") ? "127.0.0.1" : bind;
    }
}
