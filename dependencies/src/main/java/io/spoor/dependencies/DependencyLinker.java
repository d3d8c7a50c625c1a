package io.spoor.dependencies;

import io.spoor.model.DependencyLink;
import io.spoor.model.SharedSpans;
import io.spoor.model.Span;
import io.spoor.model.SpanId;
import io.spoor.model.SpanKind;
import io.spoor.model.Trace;
import io.spoor.model.TraceId;
import io.spoor.storage.TimeWindow;
import io.spoor.storage.TraceReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which calls between services one trace shows. A call is counted once, at one point in time, so that counts over any
 * time window add up:
 * <ol>
 *   <li>every span whose parent is in the trace and belongs to <em>another</em> service is one call from the parent's
 *       service to the span's service, at the span's start (a server span under its caller's client span, a consumer
 *       under a producer, a Zipkin shared server half under its client half). It failed when the span has status
 *       ERROR, or when the parent is the client (or producer) side of the call and has status ERROR;</li>
 *   <li>every client or producer span with no child in another service — its peer never reported — is one call to
 *       the service named by its {@code peer.service} attribute, else {@code server.address}, else the legacy
 *       {@code net.peer.name}, at the client span's start, failed when the client span has status ERROR. (Zipkin's
 *       {@code remoteEndpoint.serviceName} arrives as {@code peer.service}.)</li>
 * </ol>
 * A span whose parent is missing from the trace links nothing: its caller is unknown.
 *
 * <p>The write side (aggregation into buckets) and the read side (dependencies of a window) both count with this
 * class, which is why their sum is exact.
 */
public final class DependencyLinker {
    /** Where the peer of a client span whose callee never reported is named, in order of preference. */
    static final List<String> PEER_ATTRIBUTES = List.of("peer.service", "server.address", "net.peer.name");

    private DependencyLinker() {
    }

    /** One call: at {@code epochNanos}, from {@code parent} to {@code child}. */
    public record Call(String parent, String child, long epochNanos, boolean error) {
    }

    public static List<Call> calls(Trace trace) {
        List<Span> spans = SharedSpans.reparent(trace).spans();
        Map<Long, Span> byId = new HashMap<>(spans.size() * 2);
        for (Span s : spans) {
            byId.put(s.spanId(), s);
        }
        List<Call> calls = new ArrayList<>();
        Set<Long> calledOut = new HashSet<>(); // spans with a child in another service
        for (Span s : spans) {
            if (s.parentSpanId() == SpanId.NONE || s.parentSpanId() == s.spanId()) {
                continue;
            }
            Span parent = byId.get(s.parentSpanId());
            if (parent == null) {
                continue;
            }
            String from = parent.serviceName();
            String to = s.serviceName();
            if (from.equals(to)) {
                continue;
            }
            calledOut.add(parent.spanId());
            boolean clientSide = parent.kind() == SpanKind.CLIENT || parent.kind() == SpanKind.PRODUCER;
            calls.add(new Call(from, to, s.startEpochNanos(), s.isError() || clientSide && parent.isError()));
        }
        for (Span s : spans) {
            if ((s.kind() == SpanKind.CLIENT || s.kind() == SpanKind.PRODUCER) && !calledOut.contains(s.spanId())) {
                String peer = peer(s);
                if (peer != null && !peer.equals(s.serviceName())) {
                    calls.add(new Call(s.serviceName(), peer, s.startEpochNanos(), s.isError()));
                }
            }
        }
        return calls;
    }

    /**
     * Calls whose time lies in one of the windows, derived from the stored traces: every trace with a span starting
     * in a window is read once (a trace that spans two windows is not counted twice).
     */
    public static List<Call> callsIn(TraceReader reader, List<TimeWindow> windows) {
        Set<TraceId> seen = new HashSet<>();
        List<Call> calls = new ArrayList<>();
        for (TimeWindow w : windows) {
            reader.scanTraces(w, trace -> {
                if (!seen.add(trace.traceId())) {
                    return;
                }
                for (Call c : calls(trace)) {
                    for (TimeWindow x : windows) {
                        if (x.contains(c.epochNanos())) {
                            calls.add(c);
                            break;
                        }
                    }
                }
            });
        }
        return calls;
    }

    static String peer(Span s) {
        for (String k : PEER_ATTRIBUTES) {
            var v = s.attributes().getString(k);
            if (v.isPresent() && !v.get().isBlank()) {
                return v.get();
            }
        }
        return null;
    }

    /** Adds calls up into links, sorted by parent then child. */
    public static List<DependencyLink> aggregate(Iterable<Call> calls) {
        Map<String, Map<String, long[]>> counts = new TreeMap<>();
        for (Call c : calls) {
            long[] n = counts.computeIfAbsent(c.parent(), k -> new TreeMap<>()).computeIfAbsent(c.child(),
                    k -> new long[2]);
            n[0]++;
            if (c.error()) {
                n[1]++;
            }
        }
        return toLinks(counts);
    }

    /** Merges link lists (same parent and child add up), sorted by parent then child. */
    public static List<DependencyLink> merge(Iterable<DependencyLink> links) {
        Map<String, Map<String, long[]>> counts = new TreeMap<>();
        for (DependencyLink l : links) {
            long[] n = counts.computeIfAbsent(l.parent(), k -> new TreeMap<>()).computeIfAbsent(l.child(),
                    k -> new long[2]);
            n[0] += l.callCount();
            n[1] += l.errorCount();
        }
        return toLinks(counts);
    }

    private static List<DependencyLink> toLinks(Map<String, Map<String, long[]>> counts) {
        List<DependencyLink> out = new ArrayList<>();
        counts.forEach((parent, children) -> children.forEach((child, n) ->
                out.add(new DependencyLink(parent, child, n[0], n[1]))));
        return out;
    }
}
