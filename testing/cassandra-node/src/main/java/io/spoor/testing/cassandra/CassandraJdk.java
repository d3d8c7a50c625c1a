package io.spoor.testing.cassandra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a JDK that Cassandra 5 runs on: 17 (preferred) or 11. Cassandra 5.0 refuses newer ones (on 25 it fails at
 * start with "Setting a system-wide Policy object is not supported"), so the JDK that runs Spoor's build cannot run
 * the node. {@value #ENV} overrides the search.
 */
public final class CassandraJdk {
    /** The JDK home to run Cassandra with, when the search should not decide. */
    public static final String ENV = "SPOOR_CASSANDRA_JAVA_HOME";

    private CassandraJdk() {
    }

    /** The {@code java} executable of a suitable JDK, or an exception that says what to install. */
    public static Path java() {
        String override = System.getenv(ENV);
        if (override != null && !override.isBlank()) {
            Path java = Path.of(override, "bin", "java");
            if (!Files.isExecutable(java)) {
                throw new IllegalStateException(ENV + "=" + override + " has no bin/java");
            }
            return java;
        }
        List<Path> candidates = new ArrayList<>();
        for (String root : List.of("/usr/lib/jvm", "/opt/java", "/opt")) {
            Path dir = Path.of(root);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> homes = Files.list(dir)) {
                homes.sorted().forEach(candidates::add);
            } catch (IOException e) {
                // unreadable: not a candidate
            }
        }
        for (int wanted : new int[] {17, 11}) {
            for (Path home : candidates) {
                if (majorVersion(home).orElse(-1) == wanted && Files.isExecutable(home.resolve("bin/java"))) {
                    return home.resolve("bin/java");
                }
            }
        }
        throw new IllegalStateException("No JDK 17 (or 11) found for the test Cassandra node: Cassandra 5 does not run on"
                + " newer JDKs. Looked under /usr/lib/jvm, /opt/java and /opt. Install one (Debian/Ubuntu:"
                + " apt-get install openjdk-17-jdk-headless) or point " + ENV + " at its home.");
    }

    /** The feature version from the JDK's {@code release} file. */
    static Optional<Integer> majorVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(release)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    String major = v.startsWith("1.") ? v.substring(2) : v;
                    int end = 0;
                    while (end < major.length() && Character.isDigit(major.charAt(end))) {
                        end++;
                    }
                    return end == 0 ? Optional.empty() : Optional.of(Integer.parseInt(major.substring(0, end)));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
