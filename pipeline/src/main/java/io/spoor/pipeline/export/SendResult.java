package io.spoor.pipeline.export;

import java.time.Duration;

/** How one attempt to send a request went. */
sealed interface SendResult {
    record Sent() implements SendResult {
    }

    /** Worth retrying; {@code retryAfter} is the backend's hint, or null. */
    record Retryable(String reason, Duration retryAfter) implements SendResult {
    }

    /** Retrying would fail the same way (bad request, unauthenticated, unimplemented…). */
    record Permanent(String reason) implements SendResult {
    }
}
