package io.spoor.server.receiver.otlp;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.spoor.server.receiver.BodyDecoding;
import io.spoor.server.receiver.ExportFailure;

/**
 * Errors that Armeria itself answers on the OTLP/HTTP port (a Content-Length over the limit, an unknown path, a
 * timeout), rendered like {@link OtlpHttpErrors}: a {@code google.rpc.Status} body in the request's encoding.
 */
public final class OtlpHttpProtocolErrors implements ServerErrorHandler {

    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        WireFormat format = format(ctx.request().headers());
        if (cause instanceof ContentTooLargeException) {
            return OtlpHttpErrors.toResponse(ExportFailure.of(ExportFailure.Kind.TOO_LARGE,
                    BodyDecoding.tooLargeMessage(OtlpHttpService.MAX_BODY_BYTES)), format);
        }
        return null; // the default handling, then renderStatus below
    }

    @Override
    public AggregatedHttpResponse onProtocolViolation(ServiceConfig config, RequestHeaders headers, HttpStatus status,
                                                      String description, Throwable cause) {
        return render(headers, status, description, cause);
    }

    @Override
    public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config, RequestHeaders headers,
                                               HttpStatus status, String description, Throwable cause) {
        return render(headers, status, description, cause);
    }

    private static AggregatedHttpResponse render(RequestHeaders headers, HttpStatus status, String description,
                                                 Throwable cause) {
        WireFormat format = format(headers);
        String message;
        if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
            message = BodyDecoding.tooLargeMessage(OtlpHttpService.MAX_BODY_BYTES);
        } else if (status == HttpStatus.NOT_FOUND && headers != null) {
            message = "no OTLP endpoint at " + headers.path() + "; use /v1/traces, /v1/metrics or /v1/logs";
        } else {
            message = description != null ? description : status.reasonPhrase();
        }
        int code = switch (status.code()) {
            case 400 -> 3;   // INVALID_ARGUMENT
            case 404 -> 5;   // NOT_FOUND
            case 405, 415 -> 12; // UNIMPLEMENTED
            case 413, 429 -> 8;  // RESOURCE_EXHAUSTED
            case 503 -> 14;  // UNAVAILABLE
            case 504 -> 4;   // DEADLINE_EXCEEDED
            default -> 13;   // INTERNAL
        };
        if (format == WireFormat.JSON) {
            return AggregatedHttpResponse.of(status, MediaType.JSON, OtlpResponses.statusJson(code, message, null));
        }
        return AggregatedHttpResponse.of(status, OtlpHttpErrors.PROTOBUF,
                OtlpResponses.status(code, message, null).toByteArray());
    }

    private static WireFormat format(RequestHeaders headers) {
        return headers != null && OtlpHttpService.wireFormat(headers.contentType()) == WireFormat.JSON
                ? WireFormat.JSON : WireFormat.PROTOBUF;
    }
}
