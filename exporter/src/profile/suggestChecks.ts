import { formatDuration } from '../checks/duration';
import type { ColumnProfile, DatasetProfile } from './profileModel';

/** One suggested check: its line, the keys under it, and the profile figures that justify it. */
export interface SuggestedCheck {
  /** The check line, e.g. `missing_count(email) = 0`, or `schema`. */
  line: string;
  /** Keys under the check, in order (`valid format: email`). */
  keys?: [string, string | number | string[]][];
  /** `schema`: the columns and their types, for `fail: when mismatching columns`. */
  columns?: [string, string][];
  /** Why: the profile's figures, written as a comment above the check. */
  why: string;
}

export interface SuggestedSection {
  dataset: string;
  /** What was profiled, written above `checks for`. */
  header: string[];
  checks: SuggestedCheck[];
  /** Columns or checks deliberately not suggested, and why. */
  notes: string[];
}

/** A row count outside [rows × ROW_COUNT_MARGIN.low, rows × ROW_COUNT_MARGIN.high] fails. */
export const ROW_COUNT_MARGIN = { low: 0.5, high: 2 };
/** Numeric bounds are widened by this share of the profiled range on each side. */
export const RANGE_MARGIN = 0.1;
/** A column with at most this many distinct values, each seen ~10 times, gets `valid values`. */
export const VALUE_SET_MAX = 10;
/** Freshness is suggested on timestamps whose newest value was at most this old (s). */
export const FRESH_MAX_AGE_S = 2 * 86400;

const count = (n: number) => n.toLocaleString('en-US');
/** Column names that need no quoting in a check line. */
const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const tidy = (n: number) => Number(n.toPrecision(12));
const pct = (p: number) => `${Number(p.toFixed(2))}%`;

/**
 * Widens [min, max] by RANGE_MARGIN of the range (10% of the magnitude when all values are
 * equal), rounded outwards to the margin's order of magnitude; a bound never crosses zero when
 * no value did, since a sign change is the defect worth catching.
 */
export function widenRange(min: number, max: number): { low: number; high: number } {
  const margin = max > min ? (max - min) * RANGE_MARGIN : Math.max(Math.abs(max) * RANGE_MARGIN, 1);
  const step = 10 ** Math.floor(Math.log10(margin));
  let low = tidy(Math.floor(tidy((min - margin) / step)) * step);
  let high = tidy(Math.ceil(tidy((max + margin) / step)) * step);
  if (min >= 0) low = Math.max(0, low);
  if (max <= 0) high = Math.min(0, high);
  return { low, high };
}

/** A threshold above the profiled NULL share: twice it, and at least one point more. */
export function missingThreshold(nullPercent: number): number {
  return Math.min(100, Math.ceil(Math.max(nullPercent * 2, nullPercent + 1) * 10) / 10);
}

/** Four times the newest value's age, at least an hour, in whole hours up to a day, then days. */
export function freshnessThreshold(ageSeconds: number): string {
  const s = Math.max(3600, 4 * Math.max(0, ageSeconds));
  return s <= 86400 ? `${Math.ceil(s / 3600)}h` : `${Math.ceil(s / 86400)}d`;
}

const isWholeNumber = (type: string) => /^(u?(tiny|small|big|huge)?int(eger)?\d*|int[248]|(small|big)?serial)\b/i.test(type.trim());

function columnChecks(c: ColumnProfile, rows: number, checks: SuggestedCheck[], notes: string[]): void {
  const col = c.name;
  const nonNull = rows - c.nullCount;
  if (c.nullCount === 0) checks.push({ line: `missing_count(${col}) = 0`, why: `${col}: no NULL in ${count(rows)} rows` });
  else if (c.nullCount < rows) checks.push({ line: `missing_percent(${col}) < ${missingThreshold(c.nullPercent)}%`, why: `${col}: ${count(c.nullCount)} NULLs in ${count(rows)} rows (${pct(c.nullPercent)}); threshold twice that, at least 1 point more` });
  if (nonNull === 0) {
    notes.push(`${col}: always NULL when profiled, nothing else to suggest`);
    return;
  }
  // Only whole numbers and text make keys: all-distinct amounts or timestamps are just continuous.
  const unique = (isWholeNumber(c.type) || c.category === 'text') && c.distinct !== undefined && !c.distinct.approximate && c.distinct.count === nonNull && nonNull > 1;
  if (unique) checks.push({ line: `duplicate_count(${col}) = 0`, why: `${col}: ${count(nonNull)} values, all distinct (exact count): a key` });

  if (c.category === 'numeric' && typeof c.min === 'number' && typeof c.max === 'number') {
    const { low, high } = widenRange(c.min, c.max);
    const seen = `${col}: ${c.min} … ${c.max} when profiled${c.mean !== undefined ? `, mean ${Number(c.mean.toPrecision(6))}` : ''}`;
    // A key's maximum grows as rows are added: bounding it would fail on the next insert.
    if (unique) checks.push({ line: `invalid_count(${col}) = 0`, keys: [['valid min', low]], why: `${seen}; a key keeps growing, so only its minimum is bounded (margin ${RANGE_MARGIN * 100}% of the range${c.min >= 0 ? ', not below 0' : ''})` });
    else checks.push({ line: `invalid_count(${col}) = 0`, keys: [['valid min', low], ['valid max', high]], why: `${seen}; margin ${RANGE_MARGIN * 100}% of the range${c.min >= 0 ? ', not below 0 (no negative value seen)' : ''}` });
    return;
  }
  if (c.category === 'temporal' && c.newestAgeSeconds !== undefined) {
    const age = formatDuration(Math.max(0, c.newestAgeSeconds));
    if (c.newestAgeSeconds <= FRESH_MAX_AGE_S) checks.push({ line: `freshness(${col}) < ${freshnessThreshold(c.newestAgeSeconds)}`, why: `${col}: newest value ${age} old when profiled (${c.max}); threshold four times that, at least 1h` });
    else notes.push(`${col}: newest value ${age} old when profiled, a date of record rather than a load time: no freshness check`);
    return;
  }
  if (c.category !== 'text') return;
  const values = c.topValues;
  const distinct = c.distinct;
  if (c.format) {
    const all = c.format.matchPercent >= 100;
    const bad = 100 - c.format.matchPercent;
    checks.push(
      all
        ? { line: `invalid_count(${col}) = 0`, keys: [['valid format', c.format.name]], why: `${col}: every one of ${count(nonNull)} values is a valid \`${c.format.name}\`` }
        : { line: `invalid_percent(${col}) < ${missingThreshold(bad)}%`, keys: [['valid format', c.format.name]], why: `${col}: ${pct(c.format.matchPercent)} of ${count(nonNull)} values are a valid \`${c.format.name}\`` },
    );
  } else if (distinct && !distinct.approximate && values && values.length === distinct.count && distinct.count <= VALUE_SET_MAX && nonNull >= 10 * distinct.count) {
    checks.push({ line: `invalid_count(${col}) = 0`, keys: [['valid values', values.map((v) => v.value).sort()]], why: `${col}: ${distinct.count} distinct values in ${count(nonNull)} rows (${values.map((v) => `${v.value} ${count(v.count)}`).join(', ')})` });
  } else if (c.length) {
    const { min, max } = c.length;
    if (min === max) checks.push({ line: `invalid_count(${col}) = 0`, keys: [['valid length', min]], why: `${col}: every value is ${min} characters long` });
    else {
      const keys: [string, number][] = [];
      if (Math.floor(min / 2) > 0) keys.push(['valid min length', Math.floor(min / 2)]);
      keys.push(['valid max length', max * 2]);
      checks.push({ line: `invalid_count(${col}) = 0`, keys, why: `${col}: ${min}–${max} characters when profiled; half the shortest, twice the longest` });
    }
  }
}

/**
 * Checks a profile supports: row count within margins, the schema with its types, then per
 * column missing values, keys, ranges, formats or value sets or lengths, and freshness. Each
 * says which figures justify it. Pure; thresholds are the figures plus the margins above.
 */
export function suggestChecks(p: DatasetProfile): SuggestedSection {
  const scope = [p.filter ? `through the dataset's filter \`${p.filter}\`` : '', p.samplePercent ? `on a ${p.samplePercent}% sample` : ''].filter(Boolean).join(', ');
  const header = [
    `Suggested by \`datatrust suggest\` from the profile of \`${p.dataset}\` (${p.source}: ${p.relation})`,
    `taken ${p.profiledAt}${scope ? ` ${scope}` : ''}: ${count(p.rowCount)} rows, ${p.columns.length} columns.`,
    'Each threshold is a profiled figure plus a margin: review them and keep those that state a real expectation.',
  ];
  const checks: SuggestedCheck[] = [];
  const notes: string[] = [];
  if (p.rowCount > 0) {
    checks.push({
      line: `row_count between ${Math.floor(p.rowCount * ROW_COUNT_MARGIN.low)} and ${Math.ceil(p.rowCount * ROW_COUNT_MARGIN.high)}`,
      why: `${count(p.rowCount)} rows when profiled${p.samplePercent ? ` (a ${p.samplePercent}% sample)` : ''}; half or twice that is suspicious`,
    });
  } else notes.push('empty when profiled: no row count, range or format to learn from');
  checks.push({ line: 'schema', columns: p.columns.map((c) => [c.name, c.type]), why: `${p.columns.length} columns with these types when profiled; a column added, removed or retyped fails` });
  if (p.rowCount === 0) return { dataset: p.dataset, header, checks, notes };
  for (const c of p.columns) {
    if (!PLAIN.test(c.name)) {
      notes.push(`${JSON.stringify(c.name)}: column checks need a plain name (letters, digits, _); write them by hand`);
      continue;
    }
    columnChecks(c, p.rowCount, checks, notes);
  }
  return { dataset: p.dataset, header, checks, notes };
}
