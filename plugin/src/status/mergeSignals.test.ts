import { emptySignals } from '../graph/model';
import { mergeBreaker, mergeCheck, mergeFreshness, mergePassRatio, sinceFromHistory } from './mergeSignals';

describe('merging signals from several series', () => {
  it('lets an open breaker win over a closed reading, in either order', () => {
    const s = emptySignals();
    mergeBreaker(s, false, undefined, { ms: 5, lowerBound: true });
    mergeBreaker(s, true, 'self', { ms: 10, lowerBound: false });
    mergeBreaker(s, false, undefined);
    expect(s).toMatchObject({ breakerOpen: true, breakerCause: 'self', sinceMs: 10, sinceIsLowerBound: false });
  });

  it('keeps the lowest pass ratio per window and the stalest freshness', () => {
    const s = emptySignals();
    mergePassRatio(s, '1d', 0.99);
    mergePassRatio(s, '1d', 0.95);
    mergePassRatio(s, '7d', 1);
    mergeFreshness(s, 60);
    mergeFreshness(s, 30);
    expect(s.passRatio).toEqual({ '1d': 0.95, '7d': 1 });
    expect(s.freshnessSeconds).toBe(60);
  });

  it('keeps the worst outcome per check name', () => {
    const s = emptySignals();
    mergeCheck(s, { name: 'c', outcome: 'warn' });
    mergeCheck(s, { name: 'c', outcome: 'error' });
    mergeCheck(s, { name: 'c', outcome: 'pass' });
    expect(s.checks).toEqual([{ name: 'c', outcome: 'error' }]);
  });
});

describe('sinceFromHistory', () => {
  it('finds when the value last changed', () => {
    expect(sinceFromHistory([{ timeMs: 1, value: 0 }, { timeMs: 2, value: 1 }, { timeMs: 3, value: null }, { timeMs: 4, value: 1 }])).toEqual({
      ms: 2,
      lowerBound: false,
    });
  });

  it('gives a lower bound when the value never changed, and nothing for a single point', () => {
    expect(sinceFromHistory([{ timeMs: 1, value: 1 }, { timeMs: 2, value: 1 }])).toEqual({ ms: 1, lowerBound: true });
    expect(sinceFromHistory([{ timeMs: 1, value: 1 }])).toBeUndefined();
  });
});
