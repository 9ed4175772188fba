import { formatDuration, formatRatio } from './formatDuration';

describe('formatDuration', () => {
  it.each([
    [42, '42 s'],
    [12 * 60 + 5, '12 min'],
    [3 * 3600, '3 h'],
    [3 * 3600 + 5 * 60, '3 h 5 min'],
    [2 * 86400 + 4 * 3600 + 59, '2 d 4 h'],
    [-1, '—'],
  ])('formats %s seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('formatRatio', () => {
  it.each([
    [1, '100 %'],
    [0.973, '97.3 %'],
    [0.9996, '99.96 %'],
    [0, '0.0 %'],
  ])('formats %s as %s without rounding a failure up to 100 %', (ratio, text) => {
    expect(formatRatio(ratio)).toBe(text);
  });
});
