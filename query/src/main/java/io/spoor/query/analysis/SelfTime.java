package io.spoor.query.analysis;

import java.util.Arrays;
import java.util.List;

/**
 * Self time of each span: its duration minus the union of its children's time, each child clamped to the span
 * (a child that overflows its parent, e.g. from clock skew, only covers the part inside). Every child counts,
 * asynchronous ones included: while a child runs, the parent's own code is not what the time is spent on.
 */
final class SelfTime {
    private SelfTime() {
    }

    static long[] compute(SpanTree tree) {
        int n = tree.size();
        long[] self = new long[n];
        for (int i = 0; i < n; i++) {
            var s = tree.spans.get(i);
            long ps = s.startEpochNanos();
            long pe = Math.max(ps, s.endEpochNanos());
            List<Integer> cs = tree.children.get(i);
            long[][] iv = new long[cs.size()][];
            int k = 0;
            for (int c : cs) {
                long a = Math.max(ps, tree.spans.get(c).startEpochNanos());
                long b = Math.min(pe, tree.spans.get(c).endEpochNanos());
                if (b > a) {
                    iv[k++] = new long[] {a, b};
                }
            }
            long[][] used = Arrays.copyOf(iv, k);
            Arrays.sort(used, (x, y) -> Long.compare(x[0], y[0]));
            long covered = 0;
            long curS = 0;
            long curE = -1;
            boolean open = false;
            for (long[] v : used) {
                if (!open || v[0] > curE) {
                    if (open) {
                        covered += curE - curS;
                    }
                    curS = v[0];
                    curE = v[1];
                    open = true;
                } else {
                    curE = Math.max(curE, v[1]);
                }
            }
            if (open) {
                covered += curE - curS;
            }
            self[i] = (pe - ps) - covered;
        }
        return self;
    }
}
