// Test helper: hand-built spans (analysis/fixtures.ts) through the worker's packing, as the page receives them.
import { Span } from '../analysis/model';
import { selfTimes } from '../analysis/latency';
import { tree } from '../analysis/fixtures';
import { Loaded, fromBrowser, pack } from './pack';
import { TraceView } from './traceData';

export function loaded(...spans: Span[]): Loaded {
  const t = tree(...spans);
  return { traceId: 'feed', spans: t.spans, tree: t, self: selfTimes(t) };
}

export function view(...spans: Span[]): TraceView {
  const l = loaded(...spans);
  return new TraceView(pack(l, fromBrowser(l.tree, l.self)));
}
