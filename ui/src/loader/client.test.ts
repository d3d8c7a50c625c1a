import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import { TraceLoader } from './client';
import type { FromWorker, ToWorker } from './messages';

/** A stand-in for the module worker: records what the page sends, lets the test answer. */
class FakeWorker {
  static last: FakeWorker;
  readonly sent: ToWorker[] = [];
  onmessage: ((e: { data: FromWorker }) => void) | null = null;
  onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
  terminated = false;
  constructor(readonly url: URL, readonly options: WorkerOptions) {
    FakeWorker.last = this;
  }
  postMessage(m: ToWorker) {
    this.sent.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  answer(m: FromWorker) {
    this.onmessage?.({ data: m });
  }
}

describe('the page side of the loader worker', () => {
  beforeEach(() => {
    vi.stubGlobal('Worker', FakeWorker);
    vi.stubGlobal('location', { href: 'http://spoor.test/trace/abc?span=1' });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('starts a module worker and asks it for the trace and its analysis by absolute URL', async () => {
    const progress: string[] = [];
    const loader = new TraceLoader((p) => progress.push(`${p.phase} ${p.bytes}`));
    const w = FakeWorker.last;
    expect(w.options).toMatchObject({ type: 'module' });
    expect(w.url.pathname).toMatch(/trace\.worker\.ts$/);
    const opened = loader.open('ab/c');
    expect(w.sent).toEqual([{ type: 'open', traceUrl: 'http://spoor.test/api/v1/traces/ab%2Fc',
      analysisUrl: 'http://spoor.test/api/v1/traces/ab%2Fc/analysis' }]);
    w.answer({ type: 'progress', phase: 'fetch', bytes: 10, spans: 0 });
    const timings = { requested: 1, responded: 2, received: 3, parsed: 4, built: 5, posted: 6 };
    w.answer({ type: 'trace', data: { traceId: 'abc' } as never, timings });
    await expect(opened).resolves.toMatchObject({ data: { traceId: 'abc' }, timings });
    expect(progress).toEqual(['fetch 10']);
    loader.close();
    expect(w.terminated).toBe(true);
  });

  it('turns an HTTP failure into an ApiError with its status, anything else into an Error', async () => {
    const loader = new TraceLoader(() => undefined);
    const notFound = loader.open('abc');
    FakeWorker.last.answer({ type: 'error', status: 404, message: 'trace abc not found' });
    await expect(notFound).rejects.toEqual(new ApiError(404, 'trace abc not found'));
    const other = new TraceLoader(() => undefined);
    const broken = other.open('abc');
    FakeWorker.last.answer({ type: 'error', status: 0, message: 'Unexpected token' });
    const e = await broken.catch((x) => x);
    expect(e).not.toBeInstanceOf(ApiError);
    expect(e.message).toBe('Unexpected token');
  });

  it('rejects when the worker itself fails', async () => {
    const loader = new TraceLoader(() => undefined);
    const opened = loader.open('abc');
    const prevented = vi.fn();
    FakeWorker.last.onerror?.({ message: '', preventDefault: prevented });
    await expect(opened).rejects.toThrow('the trace loader failed: it could not start');
    expect(prevented).toHaveBeenCalled();
  });

  it('matches answers to questions by sequence number, in any order', async () => {
    const loader = new TraceLoader(() => undefined);
    const w = FakeWorker.last;
    const found = loader.find('db');
    const span = loader.span(7);
    const pixels = loader.minimap(4, 2, [['web', 0x112233]], 0xff0000);
    const [f, s, m] = w.sent as Extract<ToWorker, { seq: number }>[];
    expect([f.type, s.type, m.type]).toEqual(['find', 'span', 'minimap']);
    expect(m).toMatchObject({ width: 4, height: 2, colours: [['web', 0x112233]], error: 0xff0000 });
    w.answer({ type: 'pixels', seq: m.seq, pixels: new Uint8ClampedArray(32) });
    w.answer({ type: 'span', seq: s.seq, span: { spanId: '7' } as never });
    w.answer({ type: 'found', seq: f.seq, matches: Int32Array.of(3, 1) });
    await expect(found).resolves.toEqual(Int32Array.of(3, 1));
    await expect(span).resolves.toEqual({ spanId: '7' });
    expect((await pixels).length).toBe(32);
  });
});
