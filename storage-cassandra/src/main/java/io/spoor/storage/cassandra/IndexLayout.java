package io.spoor.storage.cassandra;

import java.time.Duration;

/**
 * How the search index is cut: spans are indexed in the time bucket of their start, each bucket split into
 * {@code shards} partitions (a write goes to one of them, a search reads all). Fixed when the schema is created and
 * stored in its metadata row, because data written under one layout cannot be found under another.
 *
 * @param bucketNanos length of a time bucket
 * @param shards      partitions per bucket; more spreads a busy bucket's writes over more replicas of a cluster,
 *                    fewer makes searches read fewer partitions
 */
record IndexLayout(long bucketNanos, int shards) {
    static final IndexLayout DEFAULT = new IndexLayout(Duration.ofMinutes(1).toNanos(), 2);

    IndexLayout {
        if (bucketNanos < Duration.ofSeconds(1).toNanos()) {
            throw new IllegalArgumentException("index buckets must be at least 1 s long");
        }
        if (shards < 1 || shards > 256) {
            throw new IllegalArgumentException("index shards must be between 1 and 256");
        }
    }

    long bucketOf(long epochNanos) {
        return Math.floorDiv(epochNanos, bucketNanos);
    }

    long bucketStart(long bucket) {
        return bucket * bucketNanos;
    }
}
