package io.spoor.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Zipkin's shared spans in a model whose span ids are unique within a trace. Zipkin lets the server half of an RPC
 * reuse the client half's span id ({@code "shared": true}); Spoor stores that half under a derived id
 * ({@link #serverSpanId}) as a child of the client half, marked with the {@link #ATTRIBUTE} attribute (as Jaeger's
 * span-id deduper does at query time). Spans the server recorded below its half name the shared id as their parent;
 * {@link #reparent} moves them under the server half when a trace is read.
 */
public final class SharedSpans {
    /** Marks the server half of a shared span (boolean {@code true}). */
    public static final String ATTRIBUTE = "zipkin.shared";

    private SharedSpans() {
    }

    /** The id under which the server half of a shared span is stored: a fixed bijective mix of the shared id. */
    public static long serverSpanId(long sharedId) {
        long z = sharedId + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return z == 0 ? 1 : z;
    }

    public static boolean isSharedServerHalf(Span s) {
        return s.parentSpanId() != SpanId.NONE && s.spanId() == serverSpanId(s.parentSpanId())
                && s.attributes().get(ATTRIBUTE).map(v -> v instanceof AttributeValue.BoolValue b && b.value())
                .orElse(false);
    }

    /**
     * The trace with every span that names a shared id as its parent, and belongs to the server half's service,
     * moved under the server half. The same trace when it has no shared spans.
     */
    public static Trace reparent(Trace trace) {
        Map<Long, Span> serverHalves = null;
        for (Span s : trace.spans()) {
            if (isSharedServerHalf(s)) {
                if (serverHalves == null) {
                    serverHalves = new HashMap<>();
                }
                serverHalves.put(s.parentSpanId(), s);
            }
        }
        if (serverHalves == null) {
            return trace;
        }
        List<Span> out = new ArrayList<>(trace.spans().size());
        boolean changed = false;
        for (Span s : trace.spans()) {
            Span half = serverHalves.get(s.parentSpanId());
            if (half != null && half != s && half.spanId() != s.spanId()
                    && half.serviceName().equals(s.serviceName())) {
                out.add(s.toBuilder().parentSpanId(half.spanId()).build());
                changed = true;
            } else {
                out.add(s);
            }
        }
        return changed ? new Trace(trace.traceId(), out) : trace;
    }
}
