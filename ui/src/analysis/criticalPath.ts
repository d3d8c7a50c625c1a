import { Tree, followsFromParent } from './tree';

export interface Segment { spanId: string; start: number; end: number }

/**
 * Jaeger UI's critical path (same algorithm as io.spoor.query.analysis.CriticalPath, see there): clamp children
 * to their parent, drop children outside it and FOLLOWS_FROM children, walk back from the last-finishing child.
 * Segments come latest first. Iterative, so a very deep trace cannot overflow the stack.
 */
export function criticalPath(tree: Tree): Segment[] {
  const path: Segment[] = [];
  if (!tree.roots.length) return path;
  const n = tree.spans.length;
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const kept = new Uint8Array(n);
  const kids: number[][] = new Array(n);
  const root = tree.roots[0];
  start[root] = tree.spans[root].start;
  end[root] = Math.max(start[root], tree.spans[root].end);
  kept[root] = 1;
  for (const i of tree.preOrder) {
    if (!kept[i]) continue;
    const mine: number[] = [];
    for (const c of tree.children[i]) {
      const cs = tree.spans[c].start;
      const ce = Math.max(cs, tree.spans[c].end);
      if (followsFromParent(tree, c) || cs > end[i] || ce < start[i]) continue;
      start[c] = Math.max(cs, start[i]);
      end[c] = Math.min(ce, end[i]);
      kept[c] = 1;
      mine.push(c);
    }
    mine.sort((a, b) => end[b] - end[a]);
    kids[i] = mine;
  }
  const add = (i: number, from: number, to: number) => {
    if (from !== to) path.push({ spanId: tree.spans[i].id, start: from, end: to });
  };
  let current = root;
  let returning = false;
  let spawn = 0;
  for (;;) {
    const sectionEnd = returning ? spawn : end[current];
    let lfc = -1;
    for (const c of kids[current]) {
      if (!returning || end[c] < spawn) {
        lfc = c;
        break;
      }
    }
    if (lfc >= 0) {
      add(current, end[lfc], sectionEnd);
      current = lfc;
      returning = false;
    } else {
      add(current, start[current], sectionEnd);
      if (current === root) break;
      spawn = start[current];
      current = tree.parent[current];
      returning = true;
    }
  }
  return path;
}
