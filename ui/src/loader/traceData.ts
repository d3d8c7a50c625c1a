// A trace as the trace page draws it, in columns: what the loader worker builds (see pack.ts) and posts to the
// page. Plain data only (typed arrays, strings, small arrays), so it crosses postMessage cheaply: the typed
// arrays' buffers are transferred, not copied, and the strings are few (a table of distinct names and one string
// of all span ids) instead of one object per span, whose structured clone would block the page as long as the
// JSON parse it replaces. The attributes, events and links of a span stay in the worker: the page asks for one
// span's when it shows its detail.

import type { ErrorOrigin } from '../analysis/errorOrigin';
import type { Truncation } from '../api';

export const ERROR = 1;
export const ORPHAN = 2;

export interface ServiceLatency { serviceName: string; selfTime: number; spanCount: number }

export interface TraceData {
  traceId: string;
  n: number;
  /** Distinct services, operation names and kinds; the columns below hold indexes into it. */
  strings: string[];
  service: Int32Array;
  name: Int32Array;
  kind: Int32Array;
  /** All span ids, concatenated; span i's id ends at idEnd[i] and starts where span i-1's ends. */
  ids: string;
  idEnd: Int32Array;
  /** Epoch microseconds (floats), end ≥ start; self time in microseconds. */
  start: Float64Array;
  end: Float64Array;
  self: Float64Array;
  /** ERROR | ORPHAN (parent id names a span that is not in the trace). */
  flags: Uint8Array;
  parent: Int32Array;
  depth: Int32Array;
  /** Parents before children, the trace's root subtree first, siblings in start order. */
  preOrder: Int32Array;
  /** Children of span i: childList[childStart[i] .. childStart[i + 1]), in start order. */
  childStart: Int32Array;
  childList: Int32Array;
  roots: Int32Array;
  /** Critical-path segments of span i: [critStart[i], critStart[i + 1]) into segStart/segEnd (µs). */
  critStart: Int32Array;
  segStart: Float64Array;
  segEnd: Float64Array;
  /** Clock-skew warnings, only for the spans that have some. */
  warnings: [number, string[]][];
  origin: (ErrorOrigin & { index: number }) | null;
  latency: ServiceLatency[];
  /** 'server': the analysis endpoint's answer; 'browser': computed by the loader (an older server). */
  source: 'server' | 'browser';
  /** Services in order of first appearance in pre-order (the order colours are handed out in). */
  serviceOrder: string[];
  traceStart: number;
  traceEnd: number;
  maxDepth: number;
  errorCount: number;
  /** Set when the server answered only the trace's first spans. */
  truncated: Truncation | null;
}

/** The buffers of a TraceData's typed arrays, for postMessage's transfer list. */
export function buffersOf(d: TraceData): ArrayBuffer[] {
  const arrays = [d.service, d.name, d.kind, d.idEnd, d.start, d.end, d.self, d.flags, d.parent, d.depth,
    d.preOrder, d.childStart, d.childList, d.roots, d.critStart, d.segStart, d.segEnd];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/** Read access to a TraceData by span index (the index of the span in the API's answer). */
export class TraceView {
  readonly n: number;
  readonly preOrder: Int32Array;
  readonly depth: Int32Array;
  readonly parent: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly self: Float64Array;
  private readonly warningsOf: Map<number, string[]>;

  constructor(readonly data: TraceData) {
    this.n = data.n;
    this.preOrder = data.preOrder;
    this.depth = data.depth;
    this.parent = data.parent;
    this.start = data.start;
    this.end = data.end;
    this.self = data.self;
    this.warningsOf = new Map(data.warnings);
  }

  id(i: number): string {
    return this.data.ids.slice(i > 0 ? this.data.idEnd[i - 1] : 0, this.data.idEnd[i]);
  }

  name(i: number): string {
    return this.data.strings[this.data.name[i]];
  }

  service(i: number): string {
    return this.data.strings[this.data.service[i]];
  }

  kind(i: number): string {
    return this.data.strings[this.data.kind[i]];
  }

  error(i: number): boolean {
    return (this.data.flags[i] & ERROR) !== 0;
  }

  orphan(i: number): boolean {
    return (this.data.flags[i] & ORPHAN) !== 0;
  }

  childCount(i: number): number {
    return this.data.childStart[i + 1] - this.data.childStart[i];
  }

  children(i: number): Int32Array {
    return this.data.childList.subarray(this.data.childStart[i], this.data.childStart[i + 1]);
  }

  /** Clock-skew warnings of span i, undefined when it has none. */
  warnings(i: number): string[] | undefined {
    return this.warningsOf.get(i);
  }

  /** Number of spans with clock-skew warnings. */
  get skewedCount(): number {
    return this.warningsOf.size;
  }

  /** Critical-path segments of span i (µs), undefined when it is not on the critical path. */
  critical(i: number): { start: number; end: number }[] | undefined {
    const from = this.data.critStart[i];
    const to = this.data.critStart[i + 1];
    if (from === to) return undefined;
    const out: { start: number; end: number }[] = [];
    for (let k = from; k < to; k++) out.push({ start: this.data.segStart[k], end: this.data.segEnd[k] });
    return out;
  }

  /** The index of the span with this id (the first, if ids repeat), -1 when there is none. */
  indexOf(id: string): number {
    const { ids, idEnd, n } = this.data;
    if (!id) return -1;
    for (let at = ids.indexOf(id); at >= 0; at = ids.indexOf(id, at + 1)) {
      // the span whose id starts at `at`, if any: the first i with idEnd[i] > at must start exactly there
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (idEnd[mid] > at) hi = mid;
        else lo = mid + 1;
      }
      const from = lo > 0 ? idEnd[lo - 1] : 0;
      if (from === at && idEnd[lo] - from === id.length) return lo;
    }
    return -1;
  }
}
