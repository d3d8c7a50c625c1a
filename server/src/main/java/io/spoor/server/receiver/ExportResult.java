package io.spoor.server.receiver;

/** The outcome of one export, before it is rendered for HTTP or gRPC. */
public sealed interface ExportResult {

    /**
     * Accepted; {@code rejected} items were dropped (partial success) and {@code message} says why ("" when none).
     */
    record Accepted(Signal signal, long rejected, String message) implements ExportResult {
    }

    record Failed(ExportFailure failure) implements ExportResult {
    }

    static ExportResult failed(ExportFailure.Kind kind, String message) {
        return new Failed(ExportFailure.of(kind, message));
    }
}
