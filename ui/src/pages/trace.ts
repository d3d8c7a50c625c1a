import { ApiError } from '../api';
import { ServiceColours, formatTime, h } from '../dom';
import { TraceLoader } from '../loader/client';
import type { LoadTimings } from '../loader/messages';
import { progressText } from '../loader/messages';
import { TraceView } from '../loader/traceData';
import { renderDetail } from '../waterfall/detail';
import { Waterfall } from '../waterfall/view';
import { formatDuration } from '../waterfall/layout';

/** An absolute time from the worker (timeOrigin-based, ms) on this page's performance timeline. */
const local = (t: number) => Math.max(0, t - performance.timeOrigin);

/**
 * The page's Performance API timeline: spoor:trace:fetch (request → body received, in the worker; of which
 * :wait is request → response headers, i.e. the server's lookup, and :download the body), :parse (JSON),
 * :build (tree, self times, analysis, columns), :post (worker → page), :render (page: header and first rows),
 * :open (start → first painted frame with the main thread free again).
 */
function measureLoad(t: LoadTimings): void {
  const m = (name: string, start: number, end: number) => performance.measure(`spoor:trace:${name}`,
    { start: local(start), end: Math.max(local(start), local(end)) });
  m('fetch', t.requested, t.received);
  m('wait', t.requested, t.responded);
  m('download', t.responded, t.received);
  m('parse', t.received, t.parsed);
  m('build', t.parsed, t.built);
  performance.measure('spoor:trace:post', { start: local(t.posted), end: performance.now() });
}

export function renderTrace(app: HTMLElement, traceId: string, url: URL): () => void {
  let closed = false;
  const status = h('span', null, `Loading trace ${traceId}…`);
  app.append(h('div.pad.loading', { id: 'trace-loading', role: 'status' }, h('progress'), ' ', status));
  performance.clearMarks();
  performance.clearMeasures();
  performance.mark('spoor:trace:start');
  const loader = new TraceLoader((p) => {
    status.textContent = progressText(traceId, p);
  });
  const cleanups: (() => void)[] = [() => {
    closed = true;
    loader.close();
  }];
  loader.open(traceId).then(({ data, timings }) => {
    if (closed) return;
    measureLoad(timings);
    performance.mark('spoor:trace:received');
    app.replaceChildren();
    cleanups.push(show(app, new TraceView(data), loader, url));
    performance.mark('spoor:trace:rendered');
    performance.measure('spoor:trace:render', 'spoor:trace:received', 'spoor:trace:rendered');
    // interactive = the first frame with the waterfall has been painted and the main thread is free again
    requestAnimationFrame(() => setTimeout(() => {
      if (closed) return;
      performance.mark('spoor:trace:interactive');
      performance.measure('spoor:trace:open', 'spoor:trace:start', 'spoor:trace:interactive');
      document.body.dataset.traceReady = 'true';
    }, 0));
  }).catch((e) => {
    if (closed) return;
    app.replaceChildren(h('div.error-box.pad', null, e instanceof ApiError && e.status === 404
      ? `Trace ${traceId} was not found. It may not have arrived yet, or it is older than the retention.`
      : `Could not load trace ${traceId}: ${e.message}`));
  });
  return () => cleanups.forEach((c) => c());
}

function show(app: HTMLElement, tree: TraceView, loader: TraceLoader, url: URL): () => void {
  const d = tree.data;
  const colours = new ServiceColours();
  for (const s of d.serviceOrder) colours.colour(s);
  const root = d.roots.length ? d.roots[0] : -1;

  const stat = (label: string, value: string) => h('div.stat', null, h('span', null, label), h('strong', null, value));
  const header = h('section.trace-header', { id: 'trace-header' },
    h('h1', null, root >= 0 ? h('span', null, h('span.svc-name', null, tree.service(root)), ': ', tree.name(root)) : 'Trace',
      h('code.tid', null, d.traceId)),
    h('div.stats', null, stat('Start', root >= 0 ? formatTime(d.traceStart) : '—'),
      stat('Duration', formatDuration(d.traceEnd - d.traceStart)),
      stat('Services', String(d.serviceOrder.length)), stat('Depth', String(d.maxDepth + 1)),
      stat('Spans', String(d.n)), stat('Errors', String(d.errorCount))));
  const waterfall = new Waterfall(tree, colours, loader);
  const detail = h('aside.detail', { id: 'span-detail' });
  if (d.origin) {
    const o = d.origin;
    header.append(h('button.origin', { id: 'error-origin', type: 'button',
      title: 'The deepest failing span that no failing span below it explains. Click to select it.',
      onclick: () => waterfall.select(o.index, true) },
    h('strong', null, 'Failure started in '), h('span.svc-name', null, o.serviceName), ` · ${o.spanName}`,
    o.exceptionType || o.message ? h('span.msg', null,
      ` — ${o.exceptionType ? o.exceptionType.split('.').pop() + ': ' : ''}${o.message}`) : null));
  }
  if (d.truncated) {
    const t = d.truncated;
    header.append(h('div.skew-warning', { id: 'trace-truncated', role: 'status' },
      `⚠ This trace has ${t.spanCount.toLocaleString('en')} spans; only the first ${t.shownSpanCount.toLocaleString('en')}`
      + ' are shown (the server\'s spoor.query.max_trace_spans).'));
  }
  const skewed = tree.skewedCount;
  if (skewed) {
    header.append(h('div.skew-warning', { id: 'skew-warning' },
      `⚠ ${skewed} span${skewed > 1 ? 's were' : ' was'} adjusted for clock skew; see the span details.`));
  }
  const total = d.latency.reduce((a, l) => a + l.selfTime, 0) || 1;
  header.append(h('div.latency', { id: 'latency-by-service' },
    h('span.label', null, 'Self time by service', d.source === 'browser' ? ' (computed in the browser)' : ''),
    h('div.latency-bar', null, ...d.latency.filter((l) => l.selfTime > 0).map((l) => h('div', {
      style: { width: `${(100 * l.selfTime) / total}%`, background: colours.colour(l.serviceName) },
      title: `${l.serviceName}: ${formatDuration(l.selfTime)} self time in ${l.spanCount} spans`,
    }))),
    h('div.latency-legend', null, ...d.latency.slice(0, 8).map((l) => h('span.svc', { 'data-service': l.serviceName },
      h('i', { style: { background: colours.colour(l.serviceName) } }),
      `${l.serviceName} ${formatDuration(l.selfTime)} (${Math.round((100 * l.selfTime) / total)}%)`)))));

  const body = h('div.trace-body', null, waterfall.element, detail);
  app.append(h('div.trace-page', null, header, body));
  let shown = -1;
  waterfall.onSelect = (i) => {
    const u = new URL(location.href);
    if (i < 0) u.searchParams.delete('span');
    else u.searchParams.set('span', tree.id(i));
    history.replaceState(null, '', u.pathname + u.search);
    shown = i;
    if (i < 0) {
      body.classList.remove('with-detail');
      detail.replaceChildren();
      return;
    }
    // the span's attributes, events and links are in the loader worker: ask for this one span
    loader.span(i).then((raw) => {
      if (shown !== i || !raw) return;
      body.classList.add('with-detail');
      detail.replaceChildren(renderDetail(tree, i, raw, colours, () => waterfall.select(-1, false)));
    });
  };
  waterfall.mount();
  const wanted = url.searchParams.get('span');
  const at = wanted ? tree.indexOf(wanted) : -1;
  if (at >= 0) waterfall.select(at, true);
  return () => waterfall.destroy();
}
