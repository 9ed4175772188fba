/**
 * Merging partial aggregates is exact for counts, extremes and decimal sums, and numerically
 * stable for spreads: merged batch by batch, in any split, they equal the values computed at
 * once over all values (pure arithmetic, no database).
 */
import { xorshift32 } from '../../testing/seededRandom';
import { addDecimal, merge, type Partial } from './partials';

describe('partial aggregates', () => {
  it('add decimals exactly, whatever their scale and sign', () => {
    expect(addDecimal('0.1', '0.2')).toBe('0.3');
    expect(addDecimal('-5.25', '5.250')).toBe('0.000');
    expect(addDecimal('99999999999999999999.99', '0.01')).toBe('100000000000000000000.00');
    expect(addDecimal('-0.5', '0.25')).toBe('-0.25');
    expect(addDecimal('12', '-30.5')).toBe('-18.5');
  });

  it('merge moments (Chan et al.) to the two-pass variance of all values, for any split', () => {
    const r = xorshift32(42);
    for (let trial = 0; trial < 50; trial++) {
      // Large offset, small spread: where Σx² − (Σx)²/n loses every digit.
      const values = Array.from({ length: 1 + Math.floor(r() * 300) }, () => 1e9 + r() * 10 - 5);
      let acc: Partial = { kind: 'moments', n: 0, mean: 0, m2: 0 };
      for (let i = 0; i < values.length; ) {
        const chunk = values.slice(i, i + 1 + Math.floor(r() * 40));
        i += chunk.length;
        const mean = chunk.reduce((a, b) => a + b, 0) / chunk.length;
        acc = merge(acc, { kind: 'moments', n: chunk.length, mean, m2: chunk.reduce((a, v) => a + (v - mean) ** 2, 0) });
      }
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const m2 = values.reduce((a, v) => a + (v - mean) ** 2, 0);
      expect(acc).toMatchObject({ n: values.length });
      const got = (acc as { m2: number }).m2;
      expect(Math.abs(got - m2)).toBeLessThanOrEqual(1e-6 * Math.max(1, m2));
    }
  });

  it('merge counts, sums and extremes exactly; an empty side leaves the other as it is', () => {
    expect(merge({ kind: 'count', n: 3 }, { kind: 'count', n: 4 })).toEqual({ kind: 'count', n: 7 });
    expect(merge({ kind: 'sum', n: 2, sum: '10.05', exact: true }, { kind: 'sum', n: 1, sum: '-0.05', exact: true })).toEqual({ kind: 'sum', n: 3, sum: '10.00', exact: true });
    expect(merge({ kind: 'sum', n: 0, sum: null, exact: true }, { kind: 'sum', n: 1, sum: '2', exact: true })).toEqual({ kind: 'sum', n: 1, sum: '2', exact: true });
    expect(merge({ kind: 'min', value: '12.30' }, { kind: 'min', value: -4 })).toEqual({ kind: 'min', value: -4 });
    expect(merge({ kind: 'max', value: null }, { kind: 'max', value: 7 })).toEqual({ kind: 'max', value: 7 });
    expect(merge({ kind: 'max', value: 9 }, { kind: 'max', value: null })).toEqual({ kind: 'max', value: 9 });
  });
});
