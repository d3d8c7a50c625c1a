package io.spoor.query.analysis;

import io.spoor.model.Trace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the trace page shows beside the waterfall: the critical path, where the failure started, and where the
 * latency comes from per service. Computed in one pass over a {@link SpanTree}.
 *
 * @param criticalPath     segments of the critical path, latest first
 * @param errorOrigin      the span where the failure started, when the trace has an error span
 * @param latencyByService self time per service, largest first (ties by name)
 */
public record TraceAnalysis(List<CriticalSegment> criticalPath, Optional<ErrorOrigin> errorOrigin,
                            List<ServiceLatency> latencyByService) {

    public TraceAnalysis {
        criticalPath = List.copyOf(criticalPath);
        latencyByService = List.copyOf(latencyByService);
    }

    public static TraceAnalysis of(Trace trace) {
        SpanTree tree = new SpanTree(trace);
        long[] self = SelfTime.compute(tree);
        Map<String, long[]> perService = new LinkedHashMap<>();
        for (int i = 0; i < tree.size(); i++) {
            long[] acc = perService.computeIfAbsent(tree.spans.get(i).serviceName(), k -> new long[2]);
            acc[0] += self[i];
            acc[1]++;
        }
        List<ServiceLatency> latency = new ArrayList<>();
        perService.forEach((name, acc) -> latency.add(new ServiceLatency(name, acc[0], (int) acc[1])));
        latency.sort(Comparator.comparingLong(ServiceLatency::selfTimeNanos).reversed()
                .thenComparing(ServiceLatency::serviceName));
        return new TraceAnalysis(CriticalPath.compute(tree), ErrorOrigin.find(tree), latency);
    }
}
