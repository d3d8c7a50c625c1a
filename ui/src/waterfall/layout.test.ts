import { describe, expect, it } from 'vitest';
import { span } from '../analysis/fixtures';
import { view } from '../loader/fixtures';
import { TraceView } from '../loader/traceData';
import { barGeometry, formatDuration, ticks, visibleRows } from './layout';

const ids = (t: TraceView, rows: Int32Array) => [...rows].map((i) => t.id(i));

describe('waterfall rows', () => {
  const t = view(span(1, 0, 'a', 0, 100), span(2, 1, 'b', 10, 40), span(3, 2, 'c', 15, 20),
    span(4, 1, 'd', 50, 90), span(5, 77, 'orphan', 5, 60), span(6, 5, 'e', 6, 7));

  it('lists the root subtree in pre-order, siblings by start, then orphan subtrees', () => {
    expect(ids(t, visibleRows(t, new Set()))).toEqual(['1', '2', '3', '4', '5', '6']);
    expect([...visibleRows(t, new Set())].map((i) => t.depth[i])).toEqual([0, 1, 2, 1, 0, 1]);
    expect(t.orphan(t.indexOf('5'))).toBe(true);
  });

  it('hides the descendants of a collapsed span but keeps its later siblings', () => {
    expect(ids(t, visibleRows(t, new Set([t.indexOf('2')])))).toEqual(['1', '2', '4', '5', '6']);
    expect(ids(t, visibleRows(t, new Set([t.indexOf('1')])))).toEqual(['1', '5', '6']);
  });

  it('puts a skewed child that starts before its parent under that parent', () => {
    const s = view(span(1, 0, 'a', 0, 100), span(2, 1, 'b', -20, 10));
    expect(ids(s, visibleRows(s, new Set()))).toEqual(['1', '2']);
  });
});

describe('bar geometry', () => {
  it('places a span as fractions of the window', () => {
    expect(barGeometry(25, 75, 0, 100)).toEqual({ left: 0.25, width: 0.5 });
  });

  it('cuts an overflowing span at the window edge', () => {
    expect(barGeometry(80, 130, 0, 100)).toEqual({ left: 0.8, width: 0.2 });
    expect(barGeometry(-20, 10, 0, 100)).toEqual({ left: 0, width: 0.1 });
  });

  it('hides spans outside a zoomed window and widens instant spans', () => {
    expect(barGeometry(0, 10, 50, 100)).toBeNull();
    expect(barGeometry(60, 60, 50, 100)).toEqual({ left: 0.2, width: 0.002 });
  });
});

describe('ruler', () => {
  it('ticks at round durations from the trace start', () => {
    expect(ticks(0, 1000, 0, 5).map((x) => x.label)).toEqual(['0', '200µs', '400µs', '600µs', '800µs', '1ms']);
    expect(ticks(250, 1000, 0, 4)[0]).toEqual({ fraction: (400 - 250) / 750, label: '400µs' });
  });

  it('formats durations for people', () => {
    expect([formatDuration(0.5), formatDuration(950), formatDuration(12_345), formatDuration(1_250_000),
      formatDuration(123_000_000)]).toEqual(['500ns', '950µs', '12.3ms', '1.25s', '2m 3s']);
  });
});
