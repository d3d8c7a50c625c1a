import { describe, expect, it } from 'vitest';
import type { Analysis, ApiSpan, ApiTrace } from '../api';
import { ms, span } from '../analysis/fixtures';
import { criticalPath } from '../analysis/criticalPath';
import { loaded, view } from './fixtures';
import { formatBytes, progressText } from './messages';
import { find, fromBrowser, fromServer, insightOf, load, minimap, minimapInput, pack } from './pack';
import { TraceData, TraceView, buffersOf } from './traceData';

const raw = (extra: Partial<ApiSpan>) => ({ attributes: [], events: [], links: [], ...extra }) as unknown as ApiSpan;

/** frontend → orders (→ db, error) and payments (error, skewed); an orphan whose parent 99 is missing. */
const spans = () => [
  span(1, 0, 'frontend', 0, 100, { kind: 'SERVER' }),
  span(2, 1, 'orders', 10, 40, { raw: raw({ attributes: [{ key: 'http.route', value: { stringValue: '/Orders/{id}' } }] }) }),
  span(3, 2, 'db', 15, 20, { name: 'SELECT', error: true }),
  span(4, 1, 'payments', 50, 90, { error: true, raw: raw({ warnings: ['shifted by 3ms'] }) }),
  span(5, 99, 'frontend', 60, 70),
];

/** What postMessage does to the data: a structured clone with the buffers moved, not copied. */
function posted(d: TraceData): TraceData {
  return structuredClone(d, { transfer: buffersOf(d) });
}

describe('trace columns', () => {
  it('carries the server\'s truncation notice to the page, and none for a whole trace', () => {
    const l = loaded(...spans());
    expect(posted(pack(l, fromBrowser(l.tree, l.self))).truncated).toBeNull();
    const truncated = { spanCount: 12, shownSpanCount: 5, message: 'trace truncated' };
    const cut = { ...l, truncated };
    expect(posted(pack(cut, fromBrowser(cut.tree, cut.self))).truncated).toEqual(truncated);
  });

  it('keeps every span by its API index with names, times, flags and the tree', () => {
    const l = loaded(...spans());
    const t = new TraceView(posted(pack(l, fromBrowser(l.tree, l.self))));
    expect(t.n).toBe(5);
    expect([...Array(5).keys()].map((i) => `${t.id(i)} ${t.service(i)} ${t.name(i)} ${t.kind(i)}`)).toEqual([
      '1 frontend op1 SERVER', '2 orders op2 INTERNAL', '3 db SELECT INTERNAL', '4 payments op4 INTERNAL',
      '5 frontend op5 INTERNAL']);
    expect(t.start[3]).toBe(ms(50));
    expect(t.end[3]).toBe(ms(90));
    expect([...Array(5).keys()].map((i) => [t.error(i), t.orphan(i)])).toEqual([
      [false, false], [false, false], [true, false], [true, false], [false, true]]);
    expect([...t.preOrder]).toEqual([0, 1, 2, 3, 4]);
    expect([...t.depth]).toEqual([0, 1, 2, 1, 0]);
    expect([...t.parent]).toEqual([-1, 0, 1, 0, -1]);
    expect([...t.children(0)]).toEqual([1, 3]);
    expect([0, 1, 2, 3, 4].map((i) => t.childCount(i))).toEqual([2, 1, 0, 0, 0]);
    expect([...t.data.roots]).toEqual([0, 4]);
    expect(t.data.strings.filter((s) => s === 'frontend')).toHaveLength(1);
    expect(t.data.serviceOrder).toEqual(['frontend', 'orders', 'db', 'payments']);
    expect([t.data.traceStart, t.data.traceEnd, t.data.maxDepth, t.data.errorCount]).toEqual([0, ms(100), 2, 2]);
  });

  it('carries self times, warnings and the critical path per span', () => {
    const l = loaded(...spans());
    const t = new TraceView(posted(pack(l, fromBrowser(l.tree, l.self))));
    expect(t.self[0]).toBe(ms(100 - 30 - 40));
    expect(t.warnings(3)).toEqual(['shifted by 3ms']);
    expect(t.warnings(1)).toBeUndefined();
    expect(t.skewedCount).toBe(1);
    // the browser's critical path, regrouped by span
    for (const seg of criticalPath(l.tree)) {
      expect(t.critical(t.indexOf(seg.spanId))).toContainEqual({ start: seg.start, end: seg.end });
    }
    expect(t.critical(0)).toEqual([{ start: ms(90), end: ms(100) }, { start: ms(40), end: ms(50) },
      { start: ms(0), end: ms(10) }]);
    expect(t.critical(4)).toBeUndefined();
    expect(t.data.origin).toMatchObject({ spanId: '3', serviceName: 'db', spanName: 'SELECT', index: 2 });
    expect(t.data.source).toBe('browser');
  });

  it("uses the server's analysis when there is one, by span id", () => {
    const l = loaded(...spans());
    const a: Analysis = { traceId: 'feed',
      criticalPath: [{ spanId: '4', startTimeUnixNano: '50000000', endTimeUnixNano: '90000001' },
        { spanId: 'gone', startTimeUnixNano: '1', endTimeUnixNano: '2' }],
      errorOrigin: { spanId: '4', serviceName: 'payments', spanName: 'op4', exceptionType: '', message: 'm',
        exceptionStacktrace: '' },
      latencyByService: [{ serviceName: 'payments', selfTimeNanos: '40000000', spanCount: 1 }] };
    const t = new TraceView(pack(l, fromServer(a, l.tree)));
    expect(t.critical(3)).toEqual([{ start: ms(50), end: ms(90) + 0.001 }]);
    expect(t.critical(0)).toBeUndefined();
    expect(t.data.origin?.index).toBe(3);
    expect(t.data.latency).toEqual([{ serviceName: 'payments', selfTime: ms(40), spanCount: 1 }]);
    expect(t.data.source).toBe('server');
  });

  it('moves its buffers instead of copying them, and the worker keeps its own tree', () => {
    const l = loaded(...spans());
    const d = pack(l, fromBrowser(l.tree, l.self));
    const buffers = buffersOf(d);
    expect(buffers).toHaveLength(17);
    posted(d);
    expect(buffers.every((b) => b.byteLength === 0)).toBe(true);
    expect([...l.tree.preOrder]).toEqual([0, 1, 2, 3, 4]);
    expect(l.self[0]).toBe(ms(30));
  });

  it('finds spans by id among ids of any length, the first of repeated ids, and nothing for a part of an id', () => {
    const t = view(span(12, 0, 'a', 0, 100), span(1, 12, 'b', 1, 2), span(123, 12, 'c', 3, 4),
      span(23, 12, 'd', 5, 6), span(1, 12, 'e', 7, 8));
    expect(['12', '1', '123', '23'].map((id) => t.service(t.indexOf(id)))).toEqual(['a', 'b', 'c', 'd']);
    expect(['2', '3', '', '1231', 'x'].map((id) => t.indexOf(id))).toEqual([-1, -1, -1, -1, -1]);
  });

  it('packs an empty trace', () => {
    const t = new TraceView(posted(pack(load({ traceId: 'e', spans: [] }), { critical: new Map(), origin: null,
      latency: [], source: 'browser' })));
    expect([t.n, t.preOrder.length, t.indexOf('1'), t.data.traceStart]).toEqual([0, 0, -1, 0]);
  });
});

describe('minimap in the worker', () => {
  it('draws from its own copy of the columns, errors in the error colour, unknown services grey', () => {
    const l = loaded(...spans());
    const d = pack(l, fromBrowser(l.tree, l.self));
    const input = minimapInput(d);
    posted(d);
    const px = minimap(input, 10, 5, new Map([['frontend', 0x010203], ['orders', 0x040506]]), 0xff0000);
    const at = (x: number, y: number) => [...px.subarray((y * 10 + x) * 4, (y * 10 + x) * 4 + 4)];
    expect(at(0, 0)).toEqual([1, 2, 3, 255]); // frontend root, row 0
    expect(at(1, 1)).toEqual([4, 5, 6, 255]); // orders 10–40 ms, row 1
    expect(at(1, 2)).toEqual([255, 0, 0, 255]); // db, an error
    expect(at(0, 2)).toEqual([0, 0, 0, 0]);
    expect(at(6, 4)).toEqual([1, 2, 3, 255]); // the orphan, frontend
    expect(px).toHaveLength(10 * 5 * 4);
  });
});

describe('find in trace', () => {
  const l = loaded(...spans());
  it('matches name, service, id and attributes, case-insensitively, in row order', () => {
    expect([...find(l, 'FRONT')]).toEqual([0, 4]);
    expect([...find(l, 'select')]).toEqual([2]);
    expect([...find(l, '4')]).toEqual([3]);
    expect([...find(l, 'route={"stringvalue":"/orders')]).toEqual([1]);
    expect([...find(l, '  ')]).toEqual([]);
  });
});

describe('loading the API answer', () => {
  const api: ApiTrace = { traceId: 'abc', spans: [
    { traceId: 'abc', spanId: 'a1', parentSpanId: '', name: 'GET /', kind: 'SERVER', serviceName: 'web',
      startTimeUnixNano: '1000000000000', endTimeUnixNano: '1000002000000', durationNanos: '2000000',
      attributes: [], events: [], links: [], status: { code: 'ERROR', message: 'boom' }, resource: { attributes: [] },
      scope: { name: 's' } },
  ] };
  it('builds the tree and computes the analysis when the server has none', () => {
    const l = load(api);
    const d = pack(l, insightOf(l, null));
    expect([d.traceId, d.n, d.errorCount, d.origin?.message, d.source]).toEqual(['abc', 1, 1, 'boom', 'browser']);
    expect(d.traceEnd - d.traceStart).toBe(2000);
    expect(l.spans[0].raw).toBe(api.spans[0]);
  });
});

describe('progress', () => {
  it('says what the loader is doing', () => {
    expect([formatBytes(950), formatBytes(12_345), formatBytes(60_443_100)]).toEqual(['950 B', '12.3 kB', '60.4 MB']);
    expect(progressText('t1', { phase: 'fetch', bytes: 0, spans: 0 })).toBe('Loading trace t1… waiting for the server');
    expect(progressText('t1', { phase: 'fetch', bytes: 2_500_000, spans: 0 })).toBe('Loading trace t1… 2.5 MB received');
    expect(progressText('t1', { phase: 'build', bytes: 1, spans: 100_000 }))
      .toBe('Loading trace t1… building the tree of 100,000 spans');
  });
});
