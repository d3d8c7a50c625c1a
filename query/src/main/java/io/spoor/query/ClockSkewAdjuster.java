package io.spoor.query;

import io.spoor.model.AttributeValue;
import io.spoor.model.Span;
import io.spoor.model.SpanEvent;
import io.spoor.model.SpanId;
import io.spoor.model.Trace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jaeger's clock-skew adjustment (its query adjuster {@code clockskew.go}), applied when a trace is assembled. Spans
 * from different hosts carry timestamps from different clocks; when a child span does not fit inside its parent, and
 * the two were recorded on different hosts, the child (with everything below it on the same host) is shifted so
 * that it sits in the middle of its parent: the network latency is assumed to split half each way,
 * {@code child.start = parent.start + (parent.duration − child.duration) / 2}. A child that lasted longer than its
 * parent (async work, or a parent that timed out) is only moved so that it does not start before the parent.
 *
 * <p>The host of a span is the first of the resource attributes {@code host.id}, {@code host.ip},
 * {@code host.name}, then the span attribute {@code network.local.address} (a Zipkin local endpoint's address), and
 * failing all of those the service instance ({@code service.name} + {@code service.instance.id}): spans of one process
 * share a clock and are never adjusted against each other.
 *
 * <p>Every shifted span gets a warning saying by how much; a shift larger than {@code maxDeltaNanos} (when positive)
 * is not applied, and says so in a warning instead.
 */
public final class ClockSkewAdjuster {
    private final long maxDeltaNanos;

    /** {@code maxDeltaNanos} ≤ 0 means no limit. */
    public ClockSkewAdjuster(long maxDeltaNanos) {
        this.maxDeltaNanos = maxDeltaNanos;
    }

    static String hostKey(Span s) {
        var r = s.resource().attributes();
        for (String k : new String[] {"host.id", "host.ip", "host.name"}) {
            var v = r.get(k);
            if (v.isPresent()) {
                String text = v.get() instanceof AttributeValue.ArrayValue a && !a.values().isEmpty()
                        ? a.values().get(0).asString() : v.get().asString();
                if (!text.isEmpty()) {
                    return k + "=" + text;
                }
            }
        }
        var local = s.attributes().getString("network.local.address");
        if (local.isPresent() && !local.get().isEmpty()) {
            return "ip=" + local.get();
        }
        return "service=" + s.serviceName() + "/" + r.getString("service.instance.id").orElse("");
    }

    private record Frame(Span span, Span adjustedParent, String skewHost, long delta) {
    }

    public AssembledTrace adjust(Trace trace) {
        List<Span> spans = trace.spans();
        Map<Long, List<Span>> children = new HashMap<>();
        Map<Long, Span> byId = new HashMap<>(spans.size() * 2);
        for (Span s : spans) {
            byId.put(s.spanId(), s);
        }
        List<Span> roots = new ArrayList<>();
        for (Span s : spans) {
            if (s.parentSpanId() == SpanId.NONE || !byId.containsKey(s.parentSpanId())
                    || s.parentSpanId() == s.spanId()) {
                roots.add(s);
            } else {
                children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
            }
        }
        Map<Long, Span> adjusted = new LinkedHashMap<>(spans.size() * 2);
        Map<Long, List<String>> warnings = new HashMap<>();
        Deque<Frame> stack = new ArrayDeque<>();
        for (Span root : roots) {
            stack.push(new Frame(root, null, hostKey(root), 0));
        }
        boolean changed = false;
        while (!stack.isEmpty()) {
            Frame f = stack.pop();
            Span s = f.span();
            if (adjusted.containsKey(s.spanId())) {
                continue; // a cycle of parent ids; each span is visited once
            }
            String host = hostKey(s);
            long delta = f.delta();
            String skewHost = f.skewHost();
            if (f.adjustedParent() != null && !host.equals(skewHost)) {
                skewHost = host;
                delta = skew(s, f.adjustedParent());
            }
            Span out = s;
            if (delta != 0) {
                if (maxDeltaNanos > 0 && Math.abs(delta) > maxDeltaNanos) {
                    warnings.computeIfAbsent(s.spanId(), k -> new ArrayList<>()).add(
                            "clock skew adjustment of " + Durations.format(delta) + " exceeds the maximum of "
                                    + Durations.format(maxDeltaNanos) + "; not applied");
                } else {
                    out = shift(s, delta);
                    changed = true;
                    warnings.computeIfAbsent(s.spanId(), k -> new ArrayList<>()).add(
                            "clock skew adjusted: timestamps shifted by " + Durations.format(delta)
                                    + " to fit inside the parent span, recorded on another host");
                }
            }
            adjusted.put(s.spanId(), out);
            for (Span c : children.getOrDefault(s.spanId(), List.of())) {
                stack.push(new Frame(c, out, skewHost, delta));
            }
        }
        if (!changed) {
            return new AssembledTrace(trace, warnings);
        }
        List<Span> result = new ArrayList<>(spans.size());
        for (Span s : spans) {
            result.add(adjusted.getOrDefault(s.spanId(), s));
        }
        return new AssembledTrace(new Trace(trace.traceId(), result), warnings);
    }

    /** Jaeger's calculateSkew: 0 when the child fits (or cannot be helped), else the shift that centres it. */
    static long skew(Span child, Span parent) {
        long parentDuration = parent.durationNanos();
        long childDuration = child.durationNanos();
        long parentEnd = parent.startEpochNanos() + parentDuration;
        long childEnd = child.startEpochNanos() + childDuration;
        if (childDuration > parentDuration) {
            return child.startEpochNanos() < parent.startEpochNanos()
                    ? parent.startEpochNanos() - child.startEpochNanos() : 0;
        }
        if (child.startEpochNanos() >= parent.startEpochNanos() && childEnd <= parentEnd) {
            return 0;
        }
        long latency = (parentDuration - childDuration) / 2;
        return parent.startEpochNanos() + latency - child.startEpochNanos();
    }

    private static Span shift(Span s, long delta) {
        List<SpanEvent> events = s.events();
        if (!events.isEmpty()) {
            List<SpanEvent> moved = new ArrayList<>(events.size());
            for (SpanEvent e : events) {
                moved.add(new SpanEvent(e.epochNanos() + delta, e.name(), e.attributes(), e.droppedAttributesCount()));
            }
            events = moved;
        }
        return s.toBuilder().startEpochNanos(s.startEpochNanos() + delta).endEpochNanos(s.endEpochNanos() + delta)
                .events(events).build();
    }
}
