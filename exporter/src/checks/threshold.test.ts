import { formatDuration, parseDuration } from './duration';
import { LineScanner, ParseFailure } from './lineScanner';
import { parseThreshold, parseWhenClause } from './parseThreshold';
import { describeRule, matches, negate, type Threshold, triggers } from './threshold';

const parse = (text: string, kind: 'number' | 'duration' = 'number') => parseThreshold(new LineScanner(text), kind);

describe('durations', () => {
  it.each([
    ['1d', 86400],
    ['27h', 97200],
    ['2h30m', 9000],
    ['1d6h', 108000],
    ['90s', 90],
    ['1.5h', 5400],
  ])('parses %s as %d seconds', (text, seconds) => expect(parseDuration(text)).toBe(seconds));

  it('rejects text that is not a duration', () => {
    expect(parseDuration('1x')).toBeUndefined();
    expect(parseDuration('h')).toBeUndefined();
    expect(parseDuration('10')).toBeUndefined();
  });

  it('formats seconds largest unit first', () => {
    expect(formatDuration(93784)).toBe('1d2h3m4s');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(-60)).toBe('-1m');
  });
});

describe('threshold grammar', () => {
  it.each([
    ['< 5', { kind: 'compare', op: '<', value: 5 }],
    ['<= 1%', { kind: 'compare', op: '<=', value: 1 }],
    ['< 5 %', { kind: 'compare', op: '<', value: 5 }],
    ['= 0', { kind: 'compare', op: '=', value: 0 }],
    ['!= 3', { kind: 'compare', op: '!=', value: 3 }],
    ['<> 3', { kind: 'compare', op: '!=', value: 3 }],
    ['>= -1.5', { kind: 'compare', op: '>=', value: -1.5 }],
    ['> 1e3', { kind: 'compare', op: '>', value: 1000 }],
  ])('parses `%s`', (text, expected) => expect(parse(text)).toEqual(expected));

  it('parses between with inclusive bounds by default and exclusive with parentheses', () => {
    expect(parse('between 10 and 20')).toEqual({ kind: 'between', low: 10, high: 20, lowInclusive: true, highInclusive: true, negated: false });
    expect(parse('not between (0 and 5]')).toEqual({ kind: 'between', low: 0, high: 5, lowInclusive: false, highInclusive: true, negated: true });
    expect(parse('between [1% and 2%)')).toEqual({ kind: 'between', low: 1, high: 2, lowInclusive: true, highInclusive: false, negated: false });
  });

  it('parses duration thresholds for freshness', () => {
    expect(parse('< 1d6h', 'duration')).toEqual({ kind: 'compare', op: '<', value: 108000 });
  });

  it('asks for a unit when a freshness threshold is a bare number, pointing at it', () => {
    expect(() => parse('< 5', 'duration')).toThrow(/needs a time unit: write `5h`/);
    try {
      parse('<  5', 'duration');
    } catch (e) {
      expect((e as ParseFailure).index).toBe(3);
    }
  });

  it('names the accepted comparators when the operator is wrong', () => {
    expect(() => parse('=> 5')).toThrow(/expected a threshold .*found `=>`|expected a number/);
    expect(() => parse('around 5')).toThrow(/expected a threshold \(`<`.*found `around`/);
  });

  it('rejects an empty between range', () => {
    expect(() => parse('between 5 and 1')).toThrow(/lower bound comes first/);
  });

  it('reads `when` clauses', () => {
    expect(parseWhenClause('when > 5', 'number')).toEqual({ kind: 'compare', op: '>', value: 5 });
    expect(() => parseWhenClause('> 5', 'number')).toThrow(/expected `when`/);
    expect(() => parseWhenClause('when > 5 apples', 'number')).toThrow(/unexpected `apples`/);
  });
});

describe('threshold evaluation', () => {
  const values = [-2, 0, 0.5, 1, 5, 10, 15, 20, 25];
  const thresholds: Threshold[] = [
    { kind: 'compare', op: '<', value: 5 },
    { kind: 'compare', op: '<=', value: 5 },
    { kind: 'compare', op: '=', value: 5 },
    { kind: 'compare', op: '!=', value: 5 },
    { kind: 'compare', op: '>=', value: 5 },
    { kind: 'compare', op: '>', value: 5 },
    { kind: 'between', low: 10, high: 20, lowInclusive: true, highInclusive: true, negated: false },
    { kind: 'between', low: 10, high: 20, lowInclusive: false, highInclusive: false, negated: false },
    { kind: 'between', low: 10, high: 20, lowInclusive: true, highInclusive: false, negated: true },
  ];

  it('negation is the exact complement for every form', () => {
    for (const t of thresholds) for (const v of values) expect(matches(negate(t), v)).toBe(!matches(t, v));
  });

  it('honours inclusive and exclusive bounds', () => {
    const incl = thresholds[6]!;
    const excl = thresholds[7]!;
    expect([matches(incl, 10), matches(incl, 20), matches(excl, 10), matches(excl, 20), matches(excl, 15)]).toEqual([true, true, false, false, true]);
  });

  it('an inline threshold fails when it does not hold; a fail: condition when it does', () => {
    const t: Threshold = { kind: 'compare', op: '>', value: 0 };
    expect(triggers({ threshold: t, meaning: 'pass-when' }, 0)).toBe(true);
    expect(triggers({ threshold: t, meaning: 'pass-when' }, 3)).toBe(false);
    expect(triggers({ threshold: t, meaning: 'outcome-when' }, 3)).toBe(true);
  });

  it('describes rules as the trigger condition in the value units', () => {
    expect(describeRule({ threshold: { kind: 'compare', op: '<', value: 3600 }, meaning: 'pass-when' }, 'duration')).toBe('when >= 1h');
    expect(describeRule({ threshold: { kind: 'compare', op: '>', value: 5 }, meaning: 'outcome-when' }, 'percent')).toBe('when > 5%');
  });
});
