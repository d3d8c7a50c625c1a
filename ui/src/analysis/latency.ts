import { Tree } from './tree';

/**
 * Self time of every span: duration minus the union of its children's time clamped to the span. All children
 * count, asynchronous ones too (same rule as io.spoor.query.analysis.SelfTime).
 */
export function selfTimes(tree: Tree): Float64Array {
  const n = tree.spans.length;
  const self = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = tree.spans[i];
    const ps = s.start;
    const pe = Math.max(ps, s.end);
    const iv: [number, number][] = [];
    for (const c of tree.children[i]) {
      const a = Math.max(ps, tree.spans[c].start);
      const b = Math.min(pe, tree.spans[c].end);
      if (b > a) iv.push([a, b]);
    }
    iv.sort((x, y) => x[0] - y[0]);
    let covered = 0;
    let curS = 0;
    let curE = -Infinity;
    for (const [a, b] of iv) {
      if (a > curE) {
        if (curE > -Infinity) covered += curE - curS;
        curS = a;
        curE = b;
      } else curE = Math.max(curE, b);
    }
    if (curE > -Infinity) covered += curE - curS;
    self[i] = pe - ps - covered;
  }
  return self;
}

export interface ServiceLatency { serviceName: string; selfTime: number; spanCount: number }

/** Self time per service, largest first, ties by name. */
export function latencyByService(tree: Tree, self = selfTimes(tree)): ServiceLatency[] {
  const acc = new Map<string, ServiceLatency>();
  tree.spans.forEach((s, i) => {
    let e = acc.get(s.service);
    if (!e) acc.set(s.service, (e = { serviceName: s.service, selfTime: 0, spanCount: 0 }));
    e.selfTime += self[i];
    e.spanCount++;
  });
  return [...acc.values()].sort((a, b) => b.selfTime - a.selfTime
    || (a.serviceName < b.serviceName ? -1 : a.serviceName > b.serviceName ? 1 : 0));
}
