package io.spoor.pipeline.export;

/**
 * The Collector's {@code sending_queue}: up to {@code queue_size} export requests (batches) wait to be sent by
 * {@code num_consumers} senders. When it is full, new exports are refused (retryably) and counted. Disabled, an
 * export is acknowledged only once the backend has accepted it.
 */
public record QueueSettings(boolean enabled, int numConsumers, int queueSize) {
    public static final QueueSettings DEFAULTS = new QueueSettings(true, 10, 1000);
}
