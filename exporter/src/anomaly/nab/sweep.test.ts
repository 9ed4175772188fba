import { NAB_PROFILES } from './profiles';
import { probationaryLength, scaledSigmoid, sweepRows } from './sweep';

const STD = NAB_PROFILES.standard;
const ts = (n: number): number[] => Array.from({ length: n }, (_, i) => i * 60_000);

describe('NAB sweep weights', () => {
  it('scaled sigmoid: +0.987 at a window’s left edge, 0 at its right edge, −1 far past it', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.98661, 5);
    expect(scaledSigmoid(3.01)).toBe(-1);
  });

  it('probation is 15% of the rows, at most 750', () => {
    expect(probationaryLength(1000)).toBe(150);
    expect(probationaryLength(1001)).toBe(150);
    expect(probationaryLength(20_000)).toBe(750);
  });

  it('weighs the first row of a window at the full TP weight, decreasing to its right edge', () => {
    const t = ts(200);
    const rows = sweepRows(t, new Array(200).fill(0), [[t[100]!, t[109]!]], STD);
    expect(rows[100]!.weight).toBeCloseTo(1, 12);
    expect(rows[100]!.window).toBe(0);
    expect(rows[109]!.weight).toBeCloseTo(scaledSigmoid(-0.1) / scaledSigmoid(-1), 12);
    for (let i = 101; i < 110; i++) expect(rows[i]!.weight).toBeLessThan(rows[i - 1]!.weight);
  });

  it('charges the full FP weight before any window and less right after a window', () => {
    const t = ts(200);
    const rows = sweepRows(t, new Array(200).fill(0), [[t[100]!, t[109]!]], STD);
    expect(rows[50]!.weight).toBeCloseTo(-0.11, 12);
    expect(rows[50]!.window).toBe(-1);
    // One row past the right edge: relative position 1/(width − 1).
    expect(rows[110]!.weight).toBeCloseTo(scaledSigmoid(1 / 9) * 0.11, 12);
    expect(rows[199]!.weight).toBeCloseTo(-0.11, 12);
    expect(rows[0]!.probationary).toBe(true);
    expect(rows[30]!.probationary).toBe(false);
  });

  it('rejects a window that ends on no row', () => {
    const t = ts(50);
    expect(() => sweepRows(t, new Array(50).fill(0), [[t[10]!, 99_999_999]], STD)).toThrow(/no row of the file/);
  });
});
