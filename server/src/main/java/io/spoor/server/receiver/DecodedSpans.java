package io.spoor.server.receiver;

import io.spoor.model.Span;
import java.util.List;

/**
 * The spans decoded from one request, whatever the format: those kept, and how many were dropped and why
 * ({@code rejectionMessage} is "" when none was).
 */
public record DecodedSpans(List<Span> spans, long rejected, String rejectionMessage) {
    public static DecodedSpans of(List<Span> spans) {
        return new DecodedSpans(spans, 0, "");
    }
}
