package io.spoor.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.spoor.server.support.ChildSpoor;
import io.spoor.server.support.Harness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spoor started as {@code ./spoor server} starts it (a child JVM with the server's JVM flags): a start-up problem is
 * one line that names the cause and the flag, with no stack trace; a normal start prints no JVM warnings.
 */
class StartupTest {

    /** Runs {@code spoor server <args>} to its exit; the output (stdout and stderr) and the exit code. */
    private record Exit(int code, String output) {
        List<String> lines() {
            return output.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static Exit run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(ChildSpoor.javaCommand());
        cmd.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.spoor.server.Main", "server"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes(); // until the child exits
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("spoor did not exit:\n" + new String(out, StandardCharsets.UTF_8));
        }
        return new Exit(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static void assertOneLineWithoutStackTrace(Exit e) {
        assertThat(e.lines()).as(e.output()).singleElement();
        assertThat(e.output()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void aSecondServerOnTheSamePortSaysWhichPortAndWhichFlag(@TempDir Path dir) throws Exception {
        try (Harness first = Harness.start(Harness.config(dir.resolve("first")))) {
            int taken = first.server.otlpGrpcPort();
            Exit second = run("--data-dir", dir.resolve("second").toString(), "--bind", "127.0.0.1",
                    "--otlp-grpc-port", Integer.toString(taken), "--otlp-http-port", "0", "--http-port", "0",
                    "--zipkin-port", "0");
            assertThat(second.code()).isEqualTo(1);
            assertOneLineWithoutStackTrace(second);
            assertThat(second.output()).startsWith("spoor: cannot start: port " + taken + " on 127.0.0.1 is already "
                    + "in use").contains("--otlp-grpc-port");
        }
    }

    @Test
    void anUnwritableDataDirectorySaysSoAndNamesTheFlag(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        Exit e = run("--data-dir", file.resolve("data").toString(), "--otlp-grpc-port", "0", "--otlp-http-port",
                "0", "--http-port", "0", "--zipkin-port", "0");
        assertThat(e.code()).isEqualTo(1);
        assertOneLineWithoutStackTrace(e);
        assertThat(e.output()).startsWith("spoor: cannot start: data directory " + file.resolve("data"))
                .contains("not writable", "--data-dir");
    }

    @Test
    void aSecondServerOnTheSameDataDirectorySaysItIsInUse(@TempDir Path dir) throws Exception {
        try (Harness first = Harness.start(Harness.config(dir))) {
            Exit second = run("--data-dir", dir.toString(), "--otlp-grpc-port", "0", "--otlp-http-port", "0",
                    "--http-port", "0", "--zipkin-port", "0");
            assertThat(second.code()).isEqualTo(1);
            assertOneLineWithoutStackTrace(second);
            assertThat(second.output()).startsWith("spoor: cannot start: data directory " + dir.toAbsolutePath()
                    + " is in use by another Spoor process").contains("--data-dir");
        }
    }

    @Test
    void aBadConfigurationIsOneLine(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("spoor.yaml"), "exporters:\n  jaeger: {endpoint: jaeger:14250}\n");
        Exit e = run("--config", config.toString(), "--data-dir", dir.resolve("data").toString());
        assertThat(e.code()).isEqualTo(2);
        assertThat(e.output()).startsWith("spoor: configuration error: ").doesNotContain("\tat ");
    }

    @Test
    void startsWithoutAnyJvmWarningOnTheConsole(@TempDir Path dir) throws Exception {
        try (ChildSpoor child = ChildSpoor.start(dir.resolve("data"), "256m", null)) {
            assertThat(child.output()).doesNotContain("WARNING").doesNotContain("incubator")
                    .doesNotContain("Unsafe").doesNotContain("vector");
            assertThat(child.output()).contains("spoor: ready");
        }
    }
}
