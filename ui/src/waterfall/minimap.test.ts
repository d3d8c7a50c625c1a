import { describe, expect, it } from 'vitest';
import { hexColour, minimapPixels } from './minimap';

/** The pixels as rows of colour letters ('.' = transparent), for spans given as [start, end, letter]. */
function draw(spans: [number, number, string][], w: number, h: number, traceEnd = 100): string[] {
  const letters = [...new Set(spans.map((s) => s[2]))];
  const out = new Uint8ClampedArray(w * h * 4);
  minimapPixels(Int32Array.from(spans.keys()), Float64Array.from(spans.map((s) => s[0])),
    Float64Array.from(spans.map((s) => s[1])), 0, traceEnd, (i) => letters.indexOf(spans[i][2]) + 1, w, h, out);
  const rows: string[] = [];
  for (let y = 0; y < h; y++) {
    let row = '';
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 4;
      row += out[p + 3] ? letters[out[p + 2] - 1] : '.';
    }
    rows.push(row);
  }
  return rows;
}

describe('minimap pixels', () => {
  it('gives each span its share of the rows and its time range of the columns', () => {
    expect(draw([[0, 100, 'a'], [0, 50, 'b'], [50, 100, 'c'], [20, 30, 'd']], 10, 4)).toEqual([
      'aaaaaaaaaa',
      'bbbbb.....',
      '.....ccccc',
      '..d.......']);
  });

  it('stretches few spans over many rows, keeps instant spans one pixel wide, clips to the canvas', () => {
    expect(draw([[0, 100, 'a'], [55, 55, 'b'], [90, 140, 'c']], 10, 6)).toEqual([
      'aaaaaaaaaa', 'aaaaaaaaaa', '.....b....', '.....b....', '.........c', '.........c']);
  });

  it('paints later spans over earlier ones where many share a row', () => {
    expect(draw([[0, 100, 'a'], [0, 40, 'b'], [30, 60, 'c'], [0, 100, 'd'], [50, 70, 'e'], [90, 100, 'f']], 10, 2))
      .toEqual(['bbbcccaaaa', 'dddddeeddf']);
  });

  it('draws nothing for an empty trace', () => {
    expect(draw([], 4, 2)).toEqual(['....', '....']);
  });

  it('reads CSS hex colours', () => {
    expect(hexColour('#d62728')).toBe(0xd62728);
  });
});
