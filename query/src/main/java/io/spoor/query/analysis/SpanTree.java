package io.spoor.query.analysis;

import io.spoor.model.Attribute;
import io.spoor.model.Span;
import io.spoor.model.SpanKind;
import io.spoor.model.SpanLink;
import io.spoor.model.Trace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parent/child structure of one trace, built once and shared by the analyses. Spans whose parent is not in
 * the trace (not arrived, dropped by a sampler) are <em>orphans</em>: they become roots of their own subtrees, so
 * nothing is lost, but only the trace's root subtree carries the critical path. Cycles (corrupt data) are broken
 * by treating the first span reached again as a root.
 */
final class SpanTree {
    final List<Span> spans;
    final Map<Long, Integer> index = new HashMap<>();
    final int[] parent;
    final int[] depth;
    final List<List<Integer>> children;
    /** Indexes of the subtree roots, the trace's root first. */
    final List<Integer> roots = new ArrayList<>();
    /** Pre-order (parents before children). */
    final int[] preOrder;

    SpanTree(Trace trace) {
        spans = trace.spans();
        int n = spans.size();
        parent = new int[n];
        depth = new int[n];
        children = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            index.putIfAbsent(spans.get(i).spanId(), i);
            children.add(new ArrayList<>(0));
        }
        for (int i = 0; i < n; i++) {
            Integer p = spans.get(i).isRoot() ? null : index.get(spans.get(i).parentSpanId());
            parent[i] = p == null || p == i ? -1 : p;
        }
        int traceRoot = trace.root().map(r -> index.get(r.spanId())).orElse(-1);
        // break cycles: walk each span's ancestor chain; a chain that comes back to a seen span is cut there
        int[] state = new int[n]; // 0 unvisited, 1 on the current chain, 2 done
        for (int i = 0; i < n; i++) {
            List<Integer> chain = new ArrayList<>();
            int c = i;
            while (c != -1 && state[c] == 0) {
                state[c] = 1;
                chain.add(c);
                c = parent[c];
            }
            if (c != -1 && state[c] == 1) {
                parent[c] = -1;
            }
            for (int x : chain) {
                state[x] = 2;
            }
        }
        for (int i = 0; i < n; i++) {
            if (parent[i] == -1) {
                if (i == traceRoot) {
                    roots.add(0, i);
                } else {
                    roots.add(i);
                }
            } else {
                children.get(parent[i]).add(i);
            }
        }
        preOrder = new int[n];
        int k = 0;
        Deque<Integer> stack = new ArrayDeque<>();
        for (int r = roots.size() - 1; r >= 0; r--) {
            stack.push(roots.get(r));
        }
        while (!stack.isEmpty()) {
            int i = stack.pop();
            preOrder[k++] = i;
            List<Integer> cs = children.get(i);
            for (int c = cs.size() - 1; c >= 0; c--) {
                depth[cs.get(c)] = depth[i] + 1;
                stack.push(cs.get(c));
            }
        }
    }

    int size() {
        return spans.size();
    }

    /**
     * True when the span follows from its parent rather than being part of it: OpenTelemetry has no
     * FOLLOWS_FROM reference, so Spoor recognises the two forms that carry that meaning — a CONSUMER span whose
     * parent is a PRODUCER span (asynchronous messaging), and the OpenTracing shim's link to the parent with
     * {@code opentracing.ref_type=follows_from}.
     */
    boolean followsFromParent(int i) {
        if (parent[i] < 0) {
            return false;
        }
        Span s = spans.get(i);
        Span p = spans.get(parent[i]);
        if (s.kind() == SpanKind.CONSUMER && p.kind() == SpanKind.PRODUCER) {
            return true;
        }
        for (SpanLink l : s.links()) {
            if (l.spanId() == p.spanId()) {
                for (Attribute a : l.attributes().asList()) {
                    if (a.key().equals("opentracing.ref_type") && "follows_from".equals(a.value().asString())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
