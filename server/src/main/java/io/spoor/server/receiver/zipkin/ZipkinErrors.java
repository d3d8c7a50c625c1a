package io.spoor.server.receiver.zipkin;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import io.spoor.server.receiver.ExportFailure;

/**
 * The one place where the Zipkin receiver's failures become HTTP statuses. Bodies are plain text, as Zipkin's are;
 * a refusal and a storage failure are 503 with {@code Retry-After}, which Zipkin reporters understand as "try
 * again".
 */
final class ZipkinErrors {
    private ZipkinErrors() {
    }

    static HttpStatus status(ExportFailure.Kind kind) {
        return switch (kind) {
            case MALFORMED, ALL_REJECTED -> HttpStatus.BAD_REQUEST;
            case TOO_LARGE -> HttpStatus.REQUEST_ENTITY_TOO_LARGE;
            case UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_ENCODING -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case METHOD_NOT_ALLOWED -> HttpStatus.METHOD_NOT_ALLOWED;
            case REFUSED, STORAGE_FAILED -> HttpStatus.SERVICE_UNAVAILABLE;
            case TIMEOUT -> HttpStatus.REQUEST_TIMEOUT;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    static HttpResponse toResponse(ExportFailure failure) {
        ResponseHeadersBuilder headers = ResponseHeaders.builder(status(failure.kind()))
                .contentType(MediaType.PLAIN_TEXT_UTF_8);
        if (failure.retryable()) { // refused, or storage failed (a full disk): try again later
            headers.setLong(HttpHeaderNames.RETRY_AFTER, failure.retryAfterSeconds());
        }
        return HttpResponse.of(headers.build(), HttpData.ofUtf8(failure.message()));
    }
}
