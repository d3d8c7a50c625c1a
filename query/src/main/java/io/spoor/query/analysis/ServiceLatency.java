package io.spoor.query.analysis;

/** The self time (time not covered by any child span) that one service's spans spent in a trace. */
public record ServiceLatency(String serviceName, long selfTimeNanos, int spanCount) {
}
