import { formatRegex, VALID_FORMATS } from '../checks/validFormats';
import type { DetectedFormat } from './profileModel';

/**
 * The `valid format` names a profile tries on text columns, most specific first: when several
 * match equally well (every positive integer is also an integer and a decimal), the first wins.
 * Variants that differ only by a separator or a sign are left out: they would cost a regex per
 * value for the same verdict.
 */
export const DETECTED_FORMATS = [
  'uuid',
  'email',
  'ipv4 address',
  'ipv6 address',
  'date iso 8601',
  'date inverse',
  'date us',
  'date eu',
  'time 24h',
  'phone number',
  'credit card number',
  'money',
  'percentage',
  'positive integer',
  'integer',
  'positive decimal',
  'decimal',
] as const;

for (const name of DETECTED_FORMATS) {
  if (!VALID_FORMATS[name]) throw new Error(`format detection names \`${name}\`, which is not a valid format`);
}

/** A format is reported when at least this share (%) of the non-NULL values match it. */
export const FORMAT_MIN_PERCENT = 95;

/**
 * The best format given how many non-NULL values matched each (`matches[i]` for
 * DETECTED_FORMATS[i]): the highest share, the most specific on a tie, none below FORMAT_MIN_PERCENT.
 */
export function detectFormat(nonNull: number, matches: readonly number[]): DetectedFormat | undefined {
  if (nonNull === 0) return undefined;
  let best: DetectedFormat | undefined;
  DETECTED_FORMATS.forEach((name, i) => {
    const percent = (100 * (matches[i] ?? 0)) / nonNull;
    if (percent >= FORMAT_MIN_PERCENT && (!best || percent > best.matchPercent)) best = { name, matchPercent: Math.floor(percent * 100) / 100 };
  });
  return best;
}

/** Rows read to choose which formats the full pass counts. */
export const FORMAT_PROBE_ROWS = 1000;
/** A format matching less than this share of the probe is not counted over every row. */
const CANDIDATE_MIN_SHARE = 0.5;

// The definitions use the regex subset JavaScript shares with RE2 and PostgreSQL: same verdicts.
const COMPILED = DETECTED_FORMATS.map((name) => new RegExp(formatRegex(name)!));

/**
 * Indexes (into DETECTED_FORMATS) of the formats worth counting over every row, judged on the
 * first values read: a regex per format and row is most of a profile's cost on text columns.
 * With no probe values (NULLs first) every format stays a candidate.
 */
export function candidateFormats(probe: readonly string[]): number[] {
  const all = DETECTED_FORMATS.map((_n, i) => i);
  if (probe.length === 0) return all;
  return all.filter((i) => probe.filter((v) => COMPILED[i]!.test(v)).length >= CANDIDATE_MIN_SHARE * probe.length);
}
