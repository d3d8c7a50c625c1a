import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { TraceSummary, getJson, nanosToMicros } from '../api';
import { ServiceColours, formatTime, h } from '../dom';
import { navigate } from '../router';
import { formatDuration } from '../waterfall/layout';

const LOOKBACKS: [string, string][] = [['15m', 'Last 15 minutes'], ['1h', 'Last hour'], ['6h', 'Last 6 hours'],
  ['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['all', 'All time'], ['custom', 'Custom range…']];
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Splits `a=1 b="x y"` into ['a=1', 'b=x y']: tags as Jaeger's logfmt box takes them. */
export function parseTags(text: string): string[] {
  const out: string[] = [];
  const re = /([^\s=]+)=("([^"]*)"|\S*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out.push(`${m[1]}=${m[3] ?? m[2]}`);
  return out;
}

/** The API query for the page's URL parameters; the lookback turns into start (and end) at submit time. */
export function apiQuery(p: URLSearchParams, now = Date.now()): URLSearchParams {
  const q = new URLSearchParams();
  for (const k of ['service', 'operation', 'minDuration', 'maxDuration', 'limit']) {
    const v = p.get(k);
    if (v) q.set(k, v);
  }
  for (const t of p.getAll('tag')) q.append('tag', t);
  const lookback = p.get('lookback') ?? '1h';
  if (lookback === 'custom') {
    if (p.get('start')) q.set('start', new Date(p.get('start')!).toISOString());
    if (p.get('end')) q.set('end', new Date(p.get('end')!).toISOString());
  } else if (lookback !== 'all') {
    const m = /^(\d+)([mhd])$/.exec(lookback);
    if (m) q.set('start', String((now - Number(m[1]) * UNIT_MS[m[2]]) * 1000));
  }
  return q;
}

export function renderSearch(app: HTMLElement, url: URL): () => void {
  const p = url.searchParams;
  const abort = new AbortController();
  const field = (label: string, input: HTMLElement) => h('label.field', null, h('span', null, label), input);
  const service = h('input', { name: 'service', list: 'services', value: p.get('service') ?? '',
    placeholder: 'any service', autocomplete: 'off' });
  const services = h('datalist', { id: 'services' });
  const operation = h('select', { name: 'operation' }, h('option', { value: '' }, 'any operation'));
  const tags = h('input', { name: 'tags', value: p.getAll('tag').map((t) => {
    const i = t.indexOf('=');
    const v = t.slice(i + 1);
    return /\s/.test(v) ? `${t.slice(0, i)}="${v}"` : t;
  }).join(' '), placeholder: 'http.response.status_code=500 error=true' });
  const minD = h('input', { name: 'minDuration', value: p.get('minDuration') ?? '', placeholder: 'e.g. 100ms' });
  const maxD = h('input', { name: 'maxDuration', value: p.get('maxDuration') ?? '', placeholder: 'e.g. 2s' });
  const lookback = h('select', { name: 'lookback' },
    ...LOOKBACKS.map(([v, l]) => h('option', { value: v, selected: (p.get('lookback') ?? '1h') === v }, l)));
  const start = h('input', { type: 'datetime-local', name: 'start', value: p.get('start') ?? '' });
  const end = h('input', { type: 'datetime-local', name: 'end', value: p.get('end') ?? '' });
  const custom = h('div.custom', null, field('From', start), field('To', end));
  const limit = h('input', { type: 'number', name: 'limit', min: '1', max: '10000', value: p.get('limit') ?? '20' });
  const showCustom = () => custom.classList.toggle('hidden', lookback.value !== 'custom');
  lookback.addEventListener('change', showCustom);
  showCustom();

  const loadOperations = async () => {
    const s = service.value.trim();
    const keep = p.get('operation') ?? operation.value;
    operation.replaceChildren(h('option', { value: '' }, 'any operation'));
    if (!s) return;
    try {
      const r = await getJson<{ operations: { name: string; kind: string }[] }>(
        `/api/v1/services/${encodeURIComponent(s)}/operations`, abort.signal);
      const names = [...new Set(r.operations.map((o) => o.name))];
      for (const n of names) operation.append(h('option', { value: n, selected: n === keep }, n));
    } catch {
      // an unknown service simply has no operations to offer
    }
  };
  service.addEventListener('change', loadOperations);
  getJson<{ services: string[] }>('/api/v1/services', abort.signal).then((r) => {
    services.replaceChildren(...r.services.map((s) => h('option', { value: s })));
  }).catch(() => undefined);
  loadOperations();

  const form = h('form.search-form', { id: 'search-form' },
    h('h2', null, 'Find traces'),
    field('Service', service), services, field('Operation', operation),
    field('Tags', tags), h('div.row2', null, field('Min duration', minD), field('Max duration', maxD)),
    field('Time range', lookback), custom, field('Limit', limit),
    h('button.primary', { type: 'submit' }, 'Find traces'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    const set = (k: string, v: string) => v.trim() && q.set(k, v.trim());
    set('service', service.value);
    set('operation', operation.value);
    for (const t of parseTags(tags.value)) q.append('tag', t);
    set('minDuration', minD.value);
    set('maxDuration', maxD.value);
    q.set('lookback', lookback.value);
    if (lookback.value === 'custom') {
      set('start', start.value);
      set('end', end.value);
    }
    set('limit', limit.value);
    navigate(`/search?${q}`);
  });

  const results = h('section.results', { id: 'results' });
  app.append(h('div.search-page', null, form, results));
  let plot: uPlot | null = null;
  const onResize = () => plot?.setSize({ width: results.clientWidth - 2, height: 200 });
  window.addEventListener('resize', onResize);

  if (url.pathname.startsWith('/search') && [...p.keys()].length) {
    results.append(h('p.muted', null, 'Searching…'));
    performance.mark('spoor:search:start');
    getJson<{ traces: TraceSummary[] }>(`/api/v1/traces?${apiQuery(p)}`, abort.signal).then((r) => {
      performance.mark('spoor:search:fetched');
      plot = showResults(results, r.traces, p.get('sort') ?? 'newest');
      performance.mark('spoor:search:rendered');
      performance.measure('spoor:search:render', 'spoor:search:fetched', 'spoor:search:rendered');
    }).catch((e) => {
      if (abort.signal.aborted) return;
      results.replaceChildren(h('div.error-box', null, `Search failed: ${e.message}`));
    });
  } else {
    results.append(h('div.empty', null, h('h2', null, 'Search for traces'),
      h('p', null, 'Pick a service (or none), add tags such as ', h('code', null, 'http.response.status_code=500'),
        ', and press Find traces. Paste a trace id into the box at the top to open it directly.')));
  }
  return () => {
    abort.abort();
    plot?.destroy();
    window.removeEventListener('resize', onResize);
  };
}

function showResults(box: HTMLElement, traces: TraceSummary[], sort: string): uPlot | null {
  box.replaceChildren();
  if (!traces.length) {
    box.append(h('div.empty', null, h('h2', null, 'No traces found'),
      h('p', null, 'Widen the time range, remove a tag, or check the service name.')));
    return null;
  }
  const rows = traces.map((t) => ({ t, start: nanosToMicros(t.startTimeUnixNano), dur: Number(t.durationNanos) / 1000 }));
  const colours = new ServiceColours();
  // the scatter: x = start (seconds), y = duration (ms); errors as a second series in red
  const byStart = [...rows].sort((a, b) => a.start - b.start);
  const xs = byStart.map((r) => r.start / 1e6);
  const ok = byStart.map((r) => (r.t.errorCount ? null : r.dur / 1000));
  const bad = byStart.map((r) => (r.t.errorCount ? r.dur / 1000 : null));
  const chart = h('div.scatter', { id: 'scatter' });
  box.append(chart);
  const plot = new uPlot({
    width: Math.max(300, box.clientWidth - 2), height: 200,
    cursor: { drag: { x: false, y: false }, points: { size: 10 } },
    legend: { show: false },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, (max || 1) * 1.1] } },
    axes: [{}, { label: 'duration (ms)', size: 60 }],
    series: [{}, { stroke: '#4e79a7', paths: () => null, points: { show: true, size: 7, fill: '#4e79a7' } },
      { stroke: '#d62728', paths: () => null, points: { show: true, size: 7, fill: '#d62728' } }],
  }, [xs, ok, bad], chart);
  plot.over.addEventListener('click', () => {
    const i = plot.cursor.idx;
    if (i !== null && i !== undefined && byStart[i]) navigate(`/trace/${byStart[i].t.traceId}`);
  });
  plot.over.title = 'Click a dot to open the trace';

  const sortSel = h('select', { id: 'sort', 'aria-label': 'Sort results' },
    ...[['newest', 'Newest first'], ['slowest', 'Slowest first'], ['spans', 'Most spans']].map(([v, l]) =>
      h('option', { value: v, selected: v === sort }, l)));
  const list = h('ol.result-list', { id: 'result-list' });
  const fill = () => {
    const s = sortSel.value;
    const sorted = [...rows].sort(s === 'slowest' ? (a, b) => b.dur - a.dur
      : s === 'spans' ? (a, b) => b.t.spanCount - a.t.spanCount : (a, b) => b.start - a.start);
    const max = Math.max(...rows.map((r) => r.dur), 1);
    list.replaceChildren(...sorted.map(({ t, start, dur }) => h('li.result', { 'data-trace-id': t.traceId },
      h('a.result-link', { href: `/trace/${t.traceId}` },
        h('div.result-head', null,
          h('span.result-title', null, `${t.rootServiceName}: ${t.rootSpanName}`),
          t.errorCount ? h('span.badge.error', null, `${t.errorCount} error${t.errorCount > 1 ? 's' : ''}`) : null,
          h('span.result-dur', null, formatDuration(dur))),
        h('div.result-bar', null, h('div', { style: { width: `${(100 * dur) / max}%` } })),
        h('div.result-meta', null,
          h('span', null, `${t.spanCount} spans`),
          ...t.services.map((s) => h('span.svc', null,
            h('i', { style: { background: colours.colour(s.name) } }), `${s.name} (${s.spanCount})`)),
          h('span.when', null, formatTime(start)), h('code.tid', null, t.traceId.slice(0, 12)))))));
  };
  sortSel.addEventListener('change', () => {
    const u = new URL(location.href);
    u.searchParams.set('sort', sortSel.value);
    history.replaceState(null, '', u.pathname + u.search);
    fill();
  });
  fill();
  box.append(h('div.results-head', null, h('strong', null, `${traces.length} trace${traces.length > 1 ? 's' : ''}`),
    sortSel), list);
  return plot;
}
