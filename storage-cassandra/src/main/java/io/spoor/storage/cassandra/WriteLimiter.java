package io.spoor.storage.cassandra;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the statements sent to Cassandra and not yet answered. A writer takes a permit per statement before sending
 * it and waits at most {@code maxWait} for one; when Cassandra is slow the permits run out, writers wait, and after
 * {@code maxWait} their writes fail (the receivers answer 503 / UNAVAILABLE, and clients retry later). So no queue
 * of statements grows in Spoor's heap: what is in flight is bounded by the permits, what waits is bounded by the
 * pipeline's own writers (each holds one batch).
 */
final class WriteLimiter {
    private final Semaphore permits;
    private final int max;
    private final long maxWaitNanos;

    WriteLimiter(int maxInFlight, Duration maxWait) {
        this.permits = new Semaphore(maxInFlight);
        this.max = maxInFlight;
        this.maxWaitNanos = maxWait.toNanos();
    }

    /** Takes one permit, waiting at most until {@code deadlineNanos} (System.nanoTime()). */
    boolean acquire(long deadlineNanos) throws InterruptedException {
        long wait = deadlineNanos - System.nanoTime();
        return permits.tryAcquire(Math.max(0, wait), TimeUnit.NANOSECONDS);
    }

    long deadline() {
        return System.nanoTime() + maxWaitNanos;
    }

    void release() {
        permits.release();
    }

    int inFlight() {
        return max - permits.availablePermits();
    }
}
