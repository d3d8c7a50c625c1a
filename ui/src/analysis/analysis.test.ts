import { describe, expect, it } from 'vitest';
import { criticalPath } from './criticalPath';
import { errorOrigin } from './errorOrigin';
import { latencyByService } from './latency';
import { ms, span, tree } from './fixtures';

const seg = (id: number, from: number, to: number) => ({ spanId: String(id), start: ms(from), end: ms(to) });

describe('critical path', () => {
  it('walks back from the last-finishing child', () => {
    const t = tree(span(1, 0, 'frontend', 0, 100), span(2, 1, 'orders', 10, 40), span(3, 1, 'payments', 50, 90),
      span(4, 3, 'db', 60, 70));
    expect(criticalPath(t)).toEqual([seg(1, 90, 100), seg(3, 70, 90), seg(4, 60, 70), seg(3, 50, 60),
      seg(1, 40, 50), seg(2, 10, 40), seg(1, 0, 10)]);
  });

  it('clamps overflowing children and drops children outside their parent (clock skew)', () => {
    const t = tree(span(1, 0, 'a', 0, 100), span(2, 1, 'b', 80, 130), span(3, 1, 'c', -20, 10),
      span(4, 1, 'd', 150, 160));
    expect(criticalPath(t)).toEqual([seg(2, 80, 100), seg(1, 10, 80), seg(3, 0, 10)]);
  });

  it('ignores FOLLOWS_FROM children (consumer of a producer, OpenTracing follows_from link)', () => {
    const t = tree(span(1, 0, 'a', 0, 100, { kind: 'SERVER' }), span(2, 1, 'a', 10, 90, { kind: 'PRODUCER' }),
      span(3, 2, 'worker', 20, 85, { kind: 'CONSUMER' }), span(4, 1, 'audit', 30, 95, { followsFromLinkTo: '1' }));
    expect(criticalPath(t)).toEqual([seg(1, 90, 100), seg(2, 10, 90), seg(1, 0, 10)]);
  });

  it('leaves out spans whose parent is missing', () => {
    const t = tree(span(1, 0, 'a', 0, 100), span(2, 1, 'b', 10, 30), span(3, 99, 'orphan', 20, 50));
    expect(criticalPath(t)).toEqual([seg(1, 30, 100), seg(2, 10, 30), seg(1, 0, 10)]);
  });

  it('completes on a chain deeper than the call stack', () => {
    const spans = [];
    for (let i = 1; i <= 50_000; i++) spans.push(span(i, i - 1, 's', i, 200_000 - i));
    const path = criticalPath(tree(...spans));
    expect(path).toHaveLength(2 * 50_000 - 1);
    expect(path[0]).toEqual(seg(1, 200_000 - 2, 200_000 - 1));
  });
});

describe('error origin', () => {
  it('is the deepest error span without an error descendant, with its exception', () => {
    const t = tree(span(1, 0, 'frontend', 0, 100, { error: true, statusMessage: 'upstream failed' }),
      span(2, 1, 'orders', 10, 90, { error: true, statusMessage: 'payment failed' }),
      span(3, 2, 'payments', 20, 70, { error: true, exception: {
        type: 'java.lang.IllegalStateException', message: 'card declined',
        stacktrace: 'java.lang.IllegalStateException: card declined\n\tat Pay.charge' } }),
      span(4, 2, 'inventory', 75, 85),
      span(5, 1, 'cache', 91, 95, { error: true, statusMessage: 'miss' }));
    expect(errorOrigin(t)).toMatchObject({ spanId: '3', serviceName: 'payments',
      exceptionType: 'java.lang.IllegalStateException', message: 'card declined' });
  });

  it('breaks ties by the earlier start and falls back to the status message', () => {
    const t = tree(span(1, 0, 'frontend', 0, 100), span(2, 1, 'b', 30, 40, { error: true, statusMessage: 'timeout' }),
      span(3, 1, 'c', 20, 50, { error: true, statusMessage: 'refused' }));
    expect(errorOrigin(t)).toMatchObject({ spanId: '3', message: 'refused', exceptionType: '' });
  });

  it('considers spans whose parent is missing, the deeper error wins', () => {
    const t = tree(span(1, 0, 'a', 0, 100, { error: true }), span(2, 1, 'b', 10, 30, { error: true }),
      span(3, 99, 'orphan', 20, 50, { error: true }));
    expect(errorOrigin(t)?.serviceName).toBe('b');
  });

  it('is null without error spans', () => {
    expect(errorOrigin(tree(span(1, 0, 'a', 0, 100)))).toBeNull();
  });
});

describe('latency by service', () => {
  const lat = (serviceName: string, selfMs: number, spanCount: number) =>
    ({ serviceName, selfTime: ms(selfMs), spanCount });

  it('sums self time per service, largest first', () => {
    const t = tree(span(1, 0, 'frontend', 0, 100), span(2, 1, 'orders', 10, 40), span(3, 1, 'payments', 50, 90),
      span(4, 3, 'db', 60, 70), span(5, 3, 'db', 65, 75));
    expect(latencyByService(t)).toEqual([lat('frontend', 30, 1), lat('orders', 30, 1), lat('payments', 25, 1),
      lat('db', 20, 2)]);
  });

  it('counts only the child time inside the parent', () => {
    const t = tree(span(1, 0, 'a', 0, 100), span(2, 1, 'b', 80, 130), span(3, 1, 'c', -20, 10),
      span(4, 1, 'd', 150, 160));
    expect(latencyByService(t)).toEqual([lat('a', 70, 1), lat('b', 50, 1), lat('c', 30, 1), lat('d', 10, 1)]);
  });

  it('subtracts asynchronous children too', () => {
    const t = tree(span(1, 0, 'a', 0, 100), span(2, 1, 'a', 10, 90, { kind: 'PRODUCER' }),
      span(3, 2, 'worker', 20, 85, { kind: 'CONSUMER' }));
    expect(latencyByService(t)).toEqual([lat('worker', 65, 1), lat('a', 35, 2)]);
  });
});
