package io.spoor.pipeline.sampling.tail;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Kept traces whose hand-off to the next stage (the store) failed, waiting to be handed off again. A trace stays here
 * — and its parts keep their log records from truncation — until the next stage took it; it is never dropped for
 * failing. Retries back off exponentially from {@link #MIN_BACKOFF_NANOS} to {@link #MAX_BACKOFF_NANOS} per attempt,
 * so a store that is down for an hour costs one attempt every few seconds, and one that comes back is used again
 * within seconds. Thread-safe (the ticker retries while receivers' threads add).
 */
final class HandOffRetries {
    static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** One failed hand-off: the kept traces it carried, how often it failed, and when to try again. */
    static final class Pending {
        final List<BufferedTrace> traces;
        final int spans;
        int attempts;
        long dueNanos;

        Pending(List<BufferedTrace> traces, int spans, int attempts, long dueNanos) {
            this.traces = traces;
            this.spans = spans;
            this.attempts = attempts;
            this.dueNanos = dueNanos;
        }
    }

    private final LinkedList<Pending> pending = new LinkedList<>(); // guarded by this
    private long pendingSpans; // guarded by this
    private volatile Throwable failing;

    /** A hand-off of {@code traces} failed for the first time. */
    synchronized void failed(List<BufferedTrace> traces, Throwable cause, long nowNanos) {
        int spans = 0;
        for (BufferedTrace t : traces) {
            spans += t.spanCount();
        }
        pending.add(new Pending(List.copyOf(traces), spans, 1, nowNanos + backoffNanos(1)));
        pendingSpans += spans;
        failing = cause;
    }

    /** A retry failed again: it waits longer. */
    synchronized void failedAgain(Pending p, Throwable cause, long nowNanos) {
        p.attempts++;
        p.dueNanos = nowNanos + backoffNanos(p.attempts);
        pending.add(p);
        pendingSpans += p.spans;
        failing = cause;
    }

    /** A hand-off (first try or retry) went through: the next stage takes spans again. */
    void succeeded() {
        failing = null;
    }

    /** Removes and returns the hand-offs due for a retry ({@code all}: every one, as on shutdown). */
    synchronized List<Pending> takeDue(long nowNanos, boolean all) {
        List<Pending> due = new ArrayList<>();
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (all || p.dueNanos - nowNanos <= 0) {
                it.remove();
                pendingSpans -= p.spans;
                due.add(p);
            }
        }
        return due;
    }

    static long backoffNanos(int attempts) {
        return Math.min(MAX_BACKOFF_NANOS, MIN_BACKOFF_NANOS << Math.min(attempts - 1, 20));
    }

    /** Why the last hand-off failed, while no later one succeeded; null while hand-offs go through. */
    Throwable failing() {
        return failing;
    }

    synchronized long pendingSpans() {
        return pendingSpans;
    }

    synchronized int pendingTraces() {
        int n = 0;
        for (Pending p : pending) {
            n += p.traces.size();
        }
        return n;
    }
}
