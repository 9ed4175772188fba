import { mad, median, standardDeviation } from './robustStats';

describe('robust statistics', () => {
  it('median matches the sorted middle for odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('median agrees with a sort on random data, duplicates included', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let n = 1; n < 60; n++) {
      const v = Array.from({ length: n }, () => Math.floor(rand() * 10));
      const s = [...v].sort((a, b) => a - b);
      const want = n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
      expect(median(v)).toBe(want);
    }
  });

  it('MAD ignores a single outlier that the standard deviation does not', () => {
    const v = [10, 11, 9, 10, 12, 8, 10, 1000];
    expect(mad(v, median(v))).toBe(1);
    expect(standardDeviation(v)).toBeGreaterThan(300);
  });
});
