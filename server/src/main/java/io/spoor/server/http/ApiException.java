package io.spoor.server.http;

import com.linecorp.armeria.common.HttpStatus;

/**
 * Ends a handler with an answer other than 200 (404 for an unknown trace, say), rendered in the API's error style.
 * Its message goes to the client as is, so it names what was asked for, never an internal detail.
 */
public final class ApiException extends RuntimeException {
    private final HttpStatus status;

    public ApiException(HttpStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }
}
