package io.spoor.query.analysis;

import io.spoor.model.Attributes;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import java.util.Optional;

/**
 * Where a failure started: the deepest error span that has no error descendant (an error below it would explain
 * its failure, so the failure began there instead), with the exception that the span recorded. Ties go to the
 * span that started first.
 *
 * @param exceptionType    {@code exception.type} of the span's last exception event; empty when none
 * @param message          {@code exception.message} of that event, else the span's status message; may be empty
 * @param exceptionStacktrace {@code exception.stacktrace} of that event; empty when none
 */
public record ErrorOrigin(long spanId, String serviceName, String spanName, String exceptionType, String message,
                          String exceptionStacktrace) {

    static Optional<ErrorOrigin> find(SpanTree tree) {
        int n = tree.size();
        boolean[] errorBelow = new boolean[n];
        // post-order via reversed pre-order: every child is seen before its parent
        for (int k = n - 1; k >= 0; k--) {
            int i = tree.preOrder[k];
            int p = tree.parent[i];
            if (p >= 0 && (errorBelow[i] || tree.spans.get(i).isError())) {
                errorBelow[p] = true;
            }
        }
        int best = -1;
        for (int i : tree.preOrder) {
            Span s = tree.spans.get(i);
            if (!s.isError() || errorBelow[i]) {
                continue;
            }
            if (best < 0 || tree.depth[i] > tree.depth[best]
                    || tree.depth[i] == tree.depth[best]
                    && s.startEpochNanos() < tree.spans.get(best).startEpochNanos()) {
                best = i;
            }
        }
        if (best < 0) {
            return Optional.empty();
        }
        Span s = tree.spans.get(best);
        Attributes exception = Attributes.EMPTY;
        for (SpanEvent e : s.events()) {
            if (SpanEvent.EXCEPTION.equals(e.name())) {
                exception = e.attributes();
            }
        }
        String message = exception.getString("exception.message").orElse(s.status().message());
        return Optional.of(new ErrorOrigin(s.spanId(), s.serviceName(), s.name(),
                exception.getString("exception.type").orElse(""), message,
                exception.getString("exception.stacktrace").orElse("")));
    }
}
