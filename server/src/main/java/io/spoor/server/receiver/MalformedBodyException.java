package io.spoor.server.receiver;

/** A body that is not the format it claims to be; the message names the problem and is shown to the client. */
public final class MalformedBodyException extends RuntimeException {
    public MalformedBodyException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
