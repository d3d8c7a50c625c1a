package io.spoor.storage.cassandra;

/**
 * A write could not be acknowledged by Cassandra (a node down or slow, too many writes in flight). Retryable: the
 * client should send the spans again later; a replay is idempotent.
 */
public final class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
