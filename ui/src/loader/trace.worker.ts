// The trace page's loader, a module worker: fetches the trace and its analysis, parses the JSON, builds the tree,
// self times and analysis, and posts the columns (traceData.ts) with their buffers transferred. All of that work
// is off the page's main thread, so that a 100,000-span trace does not freeze the tab. The worker then keeps the
// parsed spans for the page's find-in-trace and span-detail questions, until the page terminates it.
import type { Analysis, ApiTrace } from '../api';
import { FromWorker, LoadTimings, Phase, ToWorker } from './messages';
import { Loaded, MinimapInput, find, insightOf, load, minimap, minimapInput, pack } from './pack';
import { buffersOf } from './traceData';

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;
const now = () => performance.timeOrigin + performance.now();

let loaded: Loaded | null = null;
let overview: MinimapInput | null = null;
let bytes = 0;
let lastProgress = 0;

function progress(phase: Phase, spans = 0, force = true): void {
  const t = performance.now();
  if (!force && t - lastProgress < 100) return;
  lastProgress = t;
  scope.postMessage({ type: 'progress', phase, bytes, spans });
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function failure(r: Response): Promise<HttpError> {
  let message = `${r.status} ${r.statusText}`;
  try {
    const body = await r.json();
    if (body?.error?.message) message = body.error.message;
  } catch {
    // not JSON: keep the status line
  }
  return new HttpError(r.status, message);
}

/** The body as text, reporting the bytes received as they arrive. */
async function readText(r: Response): Promise<string> {
  if (!r.body) return r.text();
  const reader = r.body.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    bytes += value.length;
    progress('fetch', 0, false);
  }
  progress('parse');
  let text = '';
  if (chunks.length === 1) text = new TextDecoder().decode(chunks[0]);
  else {
    const all = new Uint8Array(bytes);
    let at = 0;
    for (const c of chunks) {
      all.set(c, at);
      at += c.length;
    }
    chunks.length = 0;
    text = new TextDecoder().decode(all);
  }
  return text;
}

async function open(traceUrl: string, analysisUrl: string): Promise<void> {
  const requested = now();
  progress('fetch');
  const headers = { Accept: 'application/json' };
  const analysisReq: Promise<Analysis | null> = fetch(analysisUrl, { headers })
    .then((r) => (r.ok ? r.json() as Promise<Analysis> : null)).catch(() => null);
  const r = await fetch(traceUrl, { headers });
  const responded = now();
  if (!r.ok) throw await failure(r);
  const text = await readText(r);
  const received = now();
  const raw = JSON.parse(text) as ApiTrace;
  const parsed = now();
  progress('build', raw.spans.length);
  const l = load(raw);
  progress('analyse', l.spans.length);
  const insight = insightOf(l, await analysisReq);
  const data = pack(l, insight);
  loaded = l;
  overview = minimapInput(data);
  const built = now();
  const timings: LoadTimings = { requested, responded, received, parsed, built, posted: now() };
  scope.postMessage({ type: 'trace', data, timings }, buffersOf(data));
}

scope.onmessage = (e) => {
  const m = e.data;
  switch (m.type) {
    case 'open':
      open(m.traceUrl, m.analysisUrl).catch((err) => scope.postMessage({ type: 'error',
        status: err instanceof HttpError ? err.status : 0, message: err?.message ?? String(err) }));
      break;
    case 'find': {
      const matches = loaded ? find(loaded, m.text) : new Int32Array(0);
      scope.postMessage({ type: 'found', seq: m.seq, matches }, [matches.buffer]);
      break;
    }
    case 'span':
      scope.postMessage({ type: 'span', seq: m.seq, span: loaded?.spans[m.index]?.raw ?? null });
      break;
    case 'minimap': {
      const pixels = overview ? minimap(overview, m.width, m.height, new Map(m.colours), m.error)
        : new Uint8ClampedArray(0);
      scope.postMessage({ type: 'pixels', seq: m.seq, pixels }, [pixels.buffer]);
      break;
    }
    default:
  }
};
