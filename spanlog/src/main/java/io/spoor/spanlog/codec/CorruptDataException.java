package io.spoor.spanlog.codec;

/** Stored bytes do not decode: truncated, or not written by this codec. */
public final class CorruptDataException extends RuntimeException {
    public CorruptDataException(String message) {
        super(message);
    }
}
