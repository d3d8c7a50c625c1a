package io.spoor.server.api;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.spoor.server.http.ErrorStyle;
import io.spoor.server.http.Handlers;
import io.spoor.server.http.Parameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Statuses Armeria answers itself on the API port (unknown path, wrong method, timeout) in the API's error JSON,
 * without internal detail.
 */
public final class ApiErrorHandler implements ServerErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        return null; // default handling, rendered by renderStatus
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

    /**
     * Only what the request itself determines is echoed (its path, its method); for every other status the body
     * is the status's reason phrase, and Armeria's description and the cause, which can carry internal detail, go
     * to the log.
     */
    private static AggregatedHttpResponse render(RequestHeaders headers, HttpStatus status, String description,
                                                 Throwable cause) {
        String message;
        if (status == HttpStatus.NOT_FOUND && headers != null) {
            message = "no such endpoint: " + Parameters.quote(headers.path()) + " (see docs/api.md)";
        } else if (status == HttpStatus.METHOD_NOT_ALLOWED && headers != null) {
            message = "method " + headers.method() + " is not allowed on " + Parameters.quote(headers.path())
                    + "; the API is read-only";
        } else {
            if (status.isServerError()) {
                log.warn("answered {} on the API port: {}", status, description, cause);
            } else {
                log.debug("answered {} on the API port: {}", status, description, cause);
            }
            message = status.isServerError() ? Handlers.INTERNAL_ERROR : status.reasonPhrase();
        }
        return ErrorStyle.NATIVE.aggregated(status, message);
    }
}
