package io.spoor.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One search result: what a results list shows about a trace without loading it. */
public record TraceSummary(
        TraceId traceId,
        String rootServiceName,
        String rootSpanName,
        long startEpochNanos,
        long durationNanos,
        int spanCount,
        int errorCount,
        Map<String, Integer> spansPerService) {

    public TraceSummary {
        Objects.requireNonNull(traceId, "traceId");
        spansPerService = Map.copyOf(spansPerService);
    }

    public List<String> services() {
        return spansPerService.keySet().stream().sorted().toList();
    }

    public static TraceSummary of(Trace trace) {
        Span root = trace.root().orElse(null);
        return new TraceSummary(
                trace.traceId(),
                root == null ? "" : root.serviceName(),
                root == null ? "" : root.name(),
                trace.startEpochNanos(),
                trace.durationNanos(),
                trace.spans().size(),
                trace.errorCount(),
                trace.spansPerService());
    }
}
