package io.spoor.storage;

/**
 * A write was refused because the engine cannot make spans durable right now (a full disk, a failing index); it
 * recovers by itself, so the client should retry later. Receivers answer it with a retryable refusal.
 */
public class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
