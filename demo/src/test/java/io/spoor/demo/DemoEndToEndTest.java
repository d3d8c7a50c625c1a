package io.spoor.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the whole demo — Spoor's real server jar, PostgreSQL, Redis, the four agent-instrumented services and
 * the traffic generator — for a bounded time on ephemeral loopback ports, then checks from Spoor's API what a
 * newcomer should see, and finally that SIGTERM leaves no demo process behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DemoEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SHOP = List.of("frontend", "order-service", "payment-service", "inventory-service");
    private static final Pattern API = Pattern.compile("demo: Spoor API\\s+(http://\\S+?)/api/v1/services");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path workDir;
    private Path runnerOut;
    private Process runner;
    private String api;
    private final Set<ProcessHandle> seenDescendants = new LinkedHashSet<>();

    record Request(long epochMillis, String label, int status, String traceId, String spanId, boolean sampled) {
    }

    @BeforeAll
    void runTheDemo() throws Exception {
        Path root = Path.of(System.getProperty("demo.root", ".")).toAbsolutePath();
        Path serverJar = Path.of(System.getProperty("demo.server.jar", root.resolve("../server/target/spoor-server.jar").toString()));
        Path agent = root.resolve("target/agent/opentelemetry-javaagent.jar");
        assertThat(serverJar).as("Spoor's server jar (build the server module first)").isRegularFile();
        assertThat(agent).as("the agent, copied by the build").isRegularFile();
        workDir = Files.createTempDirectory("spoor-demo-test-");
        runnerOut = workDir.resolve("runner.out");
        String classPath;
        try (Stream<Path> libs = Files.list(root.resolve("target/lib"))) {
            classPath = Stream.concat(Stream.of(root.resolve("target/classes")), libs.sorted())
                    .map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        runner = new ProcessBuilder(java, "-Xmx256m", "-cp", classPath, DemoRunner.class.getName(),
                "--work-dir", workDir.toString(), "--server-jar", serverJar.toString(), "--agent", agent.toString(),
                "--otlp-grpc-port", "0", "--otlp-http-port", "0", "--http-port", "0", "--zipkin-port", "0", "--bind", "127.0.0.1",
                "--rate", "3", "--seed", "42",
                "--payment-declined-rate", "0.1", "--inventory-timeout-rate", "0.1",
                "--slow-query-rate", "0.1", "--order-bug-rate", "0.1")
                .redirectErrorStream(true).redirectOutput(runnerOut.toFile()).start();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (api == null) {
            String out = Files.readString(runnerOut);
            Matcher m = API.matcher(out);
            if (out.contains("demo: ready") && m.find()) {
                api = m.group(1);
            } else if (!runner.isAlive() || System.nanoTime() > deadline) {
                fail("the demo did not start:\n" + out);
            } else {
                Thread.sleep(250);
            }
        }
        long trafficSeconds = Long.getLong("demo.test.traffic.seconds", 45);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(trafficSeconds);
        while (System.nanoTime() < until) {
            runner.descendants().forEach(seenDescendants::add);
            Thread.sleep(1000);
        }
        Thread.sleep(3000); // the services' batch span processors export every second
    }

    @AfterAll
    void stopTheDemo() throws Exception {
        if (runner != null && runner.isAlive()) {
            runner.destroy();
            if (!runner.waitFor(60, TimeUnit.SECONDS)) {
                runner.destroyForcibly();
            }
        }
        demoProcesses().forEach(ProcessHandle::destroyForcibly);
        if (workDir != null) {
            System.out.println(Files.readString(runnerOut)); // into the surefire report
            if (!Boolean.getBoolean("demo.keep-work-dir")) {
                try (Stream<Path> files = Files.walk(workDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    @Order(1)
    void tracesSpanAllFourServicesUnderOneTraceIdWithParentChildLinksAcrossHttp() throws Exception {
        List<Request> ok = requests().stream().filter(r -> r.label.equals("none") && r.status == 200).limit(5).toList();
        assertThat(ok).as("successful checkouts").isNotEmpty();
        for (Request r : ok) {
            JsonNode trace = trace(r.traceId).orElseThrow(() -> new AssertionError("trace " + r.traceId + " not stored"));
            Map<String, JsonNode> byId = spansById(trace);
            assertThat(byId.values()).allSatisfy(s -> assertThat(s.path("traceId").asText()).isEqualTo(r.traceId));
            assertThat(byId.values().stream().map(s -> s.path("serviceName").asText()).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(SHOP);

            JsonNode root = byId.values().stream().filter(s -> s.path("parentSpanId").asText().isEmpty()).findFirst().orElseThrow();
            assertThat(root.path("serviceName").asText()).isEqualTo("frontend");
            assertThat(root.path("kind").asText()).isEqualTo("SERVER");
            assertThat(root.path("name").asText()).isEqualTo("POST /checkout");
            assertThat(root.path("spanId").asText()).as("X-Span-Id names the root span").isEqualTo(r.spanId);

            // every server span below the root was called over HTTP by a client span of its caller
            Map<String, String> calledBy = Map.of("order-service", "frontend", "payment-service", "order-service",
                    "inventory-service", "order-service");
            List<JsonNode> servers = byId.values().stream()
                    .filter(s -> s.path("kind").asText().equals("SERVER") && s != root).toList();
            assertThat(servers).extracting(s -> s.path("serviceName").asText())
                    .contains("order-service", "payment-service", "inventory-service");
            for (JsonNode server : servers) {
                JsonNode parent = byId.get(server.path("parentSpanId").asText());
                assertThat(parent).as("parent of %s", server.path("name").asText()).isNotNull();
                assertThat(parent.path("kind").asText()).isEqualTo("CLIENT");
                assertThat(parent.path("serviceName").asText()).isEqualTo(calledBy.get(server.path("serviceName").asText()));
            }
            JsonNode place = byId.values().stream().filter(s -> s.path("name").asText().equals("place order")).findFirst().orElseThrow();
            assertThat(attributes(place)).containsKeys("order.id", "order.total", "payment.charge_id");
            JsonNode charge = byId.values().stream().filter(s -> s.path("name").asText().equals("charge card")).findFirst().orElseThrow();
            assertThat(attributes(charge).get("payment.charge_id")).isEqualTo(attributes(place).get("payment.charge_id"));
        }
        // search: checkouts touching inventory-service are rooted at the frontend (those old enough to be complete:
        // traffic is still flowing, and the newest traces are still arriving span by span)
        long settled = (System.currentTimeMillis() - 8000) * 1_000_000L;
        List<JsonNode> found = new ArrayList<>();
        get("/api/v1/traces?service=inventory-service&limit=200").path("traces").forEach(t -> {
            boolean healthProbe = t.path("rootSpanName").asText().equals("GET /health"); // the runner's start-up probes
            if (!healthProbe && Long.parseUnsignedLong(t.path("startTimeUnixNano").asText()) < settled) {
                found.add(t);
            }
        });
        assertThat(found).isNotEmpty()
                .allSatisfy(t -> assertThat(t.path("rootServiceName").asText()).isEqualTo("frontend"));
    }

    @Test
    @Order(2)
    void jdbcAndRedisSpansSitUnderTheServicesThatUseThem() throws Exception {
        Request r = requests().stream().filter(q -> q.label.equals("none") && q.status == 200).findFirst().orElseThrow();
        Map<String, JsonNode> byId = spansById(trace(r.traceId).orElseThrow());
        Map<String, List<String>> dbSpansByService = new HashMap<>();
        for (JsonNode s : byId.values()) {
            String system = attributes(s).getOrDefault("db.system", "");
            if (!system.isEmpty()) {
                assertThat(s.path("kind").asText()).isEqualTo("CLIENT");
                dbSpansByService.computeIfAbsent(s.path("serviceName").asText(), k -> new ArrayList<>()).add(system);
            }
        }
        assertThat(dbSpansByService).containsOnlyKeys("order-service", "inventory-service");
        assertThat(dbSpansByService.get("order-service")).contains("postgresql", "redis");
        assertThat(dbSpansByService.get("inventory-service")).contains("postgresql");

        // the N+1: "price order" runs one SELECT per item of the order
        JsonNode price = byId.values().stream().filter(s -> s.path("name").asText().equals("price order")).findFirst().orElseThrow();
        long perItem = byId.values().stream().filter(s -> s.path("parentSpanId").asText().equals(price.path("spanId").asText()))
                .filter(s -> attributes(s).getOrDefault("db.system", "").equals("postgresql")).count();
        assertThat(perItem).isEqualTo(Long.parseLong(attributes(price).get("order.items")));
    }

    @Test
    @Order(3)
    void everyInjectedFaultYieldsErrorTracesWhoseDeepestErrorSpanIsInTheInjectedService() throws Exception {
        List<Request> all = requests();
        for (Fault fault : Fault.values()) {
            if (fault == Fault.NONE) {
                continue;
            }
            List<Request> injected = all.stream().filter(r -> r.label.equals(fault.label())).limit(3).toList();
            assertThat(injected).as("requests with %s", fault.label()).isNotEmpty();
            for (Request r : injected) {
                assertThat(r.status).as("status of %s", fault.label()).isEqualTo(fault.expectedStatus());
                Map<String, JsonNode> byId = spansById(trace(r.traceId).orElseThrow(() -> new AssertionError(fault.label() + " trace " + r.traceId + " not stored")));
                JsonNode deepest = byId.values().stream()
                        .filter(s -> s.path("status").path("code").asText().equals("ERROR"))
                        .max(Comparator.comparingInt(s -> depth(s, byId)))
                        .orElseThrow(() -> new AssertionError(fault.label() + " trace " + r.traceId + " has no error span"));
                assertThat(deepest.path("serviceName").asText())
                        .as("deepest error span of a %s trace (%s)", fault.label(), deepest.path("name").asText())
                        .isEqualTo(fault.originService());
            }
        }
    }

    @Test
    @Order(4)
    void everyXTraceIdReturnedToTheTrafficGeneratorResolvesToAStoredTrace() throws Exception {
        long settled = System.currentTimeMillis() - 5000;
        List<Request> answered = requests().stream().filter(r -> r.sampled && r.epochMillis < settled).toList();
        assertThat(answered).hasSizeGreaterThan(50);
        List<String> missing = new ArrayList<>();
        for (Request r : answered) {
            if (trace(r.traceId).isEmpty()) {
                missing.add(r.label + " " + r.traceId);
            }
        }
        assertThat(missing).as("X-Trace-Ids that Spoor does not know").isEmpty();
    }

    @Test
    @Order(5)
    void traceIdsInTheServicesLogLinesResolveToStoredTraces() throws Exception {
        Pattern line = Pattern.compile("trace_id=([0-9a-f]{32}) span_id=([0-9a-f]{16})");
        for (String service : SHOP) {
            List<String> lines = Files.readAllLines(workDir.resolve("logs/" + service + ".log"));
            Set<String> ids = new TreeSet<>();
            for (String l : lines.subList(0, Math.max(0, lines.size() - 20))) { // not the last seconds' lines
                Matcher m = line.matcher(l);
                if (m.find()) {
                    ids.add(m.group(1));
                }
            }
            assertThat(ids).as("trace ids in %s's log", service).hasSizeGreaterThan(10);
            for (String id : ids.stream().limit(15).toList()) {
                assertThat(trace(id)).as("trace %s from %s's log", id, service).isPresent();
            }
        }
    }

    @Test
    @Order(6)
    void stoppingTheDemoLeavesNoDemoProcessRunning() throws Exception {
        runner.descendants().forEach(seenDescendants::add);
        assertThat(seenDescendants).as("processes the runner started").hasSizeGreaterThanOrEqualTo(5);
        assertThat(demoProcesses()).as("demo processes while running").isNotEmpty();
        runner.destroy(); // SIGTERM, as Ctrl-C or a service manager would
        assertThat(runner.waitFor(90, TimeUnit.SECONDS)).as("the runner exits").isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ProcessHandle> left = List.of();
        while (System.nanoTime() < deadline) {
            left = Stream.concat(seenDescendants.stream().filter(ProcessHandle::isAlive), demoProcesses().stream()).distinct().toList();
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(left).as("demo processes still running after SIGTERM").extracting(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .isEmpty();
        assertThat(Files.readString(runnerOut)).contains("demo: stopped");
    }

    // ---- helpers

    private List<Request> requests() throws IOException {
        List<Request> out = new ArrayList<>();
        for (String l : Files.readAllLines(workDir.resolve("traffic.tsv"))) {
            String[] f = l.split("\t");
            if (f.length >= 6 && !f[3].equals("-")) {
                out.add(new Request(Long.parseLong(f[0]), f[1], Integer.parseInt(f[2]), f[3], f[4], Boolean.parseBoolean(f[5])));
            }
        }
        return out;
    }

    /** Every process whose command line or working directory lies in this run's work directory. */
    private List<ProcessHandle> demoProcesses() {
        String marker = workDir.toString();
        return ProcessHandle.allProcesses().filter(p -> p.pid() != ProcessHandle.current().pid()).filter(p -> {
            if (p.info().commandLine().map(c -> c.contains(marker)).orElse(false)) {
                return true;
            }
            try {
                return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).toString().startsWith(marker);
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                return false;
            }
        }).toList();
    }

    private Optional<JsonNode> trace(String traceId) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/traces/" + traceId)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        assertThat(r.statusCode()).as("GET trace %s: %s", traceId, r.body()).isEqualTo(200);
        return Optional.of(JSON.readTree(r.body()));
    }

    private JsonNode get(String pathAndQuery) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", pathAndQuery, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static Map<String, JsonNode> spansById(JsonNode trace) {
        Map<String, JsonNode> m = new HashMap<>();
        trace.path("spans").forEach(s -> m.put(s.path("spanId").asText(), s));
        return m;
    }

    private static int depth(JsonNode span, Map<String, JsonNode> byId) {
        int d = 0;
        for (JsonNode s = span; byId.containsKey(s.path("parentSpanId").asText()); s = byId.get(s.path("parentSpanId").asText())) {
            d++;
        }
        return d;
    }

    /** A span's attributes (OTLP JSON KeyValues) as strings. */
    private static Map<String, String> attributes(JsonNode span) {
        Map<String, String> m = new HashMap<>();
        for (JsonNode kv : span.path("attributes")) {
            JsonNode v = kv.path("value");
            String s = v.has("stringValue") ? v.get("stringValue").asText()
                    : v.has("intValue") ? v.get("intValue").asText()
                    : v.has("doubleValue") ? v.get("doubleValue").asText()
                    : v.has("boolValue") ? v.get("boolValue").asText() : v.toString();
            m.put(kv.path("key").asText(), s);
        }
        return m;
    }
}
