// Messages between the trace page and its loader worker (trace.worker.ts).
import type { ApiSpan } from '../api';
import type { TraceData } from './traceData';

export type Phase = 'fetch' | 'parse' | 'build' | 'analyse';

export type ToWorker =
  | { type: 'open'; traceUrl: string; analysisUrl: string }
  | { type: 'find'; seq: number; text: string }
  | { type: 'span'; seq: number; index: number }
  | { type: 'minimap'; seq: number; width: number; height: number; colours: [string, number][]; error: number };

/**
 * Times are absolute (performance.timeOrigin + performance.now(), ms) so that the page can place them on its own
 * timeline: a worker's performance.now() counts from the worker's start.
 */
export interface LoadTimings {
  requested: number;
  /** The trace response's headers arrived (the server has looked the trace up). */
  responded: number;
  received: number;
  parsed: number;
  built: number;
  posted: number;
}

export type FromWorker =
  | { type: 'progress'; phase: Phase; bytes: number; spans: number }
  | { type: 'trace'; data: TraceData; timings: LoadTimings }
  | { type: 'error'; status: number; message: string }
  | { type: 'found'; seq: number; matches: Int32Array }
  | { type: 'span'; seq: number; span: ApiSpan | null }
  | { type: 'pixels'; seq: number; pixels: Uint8ClampedArray };

/** A byte count for people: 950 B, 12.3 kB, 60.4 MB. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${+(n / 1e3).toFixed(1)} kB`;
  return `${+(n / 1e6).toFixed(1)} MB`;
}

/** The loading line of the trace page for a progress message. */
export function progressText(traceId: string, p: { phase: Phase; bytes: number; spans: number }): string {
  switch (p.phase) {
    case 'fetch': return `Loading trace ${traceId}… ${p.bytes ? `${formatBytes(p.bytes)} received` : 'waiting for the server'}`;
    case 'parse': return `Loading trace ${traceId}… reading ${formatBytes(p.bytes)} of JSON`;
    case 'build': return `Loading trace ${traceId}… building the tree of ${p.spans.toLocaleString('en')} spans`;
    case 'analyse': return `Loading trace ${traceId}… critical path and self times of ${p.spans.toLocaleString('en')} spans`;
    default: return `Loading trace ${traceId}…`;
  }
}
