/**
 * The minimap's pixels: every span a bar in its row-order position (pre-order k of n maps to pixel rows
 * k·h/n … (k+1)·h/n, at least one), later rows painted over earlier ones, bars at least one pixel wide. Written
 * straight into RGBA pixels instead of one canvas fillRect per span: each pixel is written once (spans are taken
 * last to first and skip the pixels already painted), so a 100,000-span trace costs O(spans + pixels), a few
 * milliseconds, where 100,000 fillRect calls and fillStyle parses blocked the page for hundreds.
 */
export function minimapPixels(preOrder: Int32Array, start: Float64Array, end: Float64Array, traceStart: number,
  traceEnd: number, rgb: (i: number) => number, w: number, h: number, out: Uint8ClampedArray): void {
  const n = preOrder.length;
  if (w <= 0 || h <= 0 || n === 0) return;
  const span = traceEnd - traceStart || 1;
  // next[y * (w + 1) + x]: the first pixel ≥ x in row y not painted yet (w when none); union-find with path halving
  const stride = w + 1;
  const next = new Int32Array(stride * h);
  for (let y = 0; y < h; y++) for (let x = 0; x <= w; x++) next[y * stride + x] = x;
  const free = (row: number, x: number) => {
    while (next[row + x] !== x) {
      next[row + x] = next[row + next[row + x]];
      x = next[row + x];
    }
    return x;
  };
  for (let k = n - 1; k >= 0; k--) {
    const i = preOrder[k];
    const x0 = ((start[i] - traceStart) / span) * w;
    const x1 = ((end[i] - traceStart) / span) * w;
    const a = Math.min(Math.max(Math.floor(x0), 0), w - 1);
    const b = Math.min(Math.max(Math.ceil(x1), a + 1), w);
    const ya = Math.min(Math.floor((k * h) / n), h - 1);
    const yb = Math.min(Math.max(Math.floor(((k + 1) * h) / n), ya + 1), h);
    const c = rgb(i);
    for (let y = ya; y < yb; y++) {
      const row = y * stride;
      for (let x = free(row, a); x < b; x = free(row, x + 1)) {
        const p = (y * w + x) * 4;
        out[p] = (c >> 16) & 255;
        out[p + 1] = (c >> 8) & 255;
        out[p + 2] = c & 255;
        out[p + 3] = 255;
        next[row + x] = x + 1;
      }
    }
  }
}

/** '#rrggbb' → 0xrrggbb. */
export function hexColour(css: string): number {
  return parseInt(css.slice(1, 7), 16);
}
