package io.spoor.storage.lucene;

import java.util.Arrays;

/**
 * A reusable open-addressing set of longs: collects the distinct term hashes of a document without boxing (a
 * {@code HashSet<Long>} would allocate per attribute on the write path). Not thread-safe.
 */
final class LongSet {
    private static final long EMPTY = 0; // hash 0 is stored out of line
    private long[] slots = new long[1024];
    private int size;
    private boolean hasZero;

    void clear() {
        if (size > 0) {
            Arrays.fill(slots, EMPTY);
        }
        size = 0;
        hasZero = false;
    }

    void add(long v) {
        addIfAbsent(v);
    }

    /** Adds v; true when it was not there yet. */
    boolean addIfAbsent(long v) {
        if (v == EMPTY) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        int mask = slots.length - 1;
        int i = mix(v) & mask;
        while (true) {
            long s = slots[i];
            if (s == v) {
                return false;
            }
            if (s == EMPTY) {
                slots[i] = v;
                if (++size * 2 > slots.length) {
                    grow();
                }
                return true;
            }
            i = (i + 1) & mask;
        }
    }

    private static int mix(long v) {
        long h = v * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = 0;
        for (long v : old) {
            if (v != EMPTY) {
                add(v);
            }
        }
    }

    /** The distinct values, sorted (Lucene sorts terms anyway; sorted input keeps its hash table cache-friendly). */
    long[] toSortedArray() {
        long[] out = new long[size + (hasZero ? 1 : 0)];
        int n = 0;
        for (long v : slots) {
            if (v != EMPTY) {
                out[n++] = v;
            }
        }
        if (hasZero) {
            out[n] = 0;
        }
        Arrays.sort(out);
        return out;
    }
}
