import dagre from '@dagrejs/dagre';
import { ApiError, Dependency, getJson } from '../api';
import { h } from '../dom';

const SVG = 'http://www.w3.org/2000/svg';
const WINDOWS: [string, string][] = [['1h', 'Last hour'], ['6h', 'Last 6 hours'], ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days']];
const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000 };

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>,
  ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

/** The service map: the dependencies API's edges laid out top-down by dagre; click a service to search it. */
export function renderServices(app: HTMLElement, url: URL): () => void {
  const abort = new AbortController();
  const lookback = url.searchParams.get('lookback') ?? '1h';
  const select = h('select', { id: 'map-window', 'aria-label': 'Time window' },
    ...WINDOWS.map(([v, l]) => h('option', { value: v, selected: v === lookback }, l)));
  select.addEventListener('change', () => {
    history.replaceState(null, '', `/services?lookback=${select.value}`);
    load();
  });
  const canvas = h('div.map', { id: 'service-map' });
  app.append(h('div.services-page', null,
    h('div.map-head', null, h('h1', null, 'Service map'), select,
      h('span.muted', null, 'Edges: calls · errors. Click a service to find its traces.')), canvas));

  const load = async () => {
    canvas.replaceChildren(h('p.muted', null, 'Loading dependencies…'));
    const m = /^(\d+)([hd])$/.exec(select.value)!;
    const end = Date.now();
    const start = end - Number(m[1]) * UNIT_MS[m[2]];
    try {
      const r = await getJson<{ dependencies: Dependency[] }>(
        `/api/v1/dependencies?start=${start}&end=${end}`, abort.signal);
      draw(canvas, r.dependencies);
    } catch (e) {
      if (abort.signal.aborted) return;
      canvas.replaceChildren(h('div.error-box', { id: 'map-unavailable' }, e instanceof ApiError && e.status === 404
        ? 'This Spoor server has no dependencies API yet (GET /api/v1/dependencies answered 404), so there is no '
          + 'service map to draw. Search still works.'
        : `Could not load dependencies: ${(e as Error).message}`));
    }
  };
  load();
  return () => abort.abort();
}

function draw(box: HTMLElement, deps: Dependency[]): void {
  if (!deps.length) {
    box.replaceChildren(h('div.empty', null, h('h2', null, 'No calls between services in this window'),
      h('p', null, 'Pick a longer window, or send traces whose spans cross services.')));
    return;
  }
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 120, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const names = new Set(deps.flatMap((d) => [d.parent, d.child]));
  for (const n of names) g.setNode(n, { label: n, width: Math.max(110, n.length * 8 + 30), height: 40 });
  for (const d of deps) {
    if (d.parent !== d.child) g.setEdge(d.parent, d.child, { d, width: 90, height: 20, labelpos: 'c' });
  }
  dagre.layout(g);
  const { width = 600, height = 400 } = g.graph();
  const root = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': 'service dependency graph' },
  svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7,
    markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#888' }))));
  for (const e of g.edges()) {
    const edge = g.edge(e) as { d: Dependency; points: { x: number; y: number }[]; x: number; y: number };
    const d = edge.d;
    const pts = edge.points.map((p) => `${p.x},${p.y}`).join(' ');
    const cls = d.errorCount ? 'edge has-errors' : 'edge';
    root.append(svg('g', { class: cls, 'data-parent': d.parent, 'data-child': d.child },
      svg('polyline', { points: pts, 'marker-end': 'url(#arrow)' }),
      svg('text', { x: edge.x, y: edge.y, 'text-anchor': 'middle' },
        `${d.callCount} call${d.callCount === 1 ? '' : 's'}` + (d.errorCount ? ` · ${d.errorCount} err` : ''))));
  }
  for (const n of g.nodes()) {
    const node = g.node(n);
    const a = svg('a', { href: `/search?service=${encodeURIComponent(n)}&lookback=1h`, class: 'node', 'data-service': n },
      svg('rect', { x: node.x - node.width / 2, y: node.y - node.height / 2, width: node.width, height: node.height,
        rx: 6 }),
      svg('text', { x: node.x, y: node.y + 5, 'text-anchor': 'middle' }, n));
    root.append(a);
  }
  box.replaceChildren(root);
}
