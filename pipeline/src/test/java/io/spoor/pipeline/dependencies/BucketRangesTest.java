package io.spoor.pipeline.dependencies;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BucketRangesTest {

    private static List<String> ranges(BucketRanges r) {
        List<String> out = new ArrayList<>();
        for (long[] x : r.all()) {
            out.add(x[0] + ".." + x[1] + "@" + x[2]);
        }
        return out;
    }

    @Test
    void mergesOverlappingAndTouchingRangesKeepingTheLatestStamp() {
        BucketRanges r = new BucketRanges();
        r.add(10, 20, 1);
        r.add(30, 40, 2);
        r.add(21, 21, 3); // touches 10..20
        assertThat(ranges(r)).containsExactly("10..21@3", "30..40@2");
        r.add(15, 35, 0);
        assertThat(ranges(r)).containsExactly("10..40@3");
        assertThat(r.count()).isEqualTo(31);
    }

    @Test
    void removingCutsAndSplitsRanges() {
        BucketRanges r = new BucketRanges();
        r.add(0, 100, 7);
        r.remove(40, 59);
        assertThat(ranges(r)).containsExactly("0..39@7", "60..100@7");
        r.removeBelow(10);
        r.remove(95, 200);
        assertThat(ranges(r)).containsExactly("10..39@7", "60..94@7");
        assertThat(r.contains(39)).isTrue();
        assertThat(r.contains(40)).isFalse();
        assertThat(r.within(30, 70)).extracting(x -> x[0] + ".." + x[1]).containsExactly("30..39", "60..70");
    }

    @Test
    void aYearOfBucketsIsOneRange() {
        BucketRanges r = new BucketRanges();
        r.add(Long.MIN_VALUE, Long.MAX_VALUE - 1, 0);
        r.add(5, 3_153_600, 1); // a year of 10-second buckets
        assertThat(r.size()).isEqualTo(1);
        r.removeBelow(Long.MIN_VALUE);
        r.add(Long.MAX_VALUE, Long.MAX_VALUE, 2); // touches: merged
        assertThat(ranges(r)).containsExactly(Long.MIN_VALUE + ".." + Long.MAX_VALUE + "@2");
    }

    @Test
    void mergingWithTheNearestNeighbourKeepsTheSetBounded() {
        BucketRanges r = new BucketRanges();
        r.add(0, 0, 0);
        r.add(10, 10, 0);
        r.add(13, 13, 5);
        r.mergeWithNearest(13);
        assertThat(ranges(r)).containsExactly("0..0@0", "10..13@5");
    }

    @Test
    void gapsAreWhatNeitherSetHoldsNewestFirstAndMatchABitByBitCount() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            BucketRanges a = new BucketRanges();
            BucketRanges b = new BucketRanges();
            BitSet held = new BitSet();
            for (int i = 0; i < 6; i++) {
                int lo = random.nextInt(200);
                int hi = lo + random.nextInt(20);
                (i % 2 == 0 ? a : b).add(lo, hi, 0);
                held.set(lo, hi + 1);
            }
            int from = random.nextInt(100);
            int to = from + random.nextInt(150);
            BitSet expected = new BitSet();
            for (int i = from; i <= to; i++) {
                if (!held.get(i)) {
                    expected.set(i);
                }
            }
            BitSet actual = new BitSet();
            long previous = Long.MAX_VALUE;
            for (long[] g : BucketRanges.gaps(from, to, a, b)) {
                assertThat(g[1]).isLessThan(previous);
                previous = g[0];
                actual.set((int) g[0], (int) g[1] + 1);
            }
            assertThat(actual).as("round " + round).isEqualTo(expected);
        }
    }
}
