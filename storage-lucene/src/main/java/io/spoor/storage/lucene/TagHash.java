package io.spoor.storage.lucene;

import io.spoor.model.AttributeValue;

/**
 * The index term of a tag {@code key=value}: 8 bytes, the key's {@link String#hashCode} in the high half and the
 * hash of the value's string form in the low half. Collisions only add candidates, which every read verifies exactly
 * with {@link io.spoor.storage.TraceQuery#matches}, so a 32-bit hash per half is plenty.
 *
 * <p>Why: building a "key=value" String per attribute and feeding its UTF-8 bytes to Lucene cost ~25 % of the write
 * path. {@code String.hashCode} is a vectorised intrinsic and is cached in the (usually constant) key strings; long
 * values are hashed digit by digit as if formatted, without allocating. Keeping the key's hash as a prefix lets the
 * term dictionary share it across all values of one key.
 */
final class TagHash {
    /** Pseudo-keys for the non-tag terms that share the hashed field; they cannot clash with a real "key=" form. */
    static final String SERVICE_KEY = "\0svc";
    static final String OPERATION_KEY = "\0op";
    static final String SERVICE_OPERATION_KEY = "\0svc+op";
    /**
     * The one term of a block stored without its index terms (the index refused its full document): every search
     * takes such blocks as candidates and verifies them span by span. See {@link BlockDocument#fillUnindexed}.
     */
    static final long UNINDEXED = of("\0unindexed", "");

    private TagHash() {
    }

    static long of(String key, String value) {
        return combine(key.hashCode(), value.hashCode());
    }

    /** Same as {@code of(key, value.asString())}, without building the string for the common value types. */
    static long of(String key, AttributeValue value) {
        int v = switch (value) {
            case AttributeValue.StringValue s -> s.value().hashCode();
            case AttributeValue.LongValue l -> decimalHash(l.value());
            default -> value.asString().hashCode();
        };
        return combine(key.hashCode(), v);
    }

    /** Service + operation as one term, so that a search for both needs one posting list. */
    static long serviceOperation(String service, String operation) {
        return combine(SERVICE_OPERATION_KEY.hashCode(), 31 * service.hashCode() + operation.hashCode());
    }

    private static long combine(int keyHash, int valueHash) {
        return ((long) keyHash << 32) | (valueHash & 0xFFFFFFFFL);
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

    static void put(long hash, byte[] b, int off) {
        for (int i = off + 7; i >= off; i--) {
            b[i] = (byte) hash;
            hash >>>= 8;
        }
    }
}
