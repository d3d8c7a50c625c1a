package io.spoor.storage;

import java.util.List;
import java.util.Objects;

/**
 * Whether an engine can take writes now. {@code DEGRADED} names each problem (for example "write-ahead log: No space
 * left on device"), which the server's {@code /health} shows; an engine recovers by itself when the cause goes away,
 * and reports {@code UP} again.
 */
public record StorageHealth(Status status, List<String> problems) {
    public enum Status { UP, DEGRADED }

    public static final StorageHealth UP = new StorageHealth(Status.UP, List.of());

    public StorageHealth {
        Objects.requireNonNull(status, "status");
        problems = List.copyOf(problems);
    }

    public static StorageHealth of(List<String> problems) {
        return problems.isEmpty() ? UP : new StorageHealth(Status.DEGRADED, problems);
    }

    public boolean isUp() {
        return status == Status.UP;
    }
}
