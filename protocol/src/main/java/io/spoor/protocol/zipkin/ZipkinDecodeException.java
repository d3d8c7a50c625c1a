package io.spoor.protocol.zipkin;

/**
 * A Zipkin report that cannot be accepted: not JSON / proto3 at all, or a span whose ids or fields are invalid.
 * Zipkin rejects such a report whole (400), so Spoor does too: nothing of it is stored. The message names the span
 * and field, because it goes back to the client.
 */
public final class ZipkinDecodeException extends RuntimeException {
    public ZipkinDecodeException(String message) {
        super(message);
    }

    public ZipkinDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
