import { ApiSpan, KeyValue, TraceSummary, anyValueToString, getJson, nanosToMicros } from '../api';
import { ServiceColours, h } from '../dom';
import type { TraceView } from '../loader/traceData';
import { formatDuration } from './layout';

/** The native API's limit on ids per lookup. */
const MAX_IDS_PER_LOOKUP = 50;

function table(rows: KeyValue[] | undefined): HTMLElement {
  if (!rows?.length) return h('p.muted', null, 'none');
  return h('table.kv', null, ...rows.map((kv) =>
    h('tr', null, h('th', null, kv.key), h('td', null, anyValueToString(kv.value)))));
}

function section(title: string, ...content: (Node | null)[]): HTMLElement {
  return h('details.section', { open: true }, h('summary', null, title), ...content);
}

/**
 * The span detail panel: everything the API returned about one span (`raw`, which the loader worker keeps), plus
 * its self time and warnings.
 */
export function renderDetail(tree: TraceView, i: number, raw: ApiSpan, colours: ServiceColours, close: () => void):
  HTMLElement {
  const traceStart = tree.data.traceStart;
  const s = { id: tree.id(i), name: tree.name(i), service: tree.service(i), kind: tree.kind(i), error: tree.error(i),
    start: tree.start[i], end: tree.end[i], parentId: raw.parentSpanId };
  const critical = (tree.critical(i) ?? []).reduce((a, c) => a + (c.end - c.start), 0);
  const fact = (k: string, v: Node | string) => h('div.fact', null, h('span', null, k), h('strong', null, v));
  const anchors = (raw.links ?? []).map((l) =>
    h('a', { href: `/trace/${l.traceId}?span=${l.spanId}` }, `${l.traceId} / ${l.spanId}`));
  const links = h('ul.links', null, ...(raw.links ?? []).map((l, k) => h('li', null, anchors[k], table(l.attributes))));
  // a link is only useful when its trace is stored here: one lookup for all of them (it answers the stored ones,
  // so a missing trace costs no failed request and no console error), then say which are not found
  const elsewhere = [...new Set((raw.links ?? []).map((l) => l.traceId).filter((t) => t !== raw.traceId))];
  if (elsewhere.length) {
    const lookups = [];
    for (let k = 0; k < elsewhere.length; k += MAX_IDS_PER_LOOKUP) { // a batch consumer may link hundreds
      const ids = elsewhere.slice(k, k + MAX_IDS_PER_LOOKUP);
      lookups.push(getJson<{ traces: TraceSummary[] }>(`/api/v1/traces?${ids.map((t) => `traceId=${t}`).join('&')}`));
    }
    Promise.all(lookups)
      .then((answers) => {
        const stored = new Set(answers.flatMap((found) => found.traces.map((t) => t.traceId)));
        (raw.links ?? []).forEach((l, k) => {
          if (l.traceId !== raw.traceId && !stored.has(l.traceId)) {
            anchors[k].replaceWith(h('span.muted', { title: 'not stored in this Spoor' },
              `${l.traceId} / ${l.spanId} (not found)`));
          }
        });
      })
      .catch(() => { /* the links stay clickable: the trace page says so if one is missing */ });
  }
  const events = (raw.events ?? []).map((e) => {
    const stack = e.attributes?.find((a) => a.key === 'exception.stacktrace');
    const rest = e.attributes?.filter((a) => a !== stack);
    return h('div.event', { className: e.name === 'exception' ? 'event exception' : 'event' },
      h('div.event-head', null, h('strong', null, e.name), h('span.muted', null,
        ` at +${formatDuration(nanosToMicros(e.timeUnixNano) - s.start)}`)),
      table(rest), stack ? h('pre.stack', null, anyValueToString(stack.value)) : null);
  });
  return h('div.detail-inner', { 'data-span-id': s.id },
    h('div.detail-head', null,
      h('h2', null, h('i.chip', { style: { background: colours.colour(s.service) } }), s.name),
      h('button.close', { type: 'button', title: 'Close (Esc)', onclick: close }, '×')),
    h('div.facts', null,
      fact('Service', s.service), fact('Kind', s.kind),
      fact('Status', h('span', { className: s.error ? 'status-error' : '' },
        raw.status?.code + (raw.status?.message ? `: ${raw.status.message}` : ''))),
      fact('Duration', formatDuration(s.end - s.start)), fact('Self time', formatDuration(tree.self[i])),
      fact('Start', `+${formatDuration(s.start - traceStart)}`),
      fact('On critical path', critical > 0 ? formatDuration(critical) : 'no'),
      fact('Span id', h('code', null, s.id)),
      fact('Parent', s.parentId ? h('code', null, s.parentId + (tree.orphan(i) ? ' (missing)' : '')) : 'root')),
    raw.warnings?.length ? h('div.skew-warning', { id: 'span-warnings' }, ...raw.warnings.map((w) => h('div', null, `⚠ ${w}`)))
      : null,
    section('Attributes', table(raw.attributes)),
    section(`Events (${raw.events?.length ?? 0})`, ...(events.length ? events : [h('p.muted', null, 'none')])),
    section(`Links (${raw.links?.length ?? 0})`, raw.links?.length ? links : h('p.muted', null, 'none')),
    section('Resource', table(raw.resource?.attributes)),
    section('Instrumentation scope', h('p', null, `${raw.scope?.name || '(unnamed)'} ${raw.scope?.version ?? ''}`),
      raw.scope?.attributes?.length ? table(raw.scope.attributes) : null));
}
