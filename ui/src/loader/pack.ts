// The loader worker's pure part: from the API's trace (and analysis) to the columns the page draws (traceData.ts).
import { Analysis, ApiTrace, Truncation, nanosToMicros } from '../api';
import { criticalPath } from '../analysis/criticalPath';
import { errorOrigin } from '../analysis/errorOrigin';
import { latencyByService, selfTimes } from '../analysis/latency';
import { Span, fromApi } from '../analysis/model';
import { Tree, buildTree } from '../analysis/tree';
import { minimapPixels } from '../waterfall/minimap';
import { ERROR, ORPHAN, ServiceLatency, TraceData } from './traceData';

export interface Insight {
  critical: Map<number, { start: number; end: number }[]>;
  origin: Analysis['errorOrigin'];
  latency: ServiceLatency[];
  source: 'server' | 'browser';
}

/** The server's analysis (GET /api/v1/traces/{id}/analysis) keyed by span index; times in µs. */
export function fromServer(a: Analysis, tree: Tree): Insight {
  const critical = new Map<number, { start: number; end: number }[]>();
  for (const s of a.criticalPath) {
    const i = tree.index.get(s.spanId);
    if (i === undefined) continue;
    const list = critical.get(i) ?? [];
    list.push({ start: nanosToMicros(s.startTimeUnixNano), end: nanosToMicros(s.endTimeUnixNano) });
    critical.set(i, list);
  }
  return { critical, origin: a.errorOrigin, source: 'server',
    latency: a.latencyByService.map((l) => ({ serviceName: l.serviceName, selfTime: Number(l.selfTimeNanos) / 1000,
      spanCount: l.spanCount })) };
}

/** The same analysis computed here, used when the server has no analysis endpoint (an older Spoor). */
export function fromBrowser(tree: Tree, self: Float64Array): Insight {
  const critical = new Map<number, { start: number; end: number }[]>();
  for (const s of criticalPath(tree)) {
    const i = tree.index.get(s.spanId)!;
    const list = critical.get(i) ?? [];
    list.push({ start: s.start, end: s.end });
    critical.set(i, list);
  }
  return { critical, origin: errorOrigin(tree), latency: latencyByService(tree, self), source: 'browser' };
}

/** A parsed trace as the worker keeps it: the spans (with their raw API objects) and their tree. */
export interface Loaded {
  traceId: string;
  spans: Span[];
  tree: Tree;
  self: Float64Array;
  truncated?: Truncation;
}

export function load(raw: ApiTrace): Loaded {
  const spans = fromApi(raw);
  const tree = buildTree(spans);
  return { traceId: raw.traceId, spans, tree, self: selfTimes(tree), truncated: raw.truncated };
}

export function insightOf(loaded: Loaded, analysis: Analysis | null): Insight {
  return analysis ? fromServer(analysis, loaded.tree) : fromBrowser(loaded.tree, loaded.self);
}

/**
 * The columns of a loaded trace. Every typed array is new (none is shared with the tree, which the worker keeps),
 * so that all of them can be transferred.
 */
export function pack(loaded: Loaded, insight: Insight): TraceData {
  const { tree, spans, self } = loaded;
  const n = spans.length;
  const codes = new Map<string, number>();
  const strings: string[] = [];
  const code = (s: string) => {
    let c = codes.get(s);
    if (c === undefined) {
      c = strings.length;
      strings.push(s);
      codes.set(s, c);
    }
    return c;
  };
  const service = new Int32Array(n);
  const name = new Int32Array(n);
  const kind = new Int32Array(n);
  const idEnd = new Int32Array(n);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const flags = new Uint8Array(n);
  const ids: string[] = new Array(n);
  const warnings: [number, string[]][] = [];
  let at = 0;
  let traceStart = Infinity;
  let traceEnd = -Infinity;
  let errorCount = 0;
  for (let i = 0; i < n; i++) {
    const s = spans[i];
    service[i] = code(s.service);
    name[i] = code(s.name);
    kind[i] = code(s.kind);
    ids[i] = s.id;
    at += s.id.length;
    idEnd[i] = at;
    start[i] = s.start;
    end[i] = s.end;
    if (s.start < traceStart) traceStart = s.start;
    if (s.end > traceEnd) traceEnd = s.end;
    if (s.error) {
      flags[i] |= ERROR;
      errorCount++;
    }
    if (tree.orphans.has(i)) flags[i] |= ORPHAN;
    const w = s.raw?.warnings;
    if (w?.length) warnings.push([i, w]);
  }
  const childStart = new Int32Array(n + 1);
  const childList = new Int32Array(n);
  for (let i = 0, k = 0; i < n; i++) {
    childStart[i] = k;
    for (const c of tree.children[i]) childList[k++] = c;
    childStart[i + 1] = k;
  }
  const critStart = new Int32Array(n + 1);
  let segments = 0;
  for (const list of insight.critical.values()) segments += list.length;
  const segStart = new Float64Array(segments);
  const segEnd = new Float64Array(segments);
  for (let i = 0, k = 0; i < n; i++) {
    critStart[i] = k;
    for (const seg of insight.critical.get(i) ?? []) {
      segStart[k] = seg.start;
      segEnd[k++] = seg.end;
    }
    critStart[i + 1] = k;
  }
  let maxDepth = 0;
  for (let i = 0; i < n; i++) if (tree.depth[i] > maxDepth) maxDepth = tree.depth[i];
  const seen = new Set<string>();
  for (const i of tree.preOrder) seen.add(spans[i].service);
  const originIndex = insight.origin ? tree.index.get(insight.origin.spanId) ?? -1 : -1;
  return {
    traceId: loaded.traceId, n, strings, service, name, kind, ids: ids.join(''), idEnd, start, end,
    self: self.slice(), flags, parent: tree.parent.slice(), depth: tree.depth.slice(), preOrder: tree.preOrder.slice(),
    childStart, childList, roots: Int32Array.from(tree.roots), critStart, segStart, segEnd, warnings,
    origin: insight.origin ? { ...insight.origin, index: originIndex } : null,
    latency: insight.latency, source: insight.source, serviceOrder: [...seen],
    traceStart: n ? traceStart : 0, traceEnd: n ? traceEnd : 0, maxDepth, errorCount, truncated: loaded.truncated ?? null,
  };
}

/** What the worker keeps of the columns to draw the minimap (copies: the columns themselves are transferred). */
export interface MinimapInput {
  preOrder: Int32Array;
  start: Float64Array;
  end: Float64Array;
  flags: Uint8Array;
  service: Int32Array;
  strings: string[];
  traceStart: number;
  traceEnd: number;
}

export function minimapInput(d: TraceData): MinimapInput {
  return { preOrder: d.preOrder.slice(), start: d.start.slice(), end: d.end.slice(), flags: d.flags.slice(),
    service: d.service.slice(), strings: d.strings, traceStart: d.traceStart, traceEnd: d.traceEnd };
}

/**
 * The minimap's RGBA pixels (waterfall/minimap.ts), drawn here so that the page's main thread does not walk
 * every span: error spans in `error`, the others in their service's colour (0xrrggbb, as the page hands them out).
 */
export function minimap(m: MinimapInput, width: number, height: number, colours: Map<string, number>,
  error: number): Uint8ClampedArray {
  const rgb = new Int32Array(m.strings.length);
  m.strings.forEach((s, code) => {
    rgb[code] = colours.get(s) ?? 0x999999;
  });
  const out = new Uint8ClampedArray(Math.max(width, 0) * Math.max(height, 0) * 4);
  minimapPixels(m.preOrder, m.start, m.end, m.traceStart, m.traceEnd,
    (i) => ((m.flags[i] & ERROR) !== 0 ? error : rgb[m.service[i]]), width, height, out);
  return out;
}

/**
 * Find in trace: the spans whose name or service contains the text, whose id is the text, or one of whose
 * attributes reads `key=value` (value as JSON) containing it; all case-insensitive. In pre-order (row order).
 */
export function find(loaded: Loaded, text: string): Int32Array {
  const q = text.trim().toLowerCase();
  if (!q) return new Int32Array(0);
  const hit = new Uint8Array(loaded.spans.length);
  loaded.spans.forEach((s, i) => {
    if (s.name.toLowerCase().includes(q) || s.service.toLowerCase().includes(q) || s.id === q
      || s.raw?.attributes?.some((a) => `${a.key}=${JSON.stringify(a.value)}`.toLowerCase().includes(q))) {
      hit[i] = 1;
    }
  });
  const out: number[] = [];
  for (const i of loaded.tree.preOrder) if (hit[i]) out.push(i);
  return Int32Array.from(out);
}
