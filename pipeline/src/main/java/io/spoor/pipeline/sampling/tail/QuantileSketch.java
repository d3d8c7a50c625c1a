package io.spoor.pipeline.sampling.tail;

/**
 * A streaming quantile estimate of positive durations with bounded relative error (a DDSketch-style histogram of
 * logarithmic buckets: bucket i holds values in (γ^(i-1), γ^i], γ = 1.02, so any quantile is known to within 2 %).
 * Memory grows only with the spread of the values (≈ 120 buckets per decade), not with their number. To follow
 * an operation whose latency drifts, all counts are halved every {@code halfLife} observations, so the estimate is
 * "running": older observations weigh exponentially less.
 */
public final class QuantileSketch {
    private static final double GAMMA = 1.02;
    private static final double LOG_GAMMA = Math.log(GAMMA);

    private final long halfLife;
    private float[] counts = new float[0];
    private int offset;
    private double total;
    private long sinceHalving;
    private long observations;

    public QuantileSketch(long halfLife) {
        this.halfLife = halfLife;
    }

    public void add(long value) {
        int index = index(Math.max(1, value));
        if (counts.length == 0) {
            counts = new float[16];
            offset = index - 8;
        }
        if (index < offset || index >= offset + counts.length) {
            grow(index);
        }
        counts[index - offset] += 1;
        total += 1;
        observations++;
        if (++sinceHalving >= halfLife) {
            sinceHalving = 0;
            total = 0;
            for (int i = 0; i < counts.length; i++) {
                counts[i] /= 2;
                total += counts[i];
            }
        }
    }

    /** Observations seen (not decayed). */
    public long observations() {
        return observations;
    }

    /**
     * The upper edge of the bucket holding the {@code q}-quantile (0 < q < 1): a value above it is slower than
     * the quantile for certain, whatever the bucket's width.
     */
    public long quantileUpperBound(double q) {
        if (total == 0) {
            return Long.MAX_VALUE;
        }
        double rank = q * total;
        double seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank && counts[i] > 0) {
                return (long) Math.ceil(Math.pow(GAMMA, i + offset));
            }
        }
        return (long) Math.ceil(Math.pow(GAMMA, counts.length - 1 + offset));
    }

    private static int index(long value) {
        return (int) Math.ceil(Math.log(value) / LOG_GAMMA);
    }

    private void grow(int index) {
        int low = Math.min(offset, index);
        int high = Math.max(offset + counts.length - 1, index);
        int size = Math.max(high - low + 1, counts.length * 2);
        int newOffset = index < offset ? high - size + 1 : low;
        float[] grown = new float[size];
        System.arraycopy(counts, 0, grown, offset - newOffset, counts.length);
        counts = grown;
        offset = newOffset;
    }
}
