package io.spoor.server.receiver;

/** The outcome of one export, before a transport renders it (HTTP status, OTLP response, gRPC status, Zipkin 202). */
public sealed interface ExportResult {

    /** Spans accepted, none rejected (also the answer to an empty request). */
    Accepted ACCEPTED = new Accepted(Signal.TRACES, 0, "");

    /**
     * Accepted; {@code rejected} items were dropped (partial success) and {@code message} says why ("" when none).
     */
    record Accepted(Signal signal, long rejected, String message) implements ExportResult {
    }

    record Failed(ExportFailure failure) implements ExportResult {
    }
}
