package io.spoor.pipeline.batch;

import java.time.Duration;

/**
 * The Collector's batch processor settings. Spoor acknowledges an export only once it is stored, so a batch's
 * {@code timeout} is also added to the acknowledgement latency of a lightly loaded server: the default is short
 * (a group commit), unlike the Collector's 200 ms.
 */
public record BatchSettings(int sendBatchSize, int sendBatchMaxSize, Duration timeout) {
    public static final BatchSettings DEFAULTS = new BatchSettings(8192, 0, Duration.ofMillis(5));

    public BatchSettings {
        if (sendBatchSize < 1) {
            throw new IllegalArgumentException("batch: send_batch_size must be at least 1");
        }
        if (sendBatchMaxSize != 0 && sendBatchMaxSize < sendBatchSize) {
            throw new IllegalArgumentException("batch: send_batch_max_size must be 0 or >= send_batch_size");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("batch: timeout must not be negative");
        }
    }

    /** The largest batch handed to storage; 0 in the settings means no cap beyond send_batch_size's overshoot. */
    public int effectiveMaxSize() {
        return sendBatchMaxSize == 0 ? Integer.MAX_VALUE : sendBatchMaxSize;
    }
}
