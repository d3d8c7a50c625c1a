package io.spoor.testing.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's CPU time from Linux's /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s). */
public final class ProcStat {
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on every Linux the JDK supports

    private ProcStat() {
    }

    public static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may contain spaces: count fields after its ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(f[11]);
            long stime = Long.parseLong(f[12]);
            return (utime + stime) * NANOS_PER_TICK;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
        }
    }
}
