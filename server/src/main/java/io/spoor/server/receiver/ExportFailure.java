package io.spoor.server.receiver;

import java.time.Duration;
import java.util.Objects;

/**
 * Why an export was not (fully) accepted, independent of the transport. Each transport has one place that turns a
 * kind into its status code ({@code OtlpHttpErrors}, {@code OtlpGrpcErrors}, {@code ZipkinErrors}).
 */
public record ExportFailure(Kind kind, String message, Duration retryAfter) {

    public enum Kind {
        /** The body is not the OTLP message it claims to be. HTTP 400 / INVALID_ARGUMENT. */
        MALFORMED,
        /** The body parsed but every item in it was invalid. HTTP 400 / INVALID_ARGUMENT. */
        ALL_REJECTED,
        /** The body exceeds the size limit. HTTP 413 / RESOURCE_EXHAUSTED. */
        TOO_LARGE,
        /** Content-Type other than protobuf or JSON. HTTP 415. */
        UNSUPPORTED_MEDIA_TYPE,
        /** Content-Encoding other than gzip or none. HTTP 415. */
        UNSUPPORTED_ENCODING,
        /** The request body stopped arriving. HTTP 408 / DEADLINE_EXCEEDED. */
        TIMEOUT,
        /** A browser request from an origin the receiver's {@code cors.allowed_origins} does not list. HTTP 403. */
        FORBIDDEN,
        /** Not a POST. HTTP 405. */
        METHOD_NOT_ALLOWED,
        /** Refused by admission (memory limit, shutdown): retry later. HTTP 429 / UNAVAILABLE + RetryInfo. */
        REFUSED,
        /** Storage could not make the spans durable: retryable. HTTP 503 / UNAVAILABLE. */
        STORAGE_FAILED,
        /** A bug. HTTP 500 / INTERNAL. */
        INTERNAL
    }

    public ExportFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    public static ExportFailure of(Kind kind, String message) {
        return new ExportFailure(kind, message, null);
    }

    /** Refusals and storage failures: the client should send the same request again later. */
    public boolean retryable() {
        return kind == Kind.REFUSED || kind == Kind.STORAGE_FAILED;
    }

    /** Whole seconds for a Retry-After header, at least 1. */
    public long retryAfterSeconds() {
        if (retryAfter == null) {
            return 1;
        }
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
