package io.spoor.pipeline.sampling.tail;

import java.util.List;

/** {@code processors.tail_sampling}: the sampler's bounds, its policies in order, and its write-ahead log. */
public record TailSamplingConfig(TailSamplingSettings settings, List<PolicySpec> policies, TailWal wal) {
    public static final TailSamplingConfig DEFAULTS = new TailSamplingConfig(TailSamplingSettings.DEFAULTS, List.of(),
            TailWal.DEFAULTS);

    public TailSamplingConfig {
        policies = List.copyOf(policies);
    }
}
