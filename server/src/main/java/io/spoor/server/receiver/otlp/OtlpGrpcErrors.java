package io.spoor.server.receiver.otlp;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.spoor.server.receiver.ExportFailure;
import java.time.Duration;

/**
 * The one place where OTLP/gRPC failures become gRPC statuses: bad data → INVALID_ARGUMENT (not retried),
 * backpressure and storage failures → UNAVAILABLE with a {@code google.rpc.RetryInfo} detail in
 * {@code grpc-status-details-bin} (retried after the delay). Messages over the size limit are answered
 * RESOURCE_EXHAUSTED by Armeria itself.
 */
public final class OtlpGrpcErrors {
    private OtlpGrpcErrors() {
    }

    public static Status.Code code(ExportFailure.Kind kind) {
        return switch (kind) {
            case MALFORMED, ALL_REJECTED -> Status.Code.INVALID_ARGUMENT;
            case TOO_LARGE -> Status.Code.RESOURCE_EXHAUSTED;
            case REFUSED, STORAGE_FAILED -> Status.Code.UNAVAILABLE;
            case UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_ENCODING, METHOD_NOT_ALLOWED -> Status.Code.UNIMPLEMENTED;
            case INTERNAL -> Status.Code.INTERNAL;
        };
    }

    public static StatusRuntimeException toException(ExportFailure failure) {
        Status.Code code = code(failure.kind());
        Duration retry = failure.retryable() ? Duration.ofSeconds(failure.retryAfterSeconds())
                : null;
        return StatusProto.toStatusRuntimeException(OtlpResponses.status(code.value(), failure.message(), retry));
    }
}
