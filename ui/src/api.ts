// The native query API (docs/api.md) as the UI reads it. Times arrive as decimal strings of epoch nanoseconds.

export interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values: AnyValue[] };
  kvlistValue?: { values: KeyValue[] };
}
export interface KeyValue { key: string; value: AnyValue }
export interface ApiEvent { timeUnixNano: string; name: string; attributes: KeyValue[] }
export interface ApiLink { traceId: string; spanId: string; attributes: KeyValue[] }
export interface ApiSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  serviceName: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationNanos: string;
  attributes: KeyValue[];
  events: ApiEvent[];
  links: ApiLink[];
  status: { code: string; message?: string };
  resource: { attributes: KeyValue[] };
  scope: { name: string; version?: string; attributes?: KeyValue[] };
  /** Set by the server's clock-skew adjustment (issue 3) on spans it shifted. */
  warnings?: string[];
}
/** Present when the server left spans out (spoor.query.max_trace_spans). */
export interface Truncation { spanCount: number; shownSpanCount: number; message: string }
export interface ApiTrace { traceId: string; spans: ApiSpan[]; truncated?: Truncation }
export interface TraceSummary {
  traceId: string;
  rootServiceName: string;
  rootSpanName: string;
  startTimeUnixNano: string;
  durationNanos: string;
  spanCount: number;
  errorCount: number;
  services: { name: string; spanCount: number }[];
}
export interface Analysis {
  traceId: string;
  criticalPath: { spanId: string; startTimeUnixNano: string; endTimeUnixNano: string }[];
  errorOrigin: null | {
    spanId: string; serviceName: string; spanName: string; exceptionType: string; message: string;
    exceptionStacktrace: string;
  };
  latencyByService: { serviceName: string; selfTimeNanos: string; spanCount: number }[];
}
export interface Dependency { parent: string; child: string; callCount: number; errorCount: number }

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const r = await fetch(path, { signal, headers: { Accept: 'application/json' } });
  if (!r.ok) {
    let message = `${r.status} ${r.statusText}`;
    try {
      const body = await r.json();
      if (body?.error?.message) message = body.error.message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(r.status, message);
  }
  return r.json() as Promise<T>;
}

/** Epoch nanoseconds (decimal string) → epoch microseconds as a float, exact to the nanosecond for current dates. */
export function nanosToMicros(ns: string): number {
  if (ns.length <= 3) return Number(ns) / 1000;
  return Number(ns.slice(0, -3)) + Number(ns.slice(-3)) / 1000;
}

export function anyValueToString(v: AnyValue): string {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.intValue !== undefined) return v.intValue;
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  if (v.bytesValue !== undefined) return v.bytesValue;
  if (v.arrayValue) return '[' + (v.arrayValue.values ?? []).map(anyValueToString).join(', ') + ']';
  if (v.kvlistValue) {
    return '{' + (v.kvlistValue.values ?? []).map((kv) => `${kv.key}: ${anyValueToString(kv.value)}`).join(', ') + '}';
  }
  return '';
}

export function attr(attrs: KeyValue[] | undefined, key: string): string | undefined {
  const kv = attrs?.find((a) => a.key === key);
  return kv ? anyValueToString(kv.value) : undefined;
}
