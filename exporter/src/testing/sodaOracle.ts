/**
 * An independent, plain-JavaScript reading of Soda Core v3 metric semantics, used by the semantic
 * tests to compute expected values from the fixture rows. Deliberately shares nothing with the
 * engine's planner or SQL: if both agree, the SQL is right on that data.
 */

export type Value = string | number | null;

/** The `missing …`/`valid …` keys as a test writes them. */
export interface OracleRules {
  missingValues?: (string | number)[];
  missingRegex?: string;
  validValues?: (string | number)[];
  invalidValues?: (string | number)[];
  validRegex?: string;
  invalidRegex?: string;
  /** Decided by the fixture generator's own truth table, not by a regex. */
  validFormat?: string;
  validMin?: number;
  validMax?: number;
  validLength?: number;
  validMinLength?: number;
  validMaxLength?: number;
}

/** format name → value → valid?; filled by the generator as it emits values. */
export type FormatTruth = Map<string, Map<string, boolean>>;

function listHas(list: (string | number)[], v: string | number): boolean {
  // Numeric columns compare as numbers, text columns as text, as the SQL engines do.
  return typeof v === 'number' ? list.some((x) => Number(x) === v) : list.some((x) => String(x) === v);
}

/** Soda: NULL, a listed missing value, or a match of `missing regex` (a search, not a full match). */
export function isMissing(v: Value, r: OracleRules): boolean {
  if (v === null) return true;
  if (r.missingValues && listHas(r.missingValues, v)) return true;
  if (r.missingRegex !== undefined && new RegExp(r.missingRegex).test(String(v))) return true;
  return false;
}

function asNumber(v: string | number): number | undefined {
  if (typeof v === 'number') return v;
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : undefined;
}

/** Every configured validity rule holds (they combine with AND). */
export function isValid(v: string | number, r: OracleRules, truth: FormatTruth): boolean {
  if (r.validValues && !listHas(r.validValues, v)) return false;
  if (r.invalidValues && listHas(r.invalidValues, v)) return false;
  const text = String(v);
  if (r.validRegex !== undefined && !new RegExp(r.validRegex).test(text)) return false;
  if (r.invalidRegex !== undefined && new RegExp(r.invalidRegex).test(text)) return false;
  if (r.validFormat !== undefined) {
    const known = truth.get(r.validFormat)?.get(text);
    if (known === undefined) throw new Error(`fixture has no truth for \`${text}\` under format \`${r.validFormat}\``);
    if (!known) return false;
  }
  if (r.validMin !== undefined || r.validMax !== undefined) {
    const n = asNumber(v);
    if (n === undefined) return false;
    if (r.validMin !== undefined && n < r.validMin) return false;
    if (r.validMax !== undefined && n > r.validMax) return false;
  }
  if (r.validLength !== undefined && text.length !== r.validLength) return false;
  if (r.validMinLength !== undefined && text.length < r.validMinLength) return false;
  if (r.validMaxLength !== undefined && text.length > r.validMaxLength) return false;
  return true;
}

export function missingCount(values: readonly Value[], r: OracleRules = {}): number {
  return values.filter((v) => isMissing(v, r)).length;
}

/** Missing values are neither valid nor invalid. */
export function invalidCount(values: readonly Value[], r: OracleRules, truth: FormatTruth): number {
  return values.filter((v) => !isMissing(v, r) && !isValid(v as string | number, r, truth)).length;
}

export function validCount(values: readonly Value[], r: OracleRules, truth: FormatTruth): number {
  return values.filter((v) => !isMissing(v, r) && isValid(v as string | number, r, truth)).length;
}

/** Soda percentages: over all (filtered) rows, in 0–100; 0 of nothing is 0. */
export function percentOf(count: number, rows: number): number {
  return rows === 0 ? 0 : (count * 100) / rows;
}

/** Distinct combinations, among rows with every column non-NULL, that occur more than once. */
export function duplicateCount(tuples: readonly Value[][]): number {
  const seen = new Map<string, number>();
  for (const t of tuples) {
    if (t.some((v) => v === null)) continue;
    const key = JSON.stringify(t);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen.values()].filter((n) => n > 1).length;
}

function numbers(values: readonly Value[]): number[] {
  return values.filter((v): v is number => typeof v === 'number');
}

export function sum(values: readonly Value[]): number | null {
  const xs = numbers(values);
  return xs.length ? xs.reduce((a, b) => a + b, 0) : null;
}

export function avg(values: readonly Value[]): number | null {
  const xs = numbers(values);
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

export function min(values: readonly Value[]): number | null {
  const xs = numbers(values);
  return xs.length ? Math.min(...xs) : null;
}

export function max(values: readonly Value[]): number | null {
  const xs = numbers(values);
  return xs.length ? Math.max(...xs) : null;
}

/** Variance with `ddof` 1 (sample, Soda's `variance`) or 0 (population). */
export function variance(values: readonly Value[], ddof: 0 | 1): number | null {
  const xs = numbers(values);
  if (xs.length <= ddof) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - ddof);
}

export function stddev(values: readonly Value[], ddof: 0 | 1): number | null {
  const v = variance(values, ddof);
  return v === null ? null : Math.sqrt(v);
}

/**
 * Soda's `percentile(col, p)` is PERCENTILE_DISC: the first value (in ascending order) whose
 * cumulative share of the non-NULL values reaches p; always a value present in the column.
 */
export function percentileDisc(values: readonly Value[], p: number): number | null {
  const xs = numbers(values).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  return xs[Math.max(0, Math.ceil(xs.length * p) - 1)]!;
}

export function lengths(values: readonly Value[]): number[] {
  return values.filter((v): v is string | number => v !== null).map((v) => String(v).length);
}

/**
 * Soda's reference check (`values in (a, b) must exist in other (x, y)`): a source row fails when
 * any of its listed columns is non-NULL and no target row matches all of them (a NULL never
 * matches). `must not exist` counts rows that do match a target row.
 */
export function referenceCount(source: readonly Value[][], target: readonly Value[][], mustNotExist: boolean): number {
  const keys = new Set(target.filter((t) => t.every((v) => v !== null)).map((t) => JSON.stringify(t)));
  return source.filter((s) => {
    const matches = s.every((v) => v !== null) && keys.has(JSON.stringify(s));
    return mustNotExist ? matches : !matches && s.some((v) => v !== null);
  }).length;
}
