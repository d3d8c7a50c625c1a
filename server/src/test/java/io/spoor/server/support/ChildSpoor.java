package io.spoor.server.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real server in a child JVM ({@code io.spoor.server.Main server …} on the test classpath), for what an
 * in-process server cannot show: {@code kill -9}, a small heap.
 */
public final class ChildSpoor implements AutoCloseable {
    private static final Pattern GRPC = Pattern.compile("OTLP/gRPC listening on [^:]+:(\\d+)");
    private static final Pattern HTTP = Pattern.compile("OTLP/HTTP listening on http://[^:]+:(\\d+)/");
    private static final Pattern API = Pattern.compile("API listening on http://[^:]+:(\\d+)/");

    private final Process process;
    /** Appended to by the output reader thread for the child's whole life. */
    private final StringBuffer output;
    public final int grpcPort;
    public final int otlpHttpPort;
    public final int httpPort;

    private final Thread reader;

    private ChildSpoor(Process process, StringBuffer output, Thread reader, int grpcPort, int otlpHttpPort,
                       int httpPort) {
        this.process = process;
        this.reader = reader;
        this.output = output;
        this.grpcPort = grpcPort;
        this.otlpHttpPort = otlpHttpPort;
        this.httpPort = httpPort;
    }

    public static ChildSpoor start(Path dataDir, String heap, Path config) throws IOException {
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of("-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"),
                "io.spoor.server.Main", "server", "--data-dir", dataDir.toString(),
                "--otlp-grpc-port", "0", "--otlp-http-port", "0", "--http-port", "0", "--zipkin-port", "0", "--bind", "127.0.0.1"));
        if (config != null) {
            cmd.add("--config");
            cmd.add(config.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuffer out = new StringBuffer();
        BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<int[]> ports = new CompletableFuture<>();
        Thread reader0 = Thread.ofPlatform().daemon().name("child-spoor-output").start(() -> {
            int[] found = new int[3];
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    out.append(line).append('\n');
                    found[0] = match(GRPC, line, found[0]);
                    found[1] = match(HTTP, line, found[1]);
                    found[2] = match(API, line, found[2]);
                    if (line.contains("spoor: ready")) {
                        ports.complete(found.clone());
                    }
                }
            } catch (IOException e) {
                // the process went away
            }
            ports.completeExceptionally(new IllegalStateException("child exited before it was ready:\n" + out));
        });
        try {
            int[] found = ports.get(60, TimeUnit.SECONDS);
            return new ChildSpoor(p, out, reader0, found[0], found[1], found[2]);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("child did not start: " + out, e);
        }
    }

    /**
     * {@code java} with the server's JVM flags: the ones the build gives the tests ({@code spoor.jvm.flags}, the root
     * pom's list of what scripts/jvm-flags.sh prints), so that a child runs as {@code ./spoor server} runs Spoor.
     */
    public static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String flags = System.getProperty("spoor.jvm.flags", "--enable-native-access=ALL-UNNAMED").strip();
        if (!flags.isEmpty()) {
            cmd.addAll(List.of(flags.split("\\s+")));
        }
        return cmd;
    }

    private static int match(Pattern p, String line, int current) {
        Matcher m = p.matcher(line);
        return m.find() ? Integer.parseInt(m.group(1)) : current;
    }

    /** Everything the child printed so far (stdout and stderr). */
    public String output() {
        return output.toString();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child did not die");
        }
    }

    /** SIGTERM and wait for a clean exit; returns the exit code. */
    public int terminate() throws InterruptedException {
        // ProcessHandle.destroy only signals; Process.destroy would also close our end of the child's output
        // and lose what the shutdown prints.
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("child did not stop on SIGTERM:\n" + output());
        }
        reader.join(10_000); // the last lines
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
