import { planEviction } from './evictionPlan';

const f = (path: string, size: number, usedAtMs: number) => ({ path, size, usedAtMs });

describe('planEviction', () => {
  it('evicts nothing while the cache fits', () => {
    expect(planEviction([f('a', 5, 1), f('b', 5, 2)], 10, new Set(), 100, 0)).toEqual([]);
  });

  it('evicts the least recently used first, only as many as needed', () => {
    const files = [f('new', 4, 30), f('old', 4, 10), f('mid', 4, 20)];
    expect(planEviction(files, 8, new Set(), 100, 0).map((x) => x.path)).toEqual(['old']);
    expect(planEviction(files, 4, new Set(), 100, 0).map((x) => x.path)).toEqual(['old', 'mid']);
  });

  it('keeps files in use and files used within the grace period, even over the bound', () => {
    const files = [f('old', 4, 10), f('recent', 4, 95), f('mine', 4, 5)];
    expect(planEviction(files, 0, new Set(['mine']), 100, 10).map((x) => x.path)).toEqual(['old']);
  });
});
