package io.spoor.server.observability;

import java.util.List;
import java.util.Objects;

/**
 * What {@code GET /health} answers: {@code UP} (200), {@code DEGRADED} (503: running, but something that takes
 * writes fails — a full disk — and recovers by itself; {@code problems} names each) or {@code DOWN} (503: stopping
 * or stopped).
 */
public record Health(Status status, List<String> problems) {
    public enum Status { UP, DEGRADED, DOWN }

    public static final Health DOWN = new Health(Status.DOWN, List.of());

    public Health {
        Objects.requireNonNull(status, "status");
        problems = List.copyOf(problems);
    }

    /** UP without problems, else DEGRADED. */
    public static Health running(List<String> problems) {
        return new Health(problems.isEmpty() ? Status.UP : Status.DEGRADED, problems);
    }
}
