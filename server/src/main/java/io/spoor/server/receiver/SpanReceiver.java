package io.spoor.server.receiver;

import io.spoor.pipeline.Admission;
import io.spoor.pipeline.TracesPipeline;
import io.spoor.pipeline.export.QueueFullException;
import io.spoor.pipeline.limits.LimitedSpans;
import io.spoor.pipeline.limits.SpanLimiter;
import io.spoor.model.Span;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The receiver core, the same for every transport and format: admission, decoding through a format's
 * {@link SpanDecoder}, {@code spoor.limits} ({@link SpanLimiter}: over-long values cut, spans that cannot be stored
 * refused in the answer), submission to the pipeline, and the outcome as a value ({@link ExportResult}). The
 * transports (OTLP/gRPC, OTLP/HTTP, Zipkin) only read the body and render the result in their protocol.
 *
 * <p>Admission comes <em>before</em> decoding, and for the body's bytes before they are read ({@link BodyAdmission}):
 * decoded spans take several times their wire size on the heap, and under overload decoding first would allocate
 * exactly what the memory limiter is there to refuse.
 *
 * <p>Nothing here blocks: the returned future completes when the spans are durable (the moment the client may be
 * acknowledged), on whatever thread storage completes them.
 */
public final class SpanReceiver {
    /** Bodies above this are decoded on the decode executor rather than the calling (event loop) thread. */
    public static final int INLINE_DECODE_LIMIT = 32 * 1024;

    private final TracesPipeline pipeline;
    private final ReceiverMetrics metrics;
    private final SpanLimiter limiter;
    private final ErrorReferences errors = new ErrorReferences();

    public SpanReceiver(TracesPipeline pipeline, ReceiverMetrics metrics, SpanLimiter limiter) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.limiter = limiter;
    }

    public ReceiverMetrics metrics() {
        return metrics;
    }

    /** Where the transports report internal failures: clients get a reference, the log gets the exception. */
    public ErrorReferences errors() {
        return errors;
    }

    /** A reservation for a request body that did not come through {@link BodyAdmission}. */
    public BodyReservation newReservation() {
        return new BodyReservation(pipeline);
    }

    /**
     * Stores the spans of one request body, under the memory {@code reservation} its bytes were read with (grown
     * to the body's size if that is larger). Bodies above {@link #INLINE_DECODE_LIMIT} are decoded on
     * {@code decodeExecutor} (pass {@code Runnable::run} when the caller is already off the event loop). The body is
     * released as soon as it has been decoded (or refused).
     */
    public CompletableFuture<ExportResult> receive(Transport transport, SpanDecoder decoder, RequestBody body,
                                                   BodyReservation reservation, Executor decodeExecutor) {
        if (body.isEmpty()) {
            body.release();
            reservation.cancel();
            return CompletableFuture.completedFuture(ExportResult.ACCEPTED);
        }
        Admission.Refused refused = reservation.reserveTotal(body.length());
        if (refused != null) {
            int spans;
            try {
                spans = decoder.countSpans(body.array(), body.offset(), body.length());
            } finally {
                body.release();
                reservation.cancel();
            }
            metrics.refused(transport, refused.reason().tag(), spans);
            return CompletableFuture.completedFuture(fail(transport, BodyAdmission.refusal(refused)));
        }
        CompletableFuture<DecodedSpans> decoded;
        if (body.length() <= INLINE_DECODE_LIMIT) {
            decoded = decodeNow(decoder, body);
        } else {
            try {
                decoded = CompletableFuture.supplyAsync(() -> decode(decoder, body), decodeExecutor);
            } catch (RejectedExecutionException e) {
                body.release();
                decoded = CompletableFuture.failedFuture(e);
            }
        }
        return decoded.handle((spans, error) -> {
            if (error != null) {
                reservation.cancel();
                Throwable cause = unwrap(error);
                if (cause instanceof MalformedBodyException) {
                    return CompletableFuture.completedFuture(fail(transport,
                            ExportFailure.of(ExportFailure.Kind.MALFORMED, cause.getMessage())));
                }
                return CompletableFuture.completedFuture(fail(transport, ExportFailure.of(
                        ExportFailure.Kind.INTERNAL, errors.report("internal error while decoding", cause))));
            }
            return submit(transport, reservation, spans);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<ExportResult> submit(Transport transport, BodyReservation reservation,
                                                   DecodedSpans decoded) {
        LimitedSpans limited = limiter.apply(decoded.spans()); // trimmed spans, refusals, what to tell the client
        long rejected = decoded.rejected() + limited.refusedSpans();
        String message = join(decoded.rejectionMessage(), limited.message());
        List<Span> spans = limited.spans();
        metrics.rejected(transport, rejected);
        if (spans.isEmpty()) {
            reservation.cancel();
            if (rejected > 0) {
                return CompletableFuture.completedFuture(fail(transport, ExportFailure.of(
                        ExportFailure.Kind.ALL_REJECTED, message)));
            }
            return CompletableFuture.completedFuture(ExportResult.ACCEPTED);
        }
        int count = spans.size();
        CompletableFuture<Void> stored;
        try {
            stored = reservation.submit(spans);
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        return stored.handle((ok, error) -> {
            if (error != null) {
                metrics.refused(transport, "storage_error", count);
                return fail(transport, ExportFailure.of(ExportFailure.Kind.STORAGE_FAILED, storageFailure(error)));
            }
            metrics.accepted(transport, count);
            if (rejected == 0 && message.isEmpty()) {
                return ExportResult.ACCEPTED;
            }
            // a message with 0 rejected is OTLP's way to warn (here: values truncated, attributes dropped)
            return new ExportResult.Accepted(Signal.TRACES, rejected, message);
        });
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
    }

    /**
     * What the client is told when the spans could not be stored: a full forwarding queue is backpressure the pipeline
     * words for clients and is passed on; anything else is internal (an I/O error naming files, a bug) and reaches
     * the client as a reference into the log.
     */
    private String storageFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof QueueFullException) {
                return "spans could not be stored, retry later: " + t.getMessage();
            }
        }
        return errors.report("spans could not be stored, retry later", unwrap(error));
    }

    /** A request the transport turned away before it reached the core (content type, method, encoding…). */
    public ExportResult fail(Transport transport, ExportFailure failure) {
        metrics.failedRequest(transport, failure.kind());
        return new ExportResult.Failed(failure);
    }

    private static CompletableFuture<DecodedSpans> decodeNow(SpanDecoder decoder, RequestBody body) {
        try {
            return CompletableFuture.completedFuture(decode(decoder, body));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static DecodedSpans decode(SpanDecoder decoder, RequestBody body) {
        try {
            return decoder.decode(body.array(), body.offset(), body.length());
        } finally {
            body.release();
        }
    }

    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
