import { Tree } from './tree';

export interface ErrorOrigin {
  spanId: string;
  serviceName: string;
  spanName: string;
  exceptionType: string;
  message: string;
  exceptionStacktrace: string;
}

/**
 * Where the failure started: the deepest error span without an error descendant (one would explain it), ties to
 * the earliest start; its last exception event's type and message, else the status message.
 */
export function errorOrigin(tree: Tree): ErrorOrigin | null {
  const n = tree.spans.length;
  const errorBelow = new Uint8Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const i = tree.preOrder[k];
    const p = tree.parent[i];
    if (p >= 0 && (errorBelow[i] || tree.spans[i].error)) errorBelow[p] = 1;
  }
  let best = -1;
  for (const i of tree.preOrder) {
    const s = tree.spans[i];
    if (!s.error || errorBelow[i]) continue;
    if (best < 0 || tree.depth[i] > tree.depth[best]
        || (tree.depth[i] === tree.depth[best] && s.start < tree.spans[best].start)) best = i;
  }
  if (best < 0) return null;
  const s = tree.spans[best];
  return {
    spanId: s.id,
    serviceName: s.service,
    spanName: s.name,
    exceptionType: s.exception?.type ?? '',
    message: s.exception?.message || s.statusMessage,
    exceptionStacktrace: s.exception?.stacktrace ?? '',
  };
}
