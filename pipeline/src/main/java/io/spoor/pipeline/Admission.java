package io.spoor.pipeline;

import io.spoor.model.Span;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The pipeline's answer to "may I hand you this export?", given as a value (DESIGN: boundaries). Receivers ask
 * before decoding: under overload, decoding first would allocate exactly what the memory limiter is there to refuse.
 */
public sealed interface Admission {

    /**
     * Room was reserved for the export. Exactly one of {@link #submit} or {@link #cancel} must follow, or the
     * reservation leaks.
     */
    non-sealed interface Admitted extends Admission {
        /**
         * Asks for room for {@code wireBytes} more of the same export (a request body still arriving, a body being
         * inflated). Answers this reservation, grown, or a {@link Refused}, in which case nothing more was reserved
         * and the room held so far stays reserved until {@link #cancel}. Only before {@link #submit}/{@link #cancel}.
         */
        Admission grow(long wireBytes);

        /**
         * Hands the decoded spans on. The future completes when they are durable (the moment to acknowledge the
         * client) and fails when they could not be stored. The reservation is released when it completes.
         */
        CompletableFuture<Void> submit(List<Span> spans);

        /** Releases the reservation without submitting (the body could not be decoded, the client went away). */
        void cancel();
    }

    /** Refused retryably: the client should retry after {@code retryAfter}; {@code message} is for the client. */
    record Refused(Duration retryAfter, Reason reason, String message) implements Admission {
    }

    /** Why an export was refused; the {@code reason} label of the refusal metrics. */
    enum Reason {
        MEMORY_LIMIT, SHUTTING_DOWN;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
