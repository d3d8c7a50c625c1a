package io.spoor.server.receiver;

/**
 * Ends a request body early: refused by admission while it arrived, over a size limit, or stalled. The transport
 * that reads the body renders {@link #failure()} in its protocol.
 */
public final class BodyRejectedException extends RuntimeException {
    private final ExportFailure failure;

    public BodyRejectedException(ExportFailure failure) {
        super(failure.message(), null, false, false);
        this.failure = failure;
    }

    public ExportFailure failure() {
        return failure;
    }
}
