package io.spoor.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** CPU time and memory of a process, read from Linux's {@code /proc}. */
final class ProcessStats {

    private static final long CLK_TCK = clockTicks();

    private ProcessStats() {
    }

    /** utime + stime of {@code pid} in nanoseconds, or -1 when unreadable (process gone, not Linux). */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may contain spaces and parentheses: fields resume after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // after ')' the first field is field 3 (state); utime is field 14, stime field 15
            long ticks = Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
            return ticks * 1_000_000_000L / CLK_TCK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** This JVM's CPU time (all threads, user + system) in nanoseconds. */
    static long selfCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long t = os.getProcessCpuTime();
            if (t >= 0) {
                return t;
            }
        }
        return cpuNanos(ProcessHandle.current().pid());
    }

    /** A {@code /proc/PID/status} value in bytes (e.g. VmHWM, VmRSS), or -1. */
    static long statusBytes(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key + ":")) {
                    String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
                    long v = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? v * 1024 : v;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    static boolean alive(long pid) {
        return Files.exists(Path.of("/proc", Long.toString(pid), "stat"));
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100; // the value on every mainstream Linux architecture
    }
}
