package io.spoor.pipeline.dependencies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of bucket indices kept as disjoint, non-adjacent ranges {@code [start, end]}, each with a stamp (the latest of
 * the stamps added into it). Its size is the number of ranges, whatever they span: a range of a year costs what a
 * range of one bucket does. Not thread-safe.
 */
final class BucketRanges {
    /** start → {end, stamp} */
    private final TreeMap<Long, long[]> ranges = new TreeMap<>();

    /** Adds {@code [lo, hi]}, merging it with the ranges it overlaps or touches; the merged stamp is the latest. */
    void add(long lo, long hi, long stamp) {
        if (hi < lo) {
            return;
        }
        Map.Entry<Long, long[]> before = ranges.floorEntry(lo);
        if (before != null && (lo == Long.MIN_VALUE || before.getValue()[0] >= lo - 1)) {
            lo = before.getKey();
            hi = Math.max(hi, before.getValue()[0]);
            stamp = Math.max(stamp, before.getValue()[1]);
            ranges.remove(before.getKey());
        }
        Map.Entry<Long, long[]> next;
        while ((next = ranges.ceilingEntry(lo)) != null && (hi == Long.MAX_VALUE || next.getKey() <= hi + 1)) {
            hi = Math.max(hi, next.getValue()[0]);
            stamp = Math.max(stamp, next.getValue()[1]);
            ranges.remove(next.getKey());
        }
        ranges.put(lo, new long[] {hi, stamp});
    }

    /** Removes {@code [lo, hi]}, cutting the ranges that reach into it. */
    void remove(long lo, long hi) {
        if (hi < lo) {
            return;
        }
        Map.Entry<Long, long[]> before = ranges.lowerEntry(lo);
        if (before != null && before.getValue()[0] >= lo) {
            long[] v = before.getValue();
            ranges.put(before.getKey(), new long[] {lo - 1, v[1]});
            if (v[0] > hi) {
                ranges.put(hi + 1, new long[] {v[0], v[1]});
                return;
            }
        }
        Map.Entry<Long, long[]> e;
        while ((e = ranges.ceilingEntry(lo)) != null && e.getKey() <= hi) {
            ranges.remove(e.getKey());
            if (e.getValue()[0] > hi) {
                ranges.put(hi + 1, e.getValue());
            }
        }
    }

    /** Removes every index below {@code index}. */
    void removeBelow(long index) {
        if (index != Long.MIN_VALUE) {
            remove(Long.MIN_VALUE, index - 1);
        }
    }

    boolean contains(long index) {
        Map.Entry<Long, long[]> e = ranges.floorEntry(index);
        return e != null && e.getValue()[0] >= index;
    }

    /** The parts of this set inside {@code [lo, hi]}, as {start, end} pairs in ascending order. */
    List<long[]> within(long lo, long hi) {
        List<long[]> out = new ArrayList<>();
        if (hi < lo) {
            return out;
        }
        Map.Entry<Long, long[]> first = ranges.floorEntry(lo);
        long from = first != null && first.getValue()[0] >= lo ? first.getKey() : lo;
        for (Map.Entry<Long, long[]> e : ranges.subMap(from, true, hi, true).entrySet()) {
            out.add(new long[] {Math.max(e.getKey(), lo), Math.min(e.getValue()[0], hi)});
        }
        return out;
    }

    /** Every range as {start, end, stamp}, ascending. */
    List<long[]> all() {
        List<long[]> out = new ArrayList<>(ranges.size());
        ranges.forEach((s, v) -> out.add(new long[] {s, v[0], v[1]}));
        return out;
    }

    /**
     * Merges the range holding {@code index} with its nearest neighbour (the gap between them joins the set): how a
     * bounded set stays bounded when one more range would not fit. A no-op without a neighbour.
     */
    void mergeWithNearest(long index) {
        Map.Entry<Long, long[]> self = ranges.floorEntry(index);
        if (self == null || self.getValue()[0] < index) {
            return;
        }
        Map.Entry<Long, long[]> lower = ranges.lowerEntry(self.getKey());
        Map.Entry<Long, long[]> higher = ranges.higherEntry(self.getKey());
        long gapBelow = lower == null ? Long.MAX_VALUE : self.getKey() - lower.getValue()[0];
        long gapAbove = higher == null ? Long.MAX_VALUE : higher.getKey() - self.getValue()[0];
        if (lower == null && higher == null) {
            return;
        }
        if (gapBelow <= gapAbove) {
            add(lower.getKey(), self.getValue()[0], self.getValue()[1]);
        } else {
            add(self.getKey(), higher.getKey(), self.getValue()[1]);
        }
    }

    /** The number of ranges. */
    int size() {
        return ranges.size();
    }

    /** The number of indices in the set. */
    long count() {
        long n = 0;
        for (Map.Entry<Long, long[]> e : ranges.entrySet()) {
            n += e.getValue()[0] - e.getKey() + 1;
        }
        return n;
    }

    /**
     * The indices of {@code [lo, hi]} that neither {@code a} nor {@code b} holds, as {start, end} pairs, highest
     * first. Costs one step per range of {@code a} and {@code b} in between, not per index.
     */
    static List<long[]> gaps(long lo, long hi, BucketRanges a, BucketRanges b) {
        List<long[]> out = new ArrayList<>();
        long cursor = hi;
        while (cursor >= lo) {
            long covered = Math.min(a.startOfRangeHolding(cursor), b.startOfRangeHolding(cursor));
            if (covered <= cursor) {
                if (covered == Long.MIN_VALUE) {
                    break;
                }
                cursor = covered - 1;
                continue;
            }
            long below = Math.max(a.highestBelow(cursor), b.highestBelow(cursor));
            long gapLo = below == Long.MIN_VALUE ? lo : Math.max(lo, below + 1);
            out.add(new long[] {gapLo, cursor});
            if (gapLo == Long.MIN_VALUE) {
                break;
            }
            cursor = gapLo - 1;
        }
        return out;
    }

    /** The start of the range that holds {@code index}, or {@code Long.MAX_VALUE} when none does. */
    private long startOfRangeHolding(long index) {
        Map.Entry<Long, long[]> e = ranges.floorEntry(index);
        return e != null && e.getValue()[0] >= index ? e.getKey() : Long.MAX_VALUE;
    }

    /** The highest index of this set below {@code index}, or {@code Long.MIN_VALUE} when there is none. */
    private long highestBelow(long index) {
        Map.Entry<Long, long[]> e = ranges.lowerEntry(index);
        return e == null ? Long.MIN_VALUE : Math.min(e.getValue()[0], index - 1);
    }
}
