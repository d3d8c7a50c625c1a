/** What the rows need of a trace's tree (TraceView has it). */
export interface Outline {
  readonly n: number;
  readonly preOrder: Int32Array;
  readonly depth: Int32Array;
  childCount(i: number): number;
}

/**
 * The rows the waterfall shows: spans in pre-order (parents before children, siblings in start order), the
 * trace's root subtree first and subtrees of orphans (parent missing) after it, skipping the descendants of
 * collapsed spans. O(n), so re-laying out a 100,000-span trace on every collapse stays cheap.
 */
export function visibleRows(tree: Outline, collapsed: ReadonlySet<number>): Int32Array {
  const n = tree.n;
  if (collapsed.size === 0) return tree.preOrder;
  const out = new Int32Array(n);
  let k = 0;
  let skipUntilDepth = -1;
  for (const i of tree.preOrder) {
    const d = tree.depth[i];
    if (skipUntilDepth >= 0) {
      if (d > skipUntilDepth) continue;
      skipUntilDepth = -1;
    }
    out[k++] = i;
    if (collapsed.has(i) && tree.childCount(i)) skipUntilDepth = d;
  }
  return out.subarray(0, k);
}

/**
 * Where a span's bar sits in the visible time window, as fractions of the window's width; the part outside the
 * window is cut off (a child overflowing its parent, a zoomed view). Null when the span lies wholly outside.
 * A bar is at least `minFraction` wide so that instant spans stay visible and clickable.
 */
export function barGeometry(start: number, end: number, viewStart: number, viewEnd: number,
  minFraction = 0.002): { left: number; width: number } | null {
  const span = viewEnd - viewStart;
  if (span <= 0 || end < viewStart || start > viewEnd) return null;
  const a = Math.max(start, viewStart);
  const b = Math.min(end, viewEnd);
  const left = (a - viewStart) / span;
  const width = Math.max((b - a) / span, minFraction);
  return { left, width: Math.min(width, 1 - left + minFraction) };
}

/** Ruler ticks at round durations (1, 2, 5 × 10^k µs) relative to the trace start. */
export function ticks(viewStart: number, viewEnd: number, traceStart: number, maxTicks = 8):
  { fraction: number; label: string }[] {
  const span = viewEnd - viewStart;
  if (span <= 0) return [];
  const raw = span / maxTicks;
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
  const out: { fraction: number; label: string }[] = [];
  const first = Math.ceil((viewStart - traceStart) / step) * step;
  for (let t = first; traceStart + t <= viewEnd + 1e-9; t += step) {
    out.push({ fraction: (traceStart + t - viewStart) / span, label: formatDuration(t) });
  }
  return out;
}

/** Microseconds to a short human duration: 950µs, 12.3ms, 1.25s, 2m 3s. */
export function formatDuration(us: number): string {
  const a = Math.abs(us);
  if (a === 0) return '0';
  if (a < 1) return `${+(us * 1000).toFixed(0)}ns`;
  if (a < 1000) return `${+us.toFixed(a < 10 ? 2 : 0)}µs`;
  if (a < 1e6) return `${+(us / 1000).toFixed(a < 1e4 ? 2 : a < 1e5 ? 1 : 0)}ms`;
  if (a < 6e7) return `${+(us / 1e6).toFixed(a < 1e7 ? 2 : 1)}s`;
  const m = Math.floor(a / 6e7);
  return `${us < 0 ? '-' : ''}${m}m ${Math.round((a - m * 6e7) / 1e6)}s`;
}
