package io.spoor.server.receiver.zipkin;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.spoor.server.receiver.BodyDecoding;

/**
 * What Armeria itself answers on the receiver's path before the receiver sees the request (a Content-Length over the
 * limit), in the receiver's words; every other path and status is left to the next handler.
 */
final class ZipkinProtocolErrors implements ServerErrorHandler {
    private final int maxBodyBytes;

    ZipkinProtocolErrors(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        return null;
    }

    @Override
    public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config, RequestHeaders headers,
                                               HttpStatus status, String description, Throwable cause) {
        if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE && headers != null
                && ZipkinReceiver.PATH.equals(headers.path())) {
            return AggregatedHttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8,
                    BodyDecoding.tooLargeMessage(maxBodyBytes));
        }
        return null;
    }
}
