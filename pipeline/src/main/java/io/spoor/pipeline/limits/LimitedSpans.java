package io.spoor.pipeline.limits;

import io.spoor.model.Span;
import java.util.List;
import java.util.Objects;

/**
 * What {@link SpanLimiter#apply} lets through of one request, and what it tells the client.
 *
 * @param spans          the spans to store, in their order, trimmed where they exceeded a limit
 * @param refusedSpans   spans refused (for OTLP's {@code partial_success.rejected_spans})
 * @param refusalMessage "" when none was refused; otherwise how many, why, and the first span of each reason
 * @param changeMessage  "" when nothing was truncated or dropped; otherwise what was, and the first example
 */
public record LimitedSpans(List<Span> spans, int refusedSpans, String refusalMessage, String changeMessage) {
    public LimitedSpans {
        Objects.requireNonNull(spans, "spans");
        Objects.requireNonNull(refusalMessage, "refusalMessage");
        Objects.requireNonNull(changeMessage, "changeMessage");
    }

    /** Both messages, for a client that gets one text ("" when there is nothing to say). */
    public String message() {
        if (refusalMessage.isEmpty()) {
            return changeMessage;
        }
        return changeMessage.isEmpty() ? refusalMessage : refusalMessage + "; " + changeMessage;
    }
}
