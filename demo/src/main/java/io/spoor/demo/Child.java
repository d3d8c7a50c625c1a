package io.spoor.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the runner starts: in its own session (setsid), so that Ctrl-C reaches only the runner, which
 * then stops everyone in order; output to a log file. Stopping sends SIGTERM (the JVMs flush their spans in
 * their shutdown hooks), waits, then kills what is left, descendants included.
 */
final class Child {
    private static final boolean SETSID = Files.isExecutable(Path.of("/usr/bin/setsid"));
    final String name;
    final Path log;
    private final Process process;

    private Child(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    static Child start(String name, List<String> command, Map<String, String> env, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (SETSID) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        return new Child(name, log, pb.start());
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** Sends SIGTERM to the process and its descendants without waiting. */
    void terminate() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
    }

    /** Waits up to {@code graceMillis} for a clean exit, then kills the process and its descendants. */
    void awaitOrKill(long graceMillis) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        try {
            if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                System.out.println("demo: " + name + " did not stop within " + graceMillis + " ms; killing it");
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }
}
