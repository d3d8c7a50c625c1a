package io.spoor.storage.lucene;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Batches written to the log and waiting for the indexer, bounded by approximate bytes. {@link #put} blocks while the
 * queue is full; since the log's writer thread calls it before acknowledging, a slow indexer holds back write
 * acknowledgements instead of letting memory grow (back-pressure). A batch larger than the whole capacity is admitted
 * when the queue is empty, so that it cannot wait forever.
 */
final class IndexQueue {
    private final long capacityBytes;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private long bytes;
    private long spans;
    private boolean abandoned;

    record Entry(IndexBatch batch, long endPosition) {
    }

    IndexQueue(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    void put(IndexBatch batch, long endPosition) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!abandoned && !entries.isEmpty() && bytes + batch.approximateBytes() > capacityBytes) {
                notFull.await();
            }
            if (abandoned) {
                return; // closing while the index cannot be written: the record stays in the log for the next start
            }
            entries.add(new Entry(batch, endPosition));
            bytes += batch.approximateBytes();
            spans += batch.spanCount();
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest entry, waiting up to {@code timeoutMillis}; null when none arrived. */
    Entry poll(long timeoutMillis) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lockInterruptibly();
        try {
            while (entries.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            Entry e = entries.poll();
            bytes -= e.batch().approximateBytes();
            spans -= e.batch().spanCount();
            notFull.signalAll();
            return e;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops what waits and makes {@link #put} return at once from now on, so that closing the log cannot wait for an
     * indexer that cannot index. What was dropped is in the log and is replayed on the next start.
     */
    void abandon() {
        lock.lock();
        try {
            abandoned = true;
            entries.clear();
            bytes = 0;
            spans = 0;
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return entries.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    long queuedSpans() {
        lock.lock();
        try {
            return spans;
        } finally {
            lock.unlock();
        }
    }
}
