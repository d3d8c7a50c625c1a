package io.spoor.storage.cassandra;

/**
 * A block's id inside its index partition: the latest span start of the block in milliseconds (42 bits, until the
 * year 2109) above 22 bits of a hash of its content. Sorting by id therefore sorts blocks newest first, which lets a
 * search stop early; the content hash makes the id of a replayed write equal to the original's, so its rows are
 * overwritten rather than added.
 */
final class BlockId {
    private static final int HASH_BITS = 22;
    private static final long MAX_MILLIS = (1L << (63 - HASH_BITS)) - 1;

    private BlockId() {
    }

    static long of(long maxStartNanos, long contentHash) {
        long millis = Math.min(MAX_MILLIS, Math.max(0, Math.floorDiv(maxStartNanos, 1_000_000L)));
        return (millis << HASH_BITS) | (contentHash & ((1L << HASH_BITS) - 1));
    }

    /** The latest start a span of the block can have, in nanoseconds (rounded up to the millisecond). */
    static long maxStartNanos(long blockId) {
        long millis = blockId >>> HASH_BITS;
        return millis >= MAX_MILLIS ? Long.MAX_VALUE : millis * 1_000_000L + 999_999L;
    }
}
