package io.spoor.server.receiver.otlp;

import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.spoor.server.receiver.BodyRejectedException;
import io.spoor.server.receiver.ExportFailure;
import io.spoor.server.receiver.ReceiverMetrics;
import io.spoor.server.receiver.Transport;
import java.time.Duration;
import java.util.concurrent.CompletionException;

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
            case TIMEOUT -> Status.Code.DEADLINE_EXCEEDED;
            case FORBIDDEN -> Status.Code.PERMISSION_DENIED;
            case INTERNAL -> Status.Code.INTERNAL;
        };
    }

    /**
     * Renders failures that end a request body before the service sees it ({@link BodyRejectedException}: refused
     * by admission as it arrived, over the size limit by its prefix, stalled) like the service's own.
     */
    public static GrpcExceptionHandlerFunction bodyRejections(ReceiverMetrics metrics) {
        return (ctx, status, cause, metadata) -> {
            Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
            if (!(c instanceof BodyRejectedException rejected)) {
                return null; // Armeria's default mapping
            }
            metrics.failedRequest(Transport.GRPC, rejected.failure().kind());
            StatusRuntimeException e = toException(rejected.failure());
            if (e.getTrailers() != null) {
                metadata.merge(e.getTrailers());
            }
            return e.getStatus();
        };
    }

    public static StatusRuntimeException toException(ExportFailure failure) {
        Status.Code code = code(failure.kind());
        Duration retry = failure.retryable() ? Duration.ofSeconds(failure.retryAfterSeconds())
                : null;
        return StatusProto.toStatusRuntimeException(OtlpResponses.status(code.value(), failure.message(), retry));
    }
}
