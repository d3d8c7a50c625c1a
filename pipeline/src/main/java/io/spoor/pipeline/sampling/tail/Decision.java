package io.spoor.pipeline.sampling.tail;

/**
 * A policy's verdict, as in the Collector: the inverted verdicts come from {@code invert_match}, and an
 * {@link #INVERT_NOT_SAMPLED} overrides every other policy's {@link #SAMPLED}.
 */
public enum Decision {
    SAMPLED, NOT_SAMPLED, INVERT_SAMPLED, INVERT_NOT_SAMPLED;

    public boolean samples() {
        return this == SAMPLED || this == INVERT_SAMPLED;
    }

    static Decision of(boolean matched, boolean invert) {
        if (invert) {
            return matched ? INVERT_NOT_SAMPLED : INVERT_SAMPLED;
        }
        return matched ? SAMPLED : NOT_SAMPLED;
    }
}
