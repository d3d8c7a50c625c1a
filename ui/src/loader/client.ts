// The page's side of the loader worker: one worker per opened trace, terminated when the page goes.
import type { ApiSpan } from '../api';
import { ApiError } from '../api';
import type { FromWorker, LoadTimings, Phase, ToWorker } from './messages';
import type { TraceData } from './traceData';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class TraceLoader {
  private readonly worker: Worker;
  private seq = 0;
  private readonly waiting = new Map<number, (m: FromWorker) => void>();
  private loaded: ((m: { data: TraceData; timings: LoadTimings }) => void) | null = null;
  private failed: ((e: Error) => void) | null = null;

  constructor(private readonly onProgress: (p: { phase: Phase; bytes: number; spans: number }) => void) {
    this.worker = new Worker(new URL('./trace.worker.ts', import.meta.url), { type: 'module', name: 'spoor-trace' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      this.failed?.(new Error(`the trace loader failed: ${e.message || 'it could not start'}`));
    };
  }

  /** Fetches, parses and analyses the trace in the worker; rejects with an ApiError for an HTTP failure. */
  open(traceId: string): Promise<{ data: TraceData; timings: LoadTimings }> {
    const base = new URL(`/api/v1/traces/${encodeURIComponent(traceId)}`, location.href).href;
    return new Promise((resolve, reject) => {
      this.loaded = resolve;
      this.failed = reject;
      this.worker.postMessage({ type: 'open', traceUrl: base, analysisUrl: `${base}/analysis` });
    });
  }

  /** The spans matching a find-in-trace text, in row (pre-order) order. */
  find(text: string): Promise<Int32Array> {
    return this.ask({ type: 'find', text }).then((m) => (m.type === 'found' ? m.matches : new Int32Array(0)));
  }

  /** One span as the API returned it (attributes, events, links, resource, scope). */
  span(index: number): Promise<ApiSpan | null> {
    return this.ask({ type: 'span', index }).then((m) => (m.type === 'span' ? m.span : null));
  }

  /** The minimap's RGBA pixels for a canvas of width × height; colours are 0xrrggbb by service. */
  minimap(width: number, height: number, colours: [string, number][], error: number): Promise<Uint8ClampedArray> {
    return this.ask({ type: 'minimap', width, height, colours, error })
      .then((m) => (m.type === 'pixels' ? m.pixels : new Uint8ClampedArray(0)));
  }

  close(): void {
    this.worker.terminate();
    this.waiting.clear();
  }

  private ask(m: DistributiveOmit<Extract<ToWorker, { seq: number }>, 'seq'>): Promise<FromWorker> {
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.waiting.set(seq, resolve);
      this.worker.postMessage({ ...m, seq });
    });
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'progress': this.onProgress(m); break;
      case 'trace': this.loaded?.(m); break;
      case 'error': this.failed?.(m.status ? new ApiError(m.status, m.message) : new Error(m.message)); break;
      case 'found':
      case 'span':
      case 'pixels': {
        const w = this.waiting.get(m.seq);
        this.waiting.delete(m.seq);
        w?.(m);
        break;
      }
      default:
    }
  }
}
