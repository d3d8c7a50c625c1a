package io.spoor.protocol.otlp;

/**
 * Malformed input: the body cannot be parsed as the expected OTLP message at all. The message names the
 * problem precisely (position, field) because it is returned to the client that sent the export.
 */
public final class OtlpDecodeException extends RuntimeException {
    public OtlpDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
