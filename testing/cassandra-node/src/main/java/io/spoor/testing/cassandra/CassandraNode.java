package io.spoor.testing.cassandra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real Apache Cassandra node in a separate JVM: cassandra-all's jars (copied from Maven Central by this module's
 * build), a JDK 17 found on the machine ({@link CassandraJdk}), bound to 127.0.0.1 on free ports, data under one
 * directory. Used by the Cassandra engine's tests and benchmark.
 *
 * <p>A node never outlives the JVM that started it: a shutdown hook kills it, and a small watchdog process
 * ({@code sh}) kills it when that JVM disappears without running hooks (a {@code kill -9} of a surefire fork).
 */
public final class CassandraNode implements AutoCloseable {
    /** Start to CQL-ready takes 10–20 s on an idle 2-core machine; a loaded one needs more. */
    private static final long START_TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(4);

    private final Settings settings;
    private final Path dir;
    private final int nativePort;
    private final int storagePort;
    private final Path java;
    private final Path libDir;
    private final Thread shutdownHook;
    private Process process;
    private Process watchdog;
    private boolean closed;

    /**
     * @param heapMb          the node's heap (-Xmx); 768 by default for tests
     * @param jmxPort         0 = no JMX; otherwise a local JMX port for {@link #nodetool}
     * @param directory       null = a new temporary directory, deleted by {@link #close}
     * @param extraYaml       lines appended to cassandra.yaml
     */
    public record Settings(int heapMb, int jmxPort, Path directory, String extraYaml) {
        public static Settings forTests() {
            int heap = Integer.parseInt(System.getenv().getOrDefault("SPOOR_CASSANDRA_HEAP_MB", "768"));
            return new Settings(heap, 0, null, "");
        }

        public Settings withHeapMb(int v) {
            return new Settings(v, jmxPort, directory, extraYaml);
        }

        public Settings withJmxPort(int v) {
            return new Settings(heapMb, v, directory, extraYaml);
        }

        public Settings withDirectory(Path v) {
            return new Settings(heapMb, jmxPort, v, extraYaml);
        }

        public Settings withExtraYaml(String v) {
            return new Settings(heapMb, jmxPort, directory, v);
        }
    }

    private CassandraNode(Settings settings) throws IOException {
        this.settings = settings;
        this.java = CassandraJdk.java();
        this.libDir = libDir();
        this.dir = settings.directory() != null ? Files.createDirectories(settings.directory())
                : Files.createTempDirectory("spoor-cassandra-");
        this.nativePort = freePort();
        this.storagePort = freePort();
        writeConfig();
        this.shutdownHook = new Thread(this::killQuietly, "cassandra-node-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a node and returns once it accepts CQL connections. */
    public static CassandraNode start(Settings settings) {
        CassandraNode node;
        try {
            node = new CassandraNode(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a Cassandra node", e);
        }
        try {
            node.launch();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int nativePort() {
        return nativePort;
    }

    public InetSocketAddress contactPoint() {
        return new InetSocketAddress(host(), nativePort);
    }

    /** Cassandra's name for its only data center with {@code SimpleSnitch}. */
    public String localDatacenter() {
        return "datacenter1";
    }

    /** The directory holding data, commit log, configuration and logs. */
    public Path directory() {
        return dir;
    }

    /** Where the SSTables live (for disk-per-span measurements). */
    public Path dataDirectory() {
        return dir.resolve("data");
    }

    public synchronized long pid() {
        requireRunning();
        return process.pid();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** CPU time the node's process has used so far (user + system), from /proc/PID/stat. */
    public long cpuNanos() {
        return ProcStat.cpuNanos(pid());
    }

    /** SIGKILL: no flush, no drain; the commit log (in the OS page cache) is all that is left. */
    public synchronized void kill() {
        requireRunning();
        process.destroyForcibly();
        waitForExit(process, 60);
        stopWatchdog();
    }

    /** SIGSTOP: the node keeps its connections but answers nothing, like a node stuck in a long GC pause. */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze}. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the node again on the same directory and ports (after {@link #kill} or {@link #stop}). */
    public synchronized void restart() {
        if (isRunning()) {
            throw new IllegalStateException("the node is still running");
        }
        launch();
    }

    /** SIGTERM, then SIGKILL if it has not stopped within a minute. */
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        process.destroy();
        if (!waitForExit(process, 60)) {
            process.destroyForcibly();
            waitForExit(process, 30);
        }
        stopWatchdog();
    }

    /**
     * Runs {@code nodetool} (Cassandra's NodeTool class, same jars and JDK) against this node; needs a JMX port in
     * the settings. Returns its output; throws when it fails.
     */
    public String nodetool(String... args) {
        if (settings.jmxPort() == 0) {
            throw new IllegalStateException("nodetool needs a node started with a JMX port");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(JvmFlags.MODULE_ACCESS);
        cmd.add("-Xmx128m");
        cmd.add("-Duser.home=" + dir); // NodeTool writes a history file under the home directory
        cmd.add("-Dlogback.configurationFile=" + dir.resolve("conf/logback-tools.xml"));
        cmd.add("-cp");
        cmd.add(libDir + "/*");
        cmd.add("org.apache.cassandra.tools.NodeTool");
        cmd.add("-h");
        cmd.add(host());
        cmd.add("-p");
        cmd.add(Integer.toString(settings.jmxPort()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("nodetool " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the node (a test node's data is thrown away, so a graceful stop buys nothing) and deletes a temp dir. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        killQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        if (settings.directory() == null) {
            deleteRecursively(dir);
        }
    }

    // ---------------------------------------------------------------- launching

    private void launch() {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.add("-Xms" + settings.heapMb() + "m");
        cmd.add("-Xmx" + settings.heapMb() + "m");
        cmd.addAll(JvmFlags.GC);
        cmd.addAll(JvmFlags.MODULE_ACCESS);
        cmd.add("-javaagent:" + jammJar());
        cmd.add("-Dcassandra.config=" + dir.resolve("conf/cassandra.yaml").toUri());
        cmd.add("-Dcassandra.storagedir=" + dir);
        cmd.add("-Dcassandra.logdir=" + dir.resolve("logs"));
        cmd.add("-Dlogback.configurationFile=" + dir.resolve("conf/logback.xml"));
        cmd.add("-Dcassandra-foreground=yes");
        // one node: nothing to gossip with, no ring to wait for
        cmd.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
        cmd.add("-Dcassandra.ring_delay_ms=0");
        cmd.add("-Dcassandra.initial_token=0");
        if (settings.jmxPort() != 0) {
            cmd.add("-Dcassandra.jmx.local.port=" + settings.jmxPort());
        }
        cmd.add("-cp");
        cmd.add(libDir + "/*");
        cmd.add("org.apache.cassandra.service.CassandraDaemon");
        Path log = dir.resolve("logs/stdout.log");
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Cassandra with " + java, e);
        }
        startWatchdog();
        awaitCql(log);
    }

    private void awaitCql(Path log) {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Cassandra exited with " + process.exitValue() + " while starting;"
                        + " the end of " + log + ":\n" + tail(log));
            }
            try (Socket s = new Socket()) {
                s.connect(contactPoint(), 500);
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("Cassandra did not accept CQL connections within "
                + TimeUnit.MILLISECONDS.toSeconds(START_TIMEOUT_MILLIS) + " s; the end of " + log + ":\n" + tail(log));
    }

    /**
     * A shell loop that kills the node once this JVM is gone. The shutdown hook covers ordinary exits; this covers
     * the JVM being killed, so that no orphan node keeps ports, memory and CPU after a failed test run.
     */
    private void startWatchdog() {
        long me = ProcessHandle.current().pid();
        long node = process.pid();
        String script = "while kill -0 " + me + " 2>/dev/null && kill -0 " + node + " 2>/dev/null; do sleep 1; done; "
                + "kill -9 " + node + " 2>/dev/null";
        try {
            watchdog = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            watchdog = null; // the shutdown hook still covers ordinary exits
        }
    }

    private void stopWatchdog() {
        if (watchdog != null) {
            watchdog.destroyForcibly();
            watchdog = null;
        }
    }

    private synchronized void killQuietly() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitForExit(process, 30);
        }
        stopWatchdog();
    }

    private void writeConfig() throws IOException {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        String yaml = resource("cassandra.yaml")
                .replace("@DIR@", dir.toString())
                .replace("@NATIVE_PORT@", Integer.toString(nativePort))
                .replace("@STORAGE_PORT@", Integer.toString(storagePort))
                .replace("@EXTRA@", settings.extraYaml());
        Files.writeString(conf.resolve("cassandra.yaml"), yaml);
        Files.writeString(conf.resolve("logback.xml"), resource("logback.xml"));
        Files.writeString(conf.resolve("logback-tools.xml"), resource("logback-tools.xml"));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CassandraNode.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Where this module's build copied cassandra-all and its runtime dependencies. */
    static Path libDir() {
        Properties p = new Properties();
        try (InputStream in = CassandraNode.class.getResourceAsStream("cassandra-node.properties")) {
            p.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("cassandra-node.properties is missing from the classpath", e);
        }
        Path lib = Path.of(System.getProperty("spoor.cassandra.lib", p.getProperty("lib.dir")));
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("Cassandra's jars are not in " + lib + ": build the testing/cassandra-node"
                    + " module first (mvn -pl testing/cassandra-node generate-resources copies them from Maven"
                    + " Central)");
        }
        return lib;
    }

    private Path jammJar() {
        try (Stream<Path> jars = Files.list(libDir)) {
            return jars.filter(j -> j.getFileName().toString().startsWith("jamm-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jamm jar in " + libDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private void requireRunning() {
        if (!isRunning()) {
            throw new IllegalStateException("the Cassandra node is not running");
        }
    }

    private static boolean waitForExit(Process p, int seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Cassandra", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temp dir
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
