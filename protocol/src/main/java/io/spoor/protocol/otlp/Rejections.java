package io.spoor.protocol.otlp;

import io.spoor.model.Span;
import java.util.List;

/** Counts spans dropped during one decode and remembers the first reason, for the partial-success answer. */
final class Rejections {
    private int count;
    private String first;

    void reject(int resourceIndex, int spanIndex, String problem) {
        if (count++ == 0) {
            first = "span " + spanIndex + " of resource " + resourceIndex + ": " + problem;
        }
    }

    DecodedTraces result(List<Span> spans) {
        if (count == 0) {
            return new DecodedTraces(spans, 0, "");
        }
        String message = count + (count == 1 ? " span rejected: " : " spans rejected: ") + first;
        return new DecodedTraces(spans, count, message);
    }
}
