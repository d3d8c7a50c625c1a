package io.spoor.pipeline.sampling.tail;

import java.util.Optional;

/**
 * The tail sampler's write-ahead log ({@code tail_sampling.wal}): on unless {@code enabled: false}; in
 * {@code directory}, or by default under the data dir ({@code <data-dir>/tail_sampling/<processor id>}).
 */
public record TailWal(boolean enabled, Optional<String> directory) {
    public static final TailWal DEFAULTS = new TailWal(true, Optional.empty());
}
