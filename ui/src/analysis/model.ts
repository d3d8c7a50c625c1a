import { ApiSpan, ApiTrace, attr, nanosToMicros } from '../api';

/** A span as the analyses and the waterfall use it: times in microseconds since the epoch (floats). */
export interface Span {
  id: string;
  parentId: string;
  name: string;
  service: string;
  kind: string;
  start: number;
  end: number;
  error: boolean;
  statusMessage: string;
  /** OpenTracing shim: a link to the parent with opentracing.ref_type=follows_from. */
  followsFromLinkTo?: string;
  exception?: { type: string; message: string; stacktrace: string };
  raw?: ApiSpan;
}

export function fromApi(trace: ApiTrace): Span[] {
  return trace.spans.map((s) => {
    const start = nanosToMicros(s.startTimeUnixNano);
    let exception: Span['exception'];
    for (const e of s.events ?? []) {
      if (e.name === 'exception') {
        exception = {
          type: attr(e.attributes, 'exception.type') ?? '',
          message: attr(e.attributes, 'exception.message') ?? '',
          stacktrace: attr(e.attributes, 'exception.stacktrace') ?? '',
        };
      }
    }
    const ff = (s.links ?? []).find((l) => attr(l.attributes, 'opentracing.ref_type') === 'follows_from');
    return {
      id: s.spanId,
      parentId: s.parentSpanId,
      name: s.name,
      service: s.serviceName,
      kind: s.kind,
      start,
      end: Math.max(start, nanosToMicros(s.endTimeUnixNano)),
      error: s.status?.code === 'ERROR',
      statusMessage: s.status?.message ?? '',
      followsFromLinkTo: ff?.spanId,
      exception,
      raw: s,
    };
  });
}
