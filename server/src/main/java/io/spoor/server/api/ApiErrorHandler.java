package io.spoor.server.api;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.spoor.server.http.ErrorStyle;

/** Statuses Armeria answers itself on the API port (unknown path, wrong method, timeout) in the API's error JSON. */
public final class ApiErrorHandler implements ServerErrorHandler {

    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        return null; // default handling, rendered by renderStatus
    }

    @Override
    public AggregatedHttpResponse onProtocolViolation(ServiceConfig config, RequestHeaders headers, HttpStatus status,
                                                      String description, Throwable cause) {
        return render(headers, status, description);
    }

    @Override
    public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config, RequestHeaders headers,
                                               HttpStatus status, String description, Throwable cause) {
        return render(headers, status, description);
    }

    private static AggregatedHttpResponse render(RequestHeaders headers, HttpStatus status, String description) {
        String message;
        if (status == HttpStatus.NOT_FOUND && headers != null) {
            message = "no such endpoint: " + headers.path() + " (see docs/api.md)";
        } else if (status == HttpStatus.METHOD_NOT_ALLOWED && headers != null) {
            message = "method " + headers.method() + " is not allowed on " + headers.path() + "; the API is read-only";
        } else {
            message = description != null ? description : status.reasonPhrase();
        }
        return ErrorStyle.NATIVE.aggregated(status, message);
    }
}
