import { oneLine, truncate } from './truncate';

describe('truncate', () => {
  it('leaves text within the limit alone', () => {
    expect(truncate('abc', 3)).toBe('abc');
  });

  it('ends cut text with … and keeps within the limit', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
  });

  it('does not split an emoji (a surrogate pair)', () => {
    const out = truncate('ab🚨cd', 4);
    expect(out).toBe('ab…');
    expect(out.length).toBeLessThanOrEqual(4);
  });

  it('drops a half-cut HTML entity rather than leaving "&am"', () => {
    expect(truncate('x &amp; y', 5)).toBe('x …');
  });
});

describe('oneLine', () => {
  it('turns line breaks and control characters into single spaces', () => {
    expect(oneLine(' a\r\nb\tc\u0000 d  ')).toBe('a b c d');
  });
});
