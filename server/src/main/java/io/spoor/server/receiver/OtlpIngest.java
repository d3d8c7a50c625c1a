package io.spoor.server.receiver;

import io.spoor.pipeline.Admission;
import io.spoor.pipeline.TracesPipeline;
import io.spoor.pipeline.limits.LimitedSpans;
import io.spoor.pipeline.limits.SpanLimiter;
import io.spoor.protocol.otlp.DecodedTraces;
import io.spoor.protocol.otlp.OtlpDecodeException;
import io.spoor.protocol.otlp.OtlpSignalDecoder;
import io.spoor.protocol.otlp.OtlpTraceDecoder;
import io.spoor.model.Span;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every OTLP receiver does with an export body, whatever the transport: admission, decoding, submission,
 * and the outcome as a value ({@link ExportResult}) that the transport renders.
 *
 * <p>Admission comes <em>before</em> decoding: a decoded export takes several times its wire size on the heap,
 * and under overload decoding first would allocate exactly what the memory limiter is there to refuse. Refused
 * spans are still counted, by a scan that allocates nothing per span ({@link SpanCounter}).
 *
 * <p>Nothing here blocks: the returned future completes when the spans are durable (the moment the client may be
 * acknowledged), on whatever thread storage completes them.
 */
public final class OtlpIngest {
    private static final Logger log = LoggerFactory.getLogger(OtlpIngest.class);
    /** Bodies above this are decoded on the decode executor rather than the calling (event loop) thread. */
    static final int INLINE_DECODE_LIMIT = 32 * 1024;

    private final TracesPipeline pipeline;
    private final ReceiverMetrics metrics;
    private final SpanLimiter limiter;

    public OtlpIngest(TracesPipeline pipeline, ReceiverMetrics metrics, SpanLimiter limiter) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.limiter = limiter;
    }

    public ReceiverMetrics metrics() {
        return metrics;
    }

    /**
     * Stores the spans of one {@code ExportTraceServiceRequest}. Large bodies are decoded on {@code decodeExecutor}.
     */
    public CompletableFuture<ExportResult> exportTraces(Transport transport, WireFormat format, byte[] body,
                                                        Executor decodeExecutor) {
        if (body.length == 0) {
            return CompletableFuture.completedFuture(new ExportResult.Accepted(Signal.TRACES, 0, ""));
        }
        Admission admission = pipeline.admit(body.length);
        if (admission instanceof Admission.Refused refused) {
            int spans = SpanCounter.count(format, body);
            metrics.refused(transport, reasonTag(refused), spans);
            return CompletableFuture.completedFuture(failed(transport,
                    new ExportFailure(ExportFailure.Kind.REFUSED, refused.message(), refused.retryAfter())));
        }
        Admission.Admitted admitted = (Admission.Admitted) admission;
        CompletableFuture<DecodedTraces> decoded;
        if (body.length <= INLINE_DECODE_LIMIT) {
            decoded = decodeNow(format, body);
        } else {
            try {
                decoded = CompletableFuture.supplyAsync(() -> decode(format, body), decodeExecutor);
            } catch (RejectedExecutionException e) {
                decoded = CompletableFuture.failedFuture(e);
            }
        }
        return decoded.handle((traces, error) -> {
            if (error != null) {
                admitted.cancel();
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof OtlpDecodeException) {
                    return CompletableFuture.completedFuture(failed(transport,
                            ExportFailure.of(ExportFailure.Kind.MALFORMED, cause.getMessage())));
                }
                log.warn("decoding an OTLP export failed unexpectedly", cause);
                return CompletableFuture.completedFuture(failed(transport, ExportFailure.of(
                        ExportFailure.Kind.INTERNAL, "internal error while decoding: " + cause)));
            }
            return submit(transport, admitted, traces);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<ExportResult> submit(Transport transport, Admission.Admitted admitted,
                                                   DecodedTraces decoded) {
        LimitedSpans limited = limiter.apply(decoded.spans()); // spoor.limits: trimmed spans, refusals, messages
        int rejected = decoded.rejectedSpans() + limited.refusedSpans();
        String message = join(decoded.rejectionMessage(), limited.message());
        List<Span> spans = limited.spans();
        metrics.rejected(transport, rejected);
        if (spans.isEmpty()) {
            admitted.cancel();
            if (rejected > 0) {
                return CompletableFuture.completedFuture(failed(transport, ExportFailure.of(
                        ExportFailure.Kind.ALL_REJECTED, message)));
            }
            return CompletableFuture.completedFuture(new ExportResult.Accepted(Signal.TRACES, 0, ""));
        }
        int count = spans.size();
        CompletableFuture<Void> stored;
        try {
            stored = admitted.submit(spans);
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        return stored.handle((ok, error) -> {
            if (error != null) {
                metrics.refused(transport, "storage_error", count);
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                return failed(transport, ExportFailure.of(ExportFailure.Kind.STORAGE_FAILED,
                        "spans could not be stored, retry later: " + cause.getMessage()));
            }
            metrics.accepted(transport, count);
            // a message with 0 rejected is OTLP's way to warn (here: values truncated, attributes dropped)
            return new ExportResult.Accepted(Signal.TRACES, rejected, message);
        });
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
    }

    /** Answers a metrics or logs export: valid ones succeed with a partial success saying nothing was stored. */
    public ExportResult exportUnstored(Transport transport, Signal signal, WireFormat format, byte[] body) {
        int items;
        try {
            items = switch (signal) {
                case METRICS -> format == WireFormat.JSON ? OtlpSignalDecoder.countMetricDataPointsJson(body)
                        : OtlpSignalDecoder.countMetricDataPointsProtobuf(body);
                case LOGS -> format == WireFormat.JSON ? OtlpSignalDecoder.countLogRecordsJson(body)
                        : OtlpSignalDecoder.countLogRecordsProtobuf(body);
                case TRACES -> throw new IllegalArgumentException("traces are stored");
            };
        } catch (OtlpDecodeException e) {
            return failed(transport, ExportFailure.of(ExportFailure.Kind.MALFORMED, e.getMessage()));
        }
        metrics.unstored(signal, items);
        if (items == 0) {
            return new ExportResult.Accepted(signal, 0, "");
        }
        return new ExportResult.Accepted(signal, items, unstoredMessage(signal, items));
    }

    static String unstoredMessage(Signal signal, long items) {
        return "Spoor stores traces only and does not store " + (signal == Signal.METRICS ? "metrics" : "logs")
                + " (yet): " + items + " " + signal.items() + " were not stored";
    }

    private ExportResult failed(Transport transport, ExportFailure failure) {
        metrics.failedRequest(transport, failure.kind());
        return new ExportResult.Failed(failure);
    }

    private static CompletableFuture<DecodedTraces> decodeNow(WireFormat format, byte[] body) {
        try {
            return CompletableFuture.completedFuture(decode(format, body));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static DecodedTraces decode(WireFormat format, byte[] body) {
        return format == WireFormat.JSON ? OtlpTraceDecoder.decodeJson(body) : OtlpTraceDecoder.decodeProtobuf(body);
    }

    /** The {@code reason} tag of a refusal. */
    static String reasonTag(Admission.Refused refused) {
        return refused.reason().tag();
    }
}
