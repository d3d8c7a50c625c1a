package io.spoor.query;

/**
 * A query that cannot be answered as asked: a parameter is malformed or out of range. The message names the
 * parameter so that it can be returned to the client as is (HTTP 400).
 */
public final class InvalidQueryException extends RuntimeException {
    private final String parameter;

    public InvalidQueryException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The offending parameter, e.g. {@code minDuration}. */
    public String parameter() {
        return parameter;
    }
}
