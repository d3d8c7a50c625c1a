package io.spoor.storage.cassandra;

import io.spoor.model.AttributeValue;

/**
 * The 8-byte index term of a search criterion: the key's {@link String#hashCode} in the high half, the hash of the
 * value's string form in the low half. Terms are stored in Cassandra, so this function is part of the schema: it must
 * never change (String.hashCode is specified by the JLS). Collisions only add candidates; every read verifies
 * candidates exactly with {@link io.spoor.storage.TraceQuery#matches}. Keeping the key in the high half makes the
 * terms of one key adjacent in a partition, which Cassandra's block compression then shares.
 */
final class TermHash {
    /** Pseudo-keys for the non-tag terms; they cannot clash with a real key, which never starts with NUL. */
    static final String SERVICE_KEY = "\0svc";
    static final String OPERATION_KEY = "\0op";
    static final String SERVICE_OPERATION_KEY = "\0svc+op";
    /** The row of a block that lists its traces (not a term: every term row of the block points into it). */
    static final long BLOCK_HEADER = Long.MIN_VALUE;

    /**
     * Bits of the value hash that stay in a row's key: the terms of one key are grouped into 2^4 rows per block, each
     * holding the (low 28 bits of the value hash, posting list) pairs of its terms. A block of 1000 spans has ~1000
     * distinct {@code user.id} values; one row each cost ~26 bytes of row overhead on disk, 16 grouped rows cost
     * about a fifth of that (docs/architecture.md has the measurement).
     */
    static final int GROUP_BITS = 4;
    static final int LOW_BITS = 32 - GROUP_BITS;
    static final long LOW_MASK = (1L << LOW_BITS) - 1;

    /** Values longer than this are not indexed (stack traces, SQL); a query for them reads candidates and verifies. */
    static final int MAX_INDEXED_CHARS = 256;

    private TermHash() {
    }

    static boolean indexable(String key, String value) {
        return key.length() <= MAX_INDEXED_CHARS && value.length() <= MAX_INDEXED_CHARS;
    }

    static long tag(String key, String value) {
        return combine(key.hashCode(), value.hashCode());
    }

    /** Same as {@code tag(key, value.asString())} without building the string for strings and longs. */
    static long tag(String key, AttributeValue value) {
        int v = switch (value) {
            case AttributeValue.StringValue s -> s.value().hashCode();
            case AttributeValue.LongValue l -> decimalHash(l.value());
            default -> value.asString().hashCode();
        };
        return combine(key.hashCode(), v);
    }

    static long service(String service) {
        return tag(SERVICE_KEY, service);
    }

    static long operation(String operation) {
        return tag(OPERATION_KEY, operation);
    }

    static long serviceOperation(String service, String operation) {
        return combine(SERVICE_OPERATION_KEY.hashCode(), 31 * service.hashCode() + operation.hashCode());
    }

    private static long combine(int keyHash, int valueHash) {
        long term = ((long) keyHash << 32) | (valueHash & 0xFFFFFFFFL);
        // the header row's key is reserved: move the (rare) terms whose group would be it to a neighbouring key
        return group(term) == BLOCK_HEADER ? term ^ (1L << 32) : term;
    }

    /** The row key of the group a term belongs to. */
    static long group(long term) {
        return term & ~LOW_MASK;
    }

    /** The part of a term that identifies it inside its group's row. */
    static int low(long term) {
        return (int) (term & LOW_MASK);
    }

    /** {@code Long.toString(v).hashCode()} without the string. */
    static int decimalHash(long v) {
        if (v == Long.MIN_VALUE) {
            return Long.toString(v).hashCode();
        }
        int h = 0;
        if (v < 0) {
            h = '-';
            v = -v;
        }
        long p = 1;
        while (p <= v / 10) {
            p *= 10;
        }
        for (; p > 0; p /= 10) {
            h = 31 * h + (char) ('0' + (int) (v / p));
            v %= p;
        }
        return h;
    }

    /** A strong 64-bit mix (the finaliser of SplitMix64), for ids derived from content. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
