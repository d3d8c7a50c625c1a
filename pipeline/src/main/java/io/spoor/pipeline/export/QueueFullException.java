package io.spoor.pipeline.export;

/** The exporter's sending queue had no room: the export is refused retryably and counted. */
public final class QueueFullException extends RuntimeException {
    public QueueFullException(String message) {
        super(message, null, false, false);
    }
}
