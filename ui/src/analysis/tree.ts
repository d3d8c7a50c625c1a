import { Span } from './model';

/**
 * Parent/child structure of one trace. Spans must be sorted by start time (the API's order), so children are
 * in start order. Spans whose parent is not in the trace are orphans and become roots of their own subtrees;
 * the trace's root (the earliest parentless span, else the earliest orphan) comes first. A parent cycle
 * (corrupt data) is broken where the walk comes back to a span it has seen.
 */
export interface Tree {
  spans: Span[];
  index: Map<string, number>;
  parent: Int32Array;
  depth: Int32Array;
  children: number[][];
  roots: number[];
  /** Pre-order: parents before children, subtrees in start order. */
  preOrder: Int32Array;
  /** Span indexes whose parent id names a span that is not in the trace. */
  orphans: Set<number>;
}

export function buildTree(spans: Span[]): Tree {
  const n = spans.length;
  const index = new Map<string, number>();
  spans.forEach((s, i) => {
    if (!index.has(s.id)) index.set(s.id, i);
  });
  const parent = new Int32Array(n).fill(-1);
  const orphans = new Set<number>();
  for (let i = 0; i < n; i++) {
    const pid = spans[i].parentId;
    if (!pid) continue;
    const p = index.get(pid);
    if (p === undefined) orphans.add(i);
    else if (p !== i) parent[i] = p;
  }
  const state = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const chain: number[] = [];
    let c = i;
    while (c !== -1 && state[c] === 0) {
      state[c] = 1;
      chain.push(c);
      c = parent[c];
    }
    if (c !== -1 && state[c] === 1) parent[c] = -1;
    for (const x of chain) state[x] = 2;
  }
  let traceRoot = -1;
  for (let i = 0; i < n; i++) {
    if (!spans[i].parentId) {
      traceRoot = i;
      break;
    }
  }
  if (traceRoot < 0) for (const i of orphans) if (traceRoot < 0 || i < traceRoot) traceRoot = i;
  if (traceRoot < 0 && n > 0) traceRoot = 0;
  const children: number[][] = Array.from({ length: n }, () => []);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    if (parent[i] === -1) {
      if (i === traceRoot) roots.unshift(i);
      else roots.push(i);
    } else children[parent[i]].push(i);
  }
  const depth = new Int32Array(n);
  const preOrder = new Int32Array(n);
  let k = 0;
  const stack: number[] = [];
  for (let r = roots.length - 1; r >= 0; r--) stack.push(roots[r]);
  while (stack.length) {
    const i = stack.pop()!;
    preOrder[k++] = i;
    const cs = children[i];
    for (let c = cs.length - 1; c >= 0; c--) {
      depth[cs[c]] = depth[i] + 1;
      stack.push(cs[c]);
    }
  }
  return { spans, index, parent, depth, children, roots, preOrder, orphans };
}

/** True when the span follows from its parent (FOLLOWS_FROM): a CONSUMER under a PRODUCER, or the shim's link. */
export function followsFromParent(tree: Tree, i: number): boolean {
  const p = tree.parent[i];
  if (p < 0) return false;
  const s = tree.spans[i];
  const ps = tree.spans[p];
  return (s.kind === 'CONSUMER' && ps.kind === 'PRODUCER') || s.followsFromLinkTo === ps.id;
}
