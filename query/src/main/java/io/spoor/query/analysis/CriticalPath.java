package io.spoor.query.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Jaeger UI's critical-path algorithm (packages/jaeger-ui/src/components/TracePage/CriticalPath): children are
 * clamped to their parent's time window (children wholly outside are dropped with their subtrees), FOLLOWS_FROM
 * children are ignored, and the path is walked back from the last-finishing child: the part of a span after its
 * last-finishing child is critical, then that child is followed; when a span has no child that ends before the
 * point we returned from, its remainder is critical and we climb back to its parent with the span's start as the
 * new spawn point. Iterative, so a 100,000-deep chain cannot overflow the stack.
 */
final class CriticalPath {
    private CriticalPath() {
    }

    /** The critical segments of the trace root's subtree, latest first (the order the walk finds them). */
    static List<CriticalSegment> compute(SpanTree tree) {
        List<CriticalSegment> path = new ArrayList<>();
        if (tree.roots.isEmpty()) {
            return path;
        }
        int n = tree.size();
        long[] start = new long[n];
        long[] end = new long[n];
        boolean[] kept = new boolean[n];
        // children of each span that take part (clamped, CHILD_OF), sorted by clamped end descending
        List<List<Integer>> kids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            kids.add(null);
        }
        int root = tree.roots.get(0);
        start[root] = tree.spans.get(root).startEpochNanos();
        end[root] = Math.max(start[root], tree.spans.get(root).endEpochNanos());
        kept[root] = true;
        for (int i : tree.preOrder) {
            if (!kept[i]) {
                continue;
            }
            List<Integer> mine = new ArrayList<>();
            for (int c : tree.children.get(i)) {
                long cs = tree.spans.get(c).startEpochNanos();
                long ce = Math.max(cs, tree.spans.get(c).endEpochNanos());
                if (tree.followsFromParent(c) || cs > end[i] || ce < start[i]) {
                    continue; // asynchronous, or wholly outside its parent: not part of the parent's time
                }
                start[c] = Math.max(cs, start[i]);
                end[c] = Math.min(ce, end[i]);
                kept[c] = true;
                mine.add(c);
            }
            mine.sort(Comparator.comparingLong((Integer c) -> end[c]).reversed());
            kids.set(i, mine);
        }

        int current = root;
        boolean returning = false;
        long spawn = 0;
        while (true) {
            long sectionEnd = returning ? spawn : end[current];
            int lfc = -1;
            for (int c : kids.get(current)) {
                if (!returning || end[c] < spawn) {
                    lfc = c;
                    break;
                }
            }
            if (lfc >= 0) {
                add(path, tree, current, end[lfc], sectionEnd);
                current = lfc;
                returning = false;
            } else {
                add(path, tree, current, start[current], sectionEnd);
                if (current == root) {
                    break;
                }
                spawn = start[current];
                current = tree.parent[current];
                returning = true;
            }
        }
        return path;
    }

    private static void add(List<CriticalSegment> path, SpanTree tree, int span, long from, long to) {
        if (from != to) {
            path.add(new CriticalSegment(tree.spans.get(span).spanId(), from, to));
        }
    }
}
