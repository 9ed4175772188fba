import { candidateFormats, DETECTED_FORMATS, detectFormat } from './formatDetection';

const matches = (counts: Partial<Record<(typeof DETECTED_FORMATS)[number], number>>) => DETECTED_FORMATS.map((f) => counts[f] ?? 0);

describe('detectFormat', () => {
  it('picks the format most values match', () => {
    expect(detectFormat(100, matches({ email: 100 }))).toEqual({ name: 'email', matchPercent: 100 });
  });

  it('prefers the most specific format on a tie (every positive integer is an integer and a decimal)', () => {
    expect(detectFormat(50, matches({ 'positive integer': 50, integer: 50, decimal: 50, 'positive decimal': 50 }))).toEqual({ name: 'positive integer', matchPercent: 100 });
  });

  it('claims no format below 95% of the non-NULL values, nor for a column without values', () => {
    expect(detectFormat(100, matches({ uuid: 94 }))).toBeUndefined();
    expect(detectFormat(0, matches({}))).toBeUndefined();
  });

  it('rounds the share down, so 100 means every value matched', () => {
    expect(detectFormat(100_000, matches({ uuid: 99_999 }))).toEqual({ name: 'uuid', matchPercent: 99.99 });
  });
});

describe('candidateFormats', () => {
  const names = (probe: string[]) => candidateFormats(probe).map((i) => DETECTED_FORMATS[i]);

  it('keeps the formats at least half of the first values match, judged as the engines judge them', () => {
    expect(names(['a@example.com', 'b@example.org', 'nope'])).toEqual(['email']);
    expect(names(['12', '7', '-3'])).toEqual(['positive integer', 'integer', 'positive decimal', 'decimal']);
    expect(names(['hello', 'world'])).toEqual([]);
  });

  it('keeps every format when the probe saw no value', () => {
    expect(candidateFormats([])).toHaveLength(DETECTED_FORMATS.length);
  });
});
