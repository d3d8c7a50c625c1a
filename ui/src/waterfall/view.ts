import { ServiceColours, h } from '../dom';
import type { TraceView } from '../loader/traceData';
import { barGeometry, formatDuration, ticks, visibleRows } from './layout';
import { hexColour } from './minimap';

const ROW_H = 26;
const OVERSCAN = 12;
const MAX_INDENT = 16;
const ERROR_COLOUR = '#d62728';

/** What the waterfall asks of the trace's loader worker, which has the spans' attributes and does the O(n) work. */
export interface WaterfallSource {
  /** Find in trace: the matching spans in row order. */
  find(text: string): Promise<Int32Array>;
  /** The minimap's RGBA pixels; colours are 0xrrggbb by service. */
  minimap(width: number, height: number, colours: [string, number][], error: number): Promise<Uint8ClampedArray>;
}

/**
 * The waterfall: time ruler, minimap with zoom, collapsible span tree and bars. Rows are virtualised — only the
 * rows in view (plus a few) exist in the DOM — so a 100,000-span trace costs the same to scroll as a small one.
 */
export class Waterfall {
  readonly element: HTMLElement;
  onSelect: (i: number) => void = () => undefined;
  private readonly collapsed = new Set<number>();
  private rows: Int32Array;
  private rowOf = new Int32Array(0);
  private selected = -1;
  private viewStart: number;
  private viewEnd: number;
  private matches = new Uint8Array(0);
  private matchList: Int32Array = new Int32Array(0);
  private matchCursor = -1;
  private findSeq = 0;
  private minimapSeq = 0;
  private readonly colourOf: string[] = [];
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly rowLayer: HTMLElement;
  private readonly ruler: HTMLElement;
  private readonly minimap: HTMLCanvasElement;
  private readonly window: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly matchInfo: HTMLElement;
  private readonly resetZoom: HTMLButtonElement;
  private frame = 0;
  private readonly start: number;
  private readonly end: number;
  private readonly listeners: [EventTarget, string, EventListener][] = [];

  constructor(private readonly tree: TraceView, private readonly colours: ServiceColours,
    private readonly source: WaterfallSource) {
    this.start = tree.data.traceStart;
    this.end = tree.data.traceEnd;
    this.viewStart = this.start;
    this.viewEnd = this.end > this.start ? this.end : this.start + 1;
    this.rows = visibleRows(tree, this.collapsed);
    this.search = h('input', { id: 'trace-search', type: 'search', placeholder: 'Find in trace (name, service, attribute)…  /' });
    this.matchInfo = h('span.muted', { id: 'match-info' });
    this.resetZoom = h('button', { type: 'button', id: 'reset-zoom', disabled: true, onclick: () => this.zoom(this.start, this.end) },
      'Reset zoom');
    const toolbar = h('div.toolbar', null, this.search, this.matchInfo,
      h('button', { type: 'button', title: 'Previous match', onclick: () => this.nextMatch(-1) }, '↑'),
      h('button', { type: 'button', title: 'Next match (Enter)', onclick: () => this.nextMatch(1) }, '↓'),
      h('button', { type: 'button', onclick: () => this.collapseAll(false) }, 'Expand all'),
      h('button', { type: 'button', onclick: () => this.collapseAll(true) }, 'Collapse all'),
      this.resetZoom,
      h('span.legend', null, h('i.cp-sample'), 'critical path', h('i.err-sample'), 'error'),
      h('span.muted.keys', null, '↑↓ select · ←→ fold · drag minimap/ruler to zoom'));
    this.minimap = h('canvas.minimap', { id: 'minimap', height: 48 });
    this.window = h('div.mm-window');
    const mm = h('div.minimap-box', null, h('div.mm-label', null, 'Overview'),
      h('div.mm-track', null, this.minimap, this.window));
    this.ruler = h('div.ruler-ticks');
    const ruler = h('div.ruler', null, h('div.ruler-name', null, 'Service · operation'), this.ruler);
    this.spacer = h('div.spacer');
    this.rowLayer = h('div.rows');
    this.scroller = h('div.scroller', { id: 'waterfall', tabindex: 0 }, this.spacer, this.rowLayer);
    this.element = h('section.waterfall', null, toolbar, mm, ruler, this.scroller);
  }

  mount(): void {
    this.on(this.scroller, 'scroll', () => this.schedule());
    this.on(window, 'resize', () => {
      this.drawMinimap();
      this.schedule();
    });
    this.on(this.rowLayer, 'click', (e) => {
      const t = e.target as HTMLElement;
      const row = t.closest<HTMLElement>('.row');
      if (!row) return;
      const i = Number(row.dataset.index);
      if (t.closest('.toggle')) this.toggle(i);
      else this.select(i, false);
    });
    this.on(this.search, 'input', () => this.find(this.search.value));
    this.on(this.search, 'keydown', (e) => {
      const k = e as KeyboardEvent;
      if (k.key === 'Enter') this.nextMatch(k.shiftKey ? -1 : 1);
      if (k.key === 'Escape') this.search.blur();
    });
    this.on(document, 'keydown', (e) => this.key(e as KeyboardEvent));
    this.dragZoom(this.minimap.parentElement!, () => [this.start, this.end]);
    this.dragZoom(this.ruler, () => [this.viewStart, this.viewEnd]);
    this.relayout();
    this.drawMinimap();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    for (const [t, type, l] of this.listeners) t.removeEventListener(type, l);
  }

  select(i: number, scroll: boolean): void {
    if (i >= 0) {
      // make sure the span is visible: expand its collapsed ancestors
      let changed = false;
      for (let p = this.tree.parent[i]; p >= 0; p = this.tree.parent[p]) {
        if (this.collapsed.delete(p)) changed = true;
      }
      if (changed) this.relayout();
    }
    this.selected = i;
    if (scroll && i >= 0) this.scrollTo(i);
    this.render();
    this.onSelect(i);
  }

  private on(t: EventTarget, type: string, l: EventListener): void {
    t.addEventListener(type, l);
    this.listeners.push([t, type, l]);
  }

  private relayout(): void {
    this.rows = visibleRows(this.tree, this.collapsed);
    if (this.rowOf.length !== this.tree.n) this.rowOf = new Int32Array(this.tree.n);
    this.rowOf.fill(-1);
    for (let r = 0; r < this.rows.length; r++) this.rowOf[this.rows[r]] = r;
    this.spacer.style.height = `${this.rows.length * ROW_H}px`;
    this.render();
  }

  private schedule(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.render());
  }

  private scrollTo(i: number): void {
    const r = this.rowOf[i];
    if (r < 0) return;
    const top = r * ROW_H;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + ROW_H > this.scroller.scrollTop + this.scroller.clientHeight) {
      this.scroller.scrollTop = top + ROW_H - this.scroller.clientHeight;
    }
  }

  private render(): void {
    const height = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_H) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((this.scroller.scrollTop + height) / ROW_H) + OVERSCAN);
    const out: HTMLElement[] = [];
    for (let r = first; r < last; r++) out.push(this.row(r));
    this.rowLayer.replaceChildren(...out);
    this.renderRuler();
  }

  private row(r: number): HTMLElement {
    const i = this.rows[r];
    const t = this.tree;
    const kids = t.childCount(i);
    const critical = t.critical(i);
    const service = t.service(i);
    const colour = this.colour(i);
    const error = t.error(i);
    const cls = ['row'];
    if (i === this.selected) cls.push('selected');
    if (error) cls.push('error');
    if (this.matches[i]) cls.push('match');
    const skew = t.warnings(i)?.join('; ') ?? '';
    // indentation stops at MAX_INDENT levels so that a very deep trace keeps its names on screen
    const depth = this.tree.depth[i];
    const name = h('div.name', { style: { paddingLeft: `${6 + Math.min(depth, MAX_INDENT) * 14}px` } },
      depth > MAX_INDENT ? h('span.depth', { title: `depth ${depth}` }, `${depth}›`) : null,
      kids ? h('button.toggle', { type: 'button', 'aria-label': this.collapsed.has(i) ? 'Expand' : 'Collapse' },
        this.collapsed.has(i) ? '▸' : '▾') : h('span.toggle-pad'),
      h('i.chip', { style: { background: colour } }),
      error ? h('span.err-icon', { title: 'error' }, '!') : null,
      skew ? h('span.skew-icon', { title: skew }, '⚠') : null,
      t.orphan(i) ? h('span.orphan', { title: 'parent span missing' }, '⤴') : null,
      h('span.svc-name', null, service), ' ', h('span.op', null, t.name(i)),
      this.collapsed.has(i) ? h('span.muted', null, ` (+${kids})`) : null);
    const lane = h('div.lane');
    const g = barGeometry(t.start[i], t.end[i], this.viewStart, this.viewEnd);
    if (g) {
      const bar = h('div.bar', { style: { left: `${g.left * 100}%`, width: `${g.width * 100}%`, background: colour } });
      lane.append(bar);
      for (const seg of critical ?? []) {
        const c = barGeometry(seg.start, seg.end, this.viewStart, this.viewEnd, 0);
        if (c) lane.append(h('div.cp', { style: { left: `${c.left * 100}%`, width: `${c.width * 100}%` } }));
      }
      const label = h('span.dur', null, formatDuration(t.end[i] - t.start[i]));
      if (g.left + g.width > 0.85) label.style.right = `${(1 - g.left) * 100 + 0.5}%`;
      else label.style.left = `${(g.left + g.width) * 100 + 0.5}%`;
      lane.append(label);
    }
    const el = h('div', { className: cls.join(' '), style: { top: `${r * ROW_H}px` }, title: `${service}: ${t.name(i)}` },
      name, lane);
    el.dataset.index = String(i);
    el.dataset.spanId = t.id(i);
    if (critical) el.dataset.critical = 'true';
    return el;
  }

  private renderRuler(): void {
    this.ruler.replaceChildren(...ticks(this.viewStart, this.viewEnd, this.start).map((t) =>
      h('span.tick', { style: { left: `${t.fraction * 100}%` } }, t.label)));
    const span = this.end - this.start || 1;
    this.window.style.left = `${((this.viewStart - this.start) / span) * 100}%`;
    this.window.style.width = `${((this.viewEnd - this.viewStart) / span) * 100}%`;
    this.resetZoom.disabled = this.viewStart === this.start && this.viewEnd === this.end;
  }

  private drawMinimap(): void {
    const c = this.minimap;
    const w = (c.width = c.parentElement!.clientWidth || 800);
    const hgt = c.height;
    const seq = ++this.minimapSeq;
    const colours = this.tree.data.serviceOrder.map((s): [string, number] => [s, hexColour(this.colours.colour(s))]);
    this.source.minimap(w, hgt, colours, hexColour(ERROR_COLOUR)).then((pixels) => {
      const ctx = c.getContext('2d');
      if (seq !== this.minimapSeq || !ctx || pixels.length !== w * hgt * 4) return;
      ctx.putImageData(new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, w, hgt), 0, 0);
    });
  }

  /** Drag across an element to zoom into that time range; `range` maps its width to times. */
  private dragZoom(el: HTMLElement, range: () => [number, number]): void {
    let from = -1;
    const sel = h('div.drag-sel');
    const x = (e: MouseEvent) => {
      const b = el.getBoundingClientRect();
      return Math.min(Math.max((e.clientX - b.left) / b.width, 0), 1);
    };
    this.on(el, 'mousedown', (e) => {
      from = x(e as MouseEvent);
      el.append(sel);
      sel.style.left = `${from * 100}%`;
      sel.style.width = '0';
      e.preventDefault();
    });
    this.on(window, 'mousemove', (e) => {
      if (from < 0) return;
      const to = x(e as MouseEvent);
      sel.style.left = `${Math.min(from, to) * 100}%`;
      sel.style.width = `${Math.abs(to - from) * 100}%`;
    });
    this.on(window, 'mouseup', (e) => {
      if (from < 0) return;
      const to = x(e as MouseEvent);
      sel.remove();
      const [a, b] = range();
      if (Math.abs(to - from) > 0.005) this.zoom(a + Math.min(from, to) * (b - a), a + Math.max(from, to) * (b - a));
      from = -1;
    });
  }

  zoom(a: number, b: number): void {
    this.viewStart = a;
    this.viewEnd = b > a ? b : a + 1;
    this.render();
  }

  /** Span i's service colour, looked up once per service. */
  private colour(i: number): string {
    const code = this.tree.data.service[i];
    return (this.colourOf[code] ??= this.colours.colour(this.tree.data.strings[code]));
  }

  private toggle(i: number): void {
    if (!this.collapsed.delete(i)) this.collapsed.add(i);
    this.relayout();
  }

  private collapseAll(collapse: boolean): void {
    this.collapsed.clear();
    if (collapse) for (const r of this.tree.data.roots) for (const c of this.tree.children(r)) if (this.tree.childCount(c)) this.collapsed.add(c);
    this.relayout();
  }

  /** Find in trace runs in the loader worker; an answer overtaken by newer typing is dropped. */
  private find(text: string): void {
    const seq = ++this.findSeq;
    const q = text.trim();
    if (!q) {
      this.showMatches(new Int32Array(0), '');
      return;
    }
    this.source.find(q).then((found) => {
      if (seq === this.findSeq) this.showMatches(found, `${found.length} match${found.length === 1 ? '' : 'es'}`);
    });
  }

  private showMatches(found: Int32Array, info: string): void {
    this.matches = new Uint8Array(this.tree.n);
    for (const i of found) this.matches[i] = 1;
    this.matchList = found;
    this.matchCursor = -1;
    this.matchInfo.textContent = info;
    this.render();
  }

  private nextMatch(dir: number): void {
    if (!this.matchList.length) return;
    this.matchCursor = (this.matchCursor + dir + this.matchList.length) % this.matchList.length;
    this.select(this.matchList[this.matchCursor], true);
  }

  private key(e: KeyboardEvent): void {
    const t = e.target as HTMLElement;
    if (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return;
    const r = this.selected >= 0 ? this.rowOf[this.selected] : -1;
    const go = (row: number) => {
      e.preventDefault();
      if (row >= 0 && row < this.rows.length) this.select(this.rows[row], true);
    };
    switch (e.key) {
      case 'ArrowDown': case 'j': go(r + 1); break;
      case 'ArrowUp': case 'k': go(r < 0 ? 0 : r - 1); break;
      case 'ArrowLeft':
        if (this.selected < 0) return;
        e.preventDefault();
        if (this.tree.childCount(this.selected) && !this.collapsed.has(this.selected)) this.toggle(this.selected);
        else if (this.tree.parent[this.selected] >= 0) this.select(this.tree.parent[this.selected], true);
        break;
      case 'ArrowRight':
        if (this.selected >= 0 && this.collapsed.has(this.selected)) {
          e.preventDefault();
          this.toggle(this.selected);
        }
        break;
      case 'Escape': this.select(-1, false); break;
      case '/': e.preventDefault(); this.search.focus(); break;
      default:
    }
  }
}

