package io.spoor.protocol.otlp;

import io.spoor.model.Span;
import java.util.List;
import java.util.Objects;

/**
 * Spans decoded from one export; spans that cannot be kept are counted, not thrown, because OTLP answers
 * them with a partial success rather than failing the whole export.
 *
 * @param spans            the spans kept, in wire order
 * @param rejectedSpans    how many spans were dropped for invalid ids
 * @param rejectionMessage "" when none was rejected; otherwise the count and the first problem, e.g.
 *                         {@code "2 spans rejected: span 3 of resource 0: trace_id must be 16 bytes, got 0"}
 */
public record DecodedTraces(List<Span> spans, int rejectedSpans, String rejectionMessage) {
    public DecodedTraces {
        // One array copy per export, not per span: cheap, and keeps the value immutable.
        spans = List.copyOf(spans);
        Objects.requireNonNull(rejectionMessage, "rejectionMessage");
    }

    public static DecodedTraces empty() {
        return new DecodedTraces(List.of(), 0, "");
    }

    public boolean hasRejections() {
        return rejectedSpans > 0;
    }
}
