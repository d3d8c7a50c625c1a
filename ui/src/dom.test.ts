import { describe, expect, it } from 'vitest';
import { extractTraceId } from './dom';

describe('jump to trace id', () => {
  it('finds the id in a header, a traceparent or a log line', () => {
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(extractTraceId(`X-Trace-Id: ${id.toUpperCase()}`)).toBe(id);
    expect(extractTraceId(`traceparent: 00-${id}-00f067aa0ba902b7-01`)).toBe(id);
    expect(extractTraceId(`2026-01-01 ERROR trace_id=${id} span_id=00f067aa0ba902b7 boom`)).toBe(id);
    expect(extractTraceId('a3ce929d0e0e4736')).toBe('a3ce929d0e0e4736');
    expect(extractTraceId('no id here')).toBeNull();
  });
});
