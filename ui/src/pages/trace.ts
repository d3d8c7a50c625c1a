import { Analysis, ApiError, ApiTrace, getJson, nanosToMicros } from '../api';
import { criticalPath } from '../analysis/criticalPath';
import { errorOrigin } from '../analysis/errorOrigin';
import { latencyByService, selfTimes } from '../analysis/latency';
import { Span, fromApi } from '../analysis/model';
import { Tree, buildTree } from '../analysis/tree';
import { ServiceColours, formatTime, h } from '../dom';
import { renderDetail } from '../waterfall/detail';
import { Waterfall } from '../waterfall/view';
import { formatDuration } from '../waterfall/layout';

export interface TraceInsight {
  critical: Map<number, { start: number; end: number }[]>;
  origin: Analysis['errorOrigin'];
  latency: { serviceName: string; selfTime: number; spanCount: number }[];
  source: 'server' | 'browser';
}

/** The server's analysis (GET /api/v1/traces/{id}/analysis) keyed by span index; times in µs. */
function fromServer(a: Analysis, tree: Tree): TraceInsight {
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
function fromBrowser(tree: Tree, self: Float64Array): TraceInsight {
  const critical = new Map<number, { start: number; end: number }[]>();
  for (const s of criticalPath(tree)) {
    const i = tree.index.get(s.spanId)!;
    const list = critical.get(i) ?? [];
    list.push({ start: s.start, end: s.end });
    critical.set(i, list);
  }
  return { critical, origin: errorOrigin(tree), latency: latencyByService(tree, self), source: 'browser' };
}

export function renderTrace(app: HTMLElement, traceId: string, url: URL): () => void {
  const abort = new AbortController();
  const cleanups: (() => void)[] = [() => abort.abort()];
  app.append(h('p.muted.pad', null, `Loading trace ${traceId}…`));
  performance.clearMarks();
  performance.clearMeasures();
  performance.mark('spoor:trace:start');
  const traceReq = getJson<ApiTrace>(`/api/v1/traces/${encodeURIComponent(traceId)}`, abort.signal);
  const analysisReq = getJson<Analysis>(`/api/v1/traces/${encodeURIComponent(traceId)}/analysis`, abort.signal)
    .catch(() => null);
  traceReq.then(async (raw) => {
    performance.mark('spoor:trace:fetched');
    const spans = fromApi(raw);
    const tree = buildTree(spans);
    const self = selfTimes(tree);
    const a = await analysisReq;
    if (abort.signal.aborted) return;
    const insight = a ? fromServer(a, tree) : fromBrowser(tree, self);
    performance.mark('spoor:trace:analysed');
    app.replaceChildren();
    cleanups.push(show(app, raw.traceId, tree, self, insight, url));
    performance.mark('spoor:trace:rendered');
    performance.measure('spoor:trace:fetch', 'spoor:trace:start', 'spoor:trace:fetched');
    performance.measure('spoor:trace:build', 'spoor:trace:fetched', 'spoor:trace:rendered');
    // interactive = the first frame with the waterfall has been painted and the main thread is free again
    requestAnimationFrame(() => setTimeout(() => {
      performance.mark('spoor:trace:interactive');
      performance.measure('spoor:trace:open', 'spoor:trace:start', 'spoor:trace:interactive');
      document.body.dataset.traceReady = 'true';
    }, 0));
  }).catch((e) => {
    if (abort.signal.aborted) return;
    app.replaceChildren(h('div.error-box.pad', null, e instanceof ApiError && e.status === 404
      ? `Trace ${traceId} was not found. It may not have arrived yet, or it is older than the retention.`
      : `Could not load trace ${traceId}: ${e.message}`));
  });
  return () => cleanups.forEach((c) => c());
}

function show(app: HTMLElement, traceId: string, tree: Tree, self: Float64Array, insight: TraceInsight,
  url: URL): () => void {
  const spans = tree.spans;
  const colours = new ServiceColours();
  for (const i of tree.preOrder) colours.colour(spans[i].service);
  // loops, not Math.min(...spread): a 100,000-element spread is slow and can exceed the argument limit
  let start = Infinity;
  let end = -Infinity;
  for (const s of spans) {
    if (s.start < start) start = s.start;
    if (s.end > end) end = s.end;
  }
  const root: Span | undefined = spans[tree.roots[0]];
  let maxDepth = 0;
  for (let i = 0; i < tree.depth.length; i++) if (tree.depth[i] > maxDepth) maxDepth = tree.depth[i];
  const errors = spans.filter((s) => s.error).length;
  const skewed = spans.filter((s) => s.raw?.warnings?.length).length;
  const services = [...new Set(spans.map((s) => s.service))];

  const stat = (label: string, value: string) => h('div.stat', null, h('span', null, label), h('strong', null, value));
  const header = h('section.trace-header', { id: 'trace-header' },
    h('h1', null, root ? h('span', null, h('span.svc-name', null, root.service), ': ', root.name) : 'Trace',
      h('code.tid', null, traceId)),
    h('div.stats', null, stat('Start', root ? formatTime(start) : '—'), stat('Duration', formatDuration(end - start)),
      stat('Services', String(services.length)), stat('Depth', String(maxDepth + 1)),
      stat('Spans', String(spans.length)), stat('Errors', String(errors))));
  const waterfall = new Waterfall(tree, self, insight, colours, start, end);
  const detail = h('aside.detail', { id: 'span-detail' });
  if (insight.origin) {
    const o = insight.origin;
    header.append(h('button.origin', { id: 'error-origin', type: 'button',
      title: 'The deepest failing span that no failing span below it explains. Click to select it.',
      onclick: () => waterfall.select(tree.index.get(o.spanId) ?? -1, true) },
    h('strong', null, 'Failure started in '), h('span.svc-name', null, o.serviceName), ` · ${o.spanName}`,
    o.exceptionType || o.message ? h('span.msg', null,
      ` — ${o.exceptionType ? o.exceptionType.split('.').pop() + ': ' : ''}${o.message}`) : null));
  }
  if (skewed) {
    header.append(h('div.skew-warning', { id: 'skew-warning' },
      `⚠ ${skewed} span${skewed > 1 ? 's were' : ' was'} adjusted for clock skew; see the span details.`));
  }
  const total = insight.latency.reduce((a, l) => a + l.selfTime, 0) || 1;
  header.append(h('div.latency', { id: 'latency-by-service' },
    h('span.label', null, 'Self time by service', insight.source === 'browser' ? ' (computed in the browser)' : ''),
    h('div.latency-bar', null, ...insight.latency.filter((l) => l.selfTime > 0).map((l) => h('div', {
      style: { width: `${(100 * l.selfTime) / total}%`, background: colours.colour(l.serviceName) },
      title: `${l.serviceName}: ${formatDuration(l.selfTime)} self time in ${l.spanCount} spans`,
    }))),
    h('div.latency-legend', null, ...insight.latency.slice(0, 8).map((l) => h('span.svc', { 'data-service': l.serviceName },
      h('i', { style: { background: colours.colour(l.serviceName) } }),
      `${l.serviceName} ${formatDuration(l.selfTime)} (${Math.round((100 * l.selfTime) / total)}%)`)))));

  const body = h('div.trace-body', null, waterfall.element, detail);
  app.append(h('div.trace-page', null, header, body));
  waterfall.onSelect = (i) => {
    const u = new URL(location.href);
    if (i < 0) u.searchParams.delete('span');
    else u.searchParams.set('span', spans[i].id);
    history.replaceState(null, '', u.pathname + u.search);
    body.classList.toggle('with-detail', i >= 0);
    detail.replaceChildren(...(i >= 0 ? [renderDetail(tree, i, self, insight, colours, start,
      () => waterfall.select(-1, false))] : []));
  };
  waterfall.mount();
  const wanted = url.searchParams.get('span');
  if (wanted && tree.index.has(wanted)) waterfall.select(tree.index.get(wanted)!, true);
  return () => waterfall.destroy();
}
