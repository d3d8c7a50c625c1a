/** A tiny element builder: h('div.cls', {title: 'x'}, child, 'text'). Keeps pages free of innerHTML (no XSS). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K | `${K}.${string}`,
  props: Record<string, unknown> | null = null, ...children: (Node | string | null | undefined | false)[]):
  HTMLElementTagNameMap[K] {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name as K);
  if (classes.length) el.className = classes.join(' ');
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else if (k in el && k !== 'list') (el as unknown as Record<string, unknown>)[k] = v;
      else el.setAttribute(k, String(v));
    }
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Per-service colours: assigned in order of first appearance, so one trace's services never share a colour. */
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7',
  '#86bcb6', '#8cd17d', '#d4a6c8', '#a0cbe8', '#ffbe7d', '#bab0ac'];
export class ServiceColours {
  private readonly map = new Map<string, string>();
  colour(service: string): string {
    let c = this.map.get(service);
    if (!c) {
      c = PALETTE[this.map.size % PALETTE.length];
      this.map.set(service, c);
    }
    return c;
  }
}

export function formatTime(epochMicros: number): string {
  const d = new Date(epochMicros / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:`
    + `${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A trace id found in whatever was pasted: a bare id, a traceparent header, a log line with trace_id=…. */
export function extractTraceId(text: string): string | null {
  const t = text.trim().toLowerCase();
  const tp = /\b00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}\b/.exec(t);
  if (tp) return tp[1];
  const m = /(?:^|[^0-9a-f])([0-9a-f]{32})(?![0-9a-f])/.exec(t) ?? /(?:^|[^0-9a-f])([0-9a-f]{16})(?![0-9a-f])/.exec(t);
  return m ? m[1] : null;
}
