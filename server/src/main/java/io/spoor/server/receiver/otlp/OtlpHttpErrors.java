package io.spoor.server.receiver.otlp;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import io.grpc.Status.Code;
import io.spoor.server.receiver.ExportFailure;
import java.time.Duration;

/**
 * The one place where OTLP/HTTP failures become HTTP statuses. Every 4xx/5xx body is a {@code google.rpc.Status}
 * (protobuf, or its JSON form for JSON requests) whose message names the problem. Retryable answers (429, 503)
 * carry {@code Retry-After} in seconds and a RetryInfo detail.
 */
public final class OtlpHttpErrors {
    static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");

    private OtlpHttpErrors() {
    }

    public static HttpStatus httpStatus(ExportFailure.Kind kind) {
        return switch (kind) {
            case MALFORMED, ALL_REJECTED -> HttpStatus.BAD_REQUEST;
            case TOO_LARGE -> HttpStatus.REQUEST_ENTITY_TOO_LARGE;
            case UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_ENCODING -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case METHOD_NOT_ALLOWED -> HttpStatus.METHOD_NOT_ALLOWED;
            case REFUSED -> HttpStatus.TOO_MANY_REQUESTS;
            case STORAGE_FAILED -> HttpStatus.SERVICE_UNAVAILABLE;
            case TIMEOUT -> HttpStatus.REQUEST_TIMEOUT;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    /** The google.rpc.Code carried in the body, matching what the gRPC receiver answers for the same failure. */
    static Code rpcCode(ExportFailure.Kind kind) {
        return switch (kind) {
            case MALFORMED, ALL_REJECTED -> Code.INVALID_ARGUMENT;
            case TOO_LARGE -> Code.RESOURCE_EXHAUSTED;
            case UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_ENCODING, METHOD_NOT_ALLOWED -> Code.UNIMPLEMENTED;
            case REFUSED, STORAGE_FAILED -> Code.UNAVAILABLE;
            case TIMEOUT -> Code.DEADLINE_EXCEEDED;
            case FORBIDDEN -> Code.PERMISSION_DENIED;
            case INTERNAL -> Code.INTERNAL;
        };
    }

    public static HttpResponse toResponse(ExportFailure failure, WireFormat format) {
        HttpStatus status = httpStatus(failure.kind());
        ResponseHeadersBuilder headers = ResponseHeaders.builder(status);
        Duration retry = null;
        if (failure.retryable()) {
            retry = Duration.ofSeconds(failure.retryAfterSeconds());
            headers.setLong(HttpHeaderNames.RETRY_AFTER, failure.retryAfterSeconds());
        }
        if (failure.kind() == ExportFailure.Kind.METHOD_NOT_ALLOWED) {
            headers.set(HttpHeaderNames.ALLOW, "POST");
        }
        int code = rpcCode(failure.kind()).value();
        if (format == WireFormat.JSON) {
            headers.contentType(MediaType.JSON);
            return HttpResponse.of(headers.build(),
                    com.linecorp.armeria.common.HttpData.wrap(OtlpResponses.statusJson(code, failure.message(), retry)));
        }
        headers.contentType(PROTOBUF);
        return HttpResponse.of(headers.build(), com.linecorp.armeria.common.HttpData.wrap(
                OtlpResponses.status(code, failure.message(), retry).toByteArray()));
    }
}
