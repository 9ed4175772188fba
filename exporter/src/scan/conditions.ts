import { formatRegex, type NumberReading, numberReading } from '../checks/validFormats';
import type { ColumnRules, ListValue } from '../checks/model';
import type { Dialect } from '../sources/dialect';
import type { ColumnInfo } from '../sources/source';

/** A rule that cannot apply to the column it is set on (e.g. `valid min` on a timestamp). */
export class RuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleError';
  }
}

/** `a AND b`, skipping empty parts; each part parenthesised so user SQL cannot change precedence. */
export function and(...parts: (string | undefined)[]): string | undefined {
  const present = parts.filter((p): p is string => p !== undefined && p.trim() !== '');
  if (present.length === 0) return undefined;
  return present.map((p) => `(${p})`).join(' AND ');
}

/** `col IN (…)` with literals typed like the column, so numeric columns compare as numbers. */
function inList(d: Dialect, col: ColumnInfo, values: ListValue[]): string {
  const quoted = d.quote(col.name);
  const numeric = col.category === 'numeric' && values.every((v) => typeof v === 'number' || (v.trim() !== '' && Number.isFinite(Number(v))));
  if (numeric) return `${quoted} IN (${values.map((v) => d.number(Number(v))).join(', ')})`;
  return `${d.toText(quoted)} IN (${values.map((v) => d.string(String(v))).join(', ')})`;
}

function format(d: Dialect, col: ColumnInfo, name: string): string {
  const re = formatRegex(name);
  if (re === undefined) throw new RuleError(`unknown valid format \`${name}\``);
  return d.regexMatch(d.toText(d.quote(col.name)), re);
}

/**
 * Soda's missing: NULL, or one of `missing values`, or matching `missing regex`/`missing format`.
 * No COALESCE: `x IS NULL OR …` is TRUE for NULL and each other part is non-NULL for a non-NULL
 * value, and a bare condition is one DuckDB can push into a Parquet scan (bench/results).
 */
export function missingCondition(d: Dialect, col: ColumnInfo, rules: ColumnRules): string {
  const quoted = d.quote(col.name);
  const parts = [`${quoted} IS NULL`];
  if (rules.missingValues?.length) parts.push(inList(d, col, rules.missingValues));
  if (rules.missingRegex !== undefined) parts.push(d.regexMatch(d.toText(quoted), rules.missingRegex));
  if (rules.missingFormat !== undefined) parts.push(format(d, col, rules.missingFormat));
  return parts.length === 1 ? parts[0]! : `(${parts.map((p) => `(${p})`).join(' OR ')})`;
}

/**
 * Text written in a numeric format (`- 28,42 %`, `1,234.50 EUR`) as a number: everything but the
 * digits, the sign and the separators goes, then the decimal separator becomes a point. NULL when
 * nothing numeric is left; never an error, so one odd value cannot sink the aggregate query.
 */
export function formattedNumber(d: Dialect, text: string, reading: NumberReading): string {
  const keep = reading === 'point' ? '[^-0-9.]' : reading === 'comma' ? '[^-0-9,]' : '[^-0-9.,]';
  let digits = d.regexReplaceAll(text, keep, '');
  if (reading !== 'point') digits = d.regexReplaceAll(digits, ',', '.');
  return d.textToNumber(`NULLIF(${digits}, '')`);
}

/** The column as a number for `valid min`/`valid max`: text is read through its numeric format when it has one. */
function asNumber(d: Dialect, col: ColumnInfo, rules: ColumnRules): string {
  const quoted = d.quote(col.name);
  if (col.category === 'numeric') return quoted;
  if (col.category !== 'text') throw new RuleError(`\`valid min\`/\`valid max\` compare numbers; column \`${col.name}\` is ${col.type}`);
  const reading = numberReading(rules.validFormat);
  return reading ? formattedNumber(d, quoted, reading) : d.textToNumber(quoted);
}

/**
 * The validity rule as one boolean expression, or undefined when no rule is configured: every
 * `valid …` key holds and no `invalid …` key matches. NULL (a failed cast, say) is not valid.
 */
export function validityCondition(d: Dialect, col: ColumnInfo, rules: ColumnRules): string | undefined {
  const quoted = d.quote(col.name);
  const text = d.toText(quoted);
  const parts: string[] = [];
  // A part that can be NULL for a non-NULL value (a failed cast) needs COALESCE to count as
  // invalid; without such a part the bare condition lets DuckDB push it into a Parquet scan.
  let nullable = false;
  if (rules.validValues?.length) parts.push(inList(d, col, rules.validValues));
  if (rules.invalidValues?.length) parts.push(`NOT (${inList(d, col, rules.invalidValues)})`);
  if (rules.validRegex !== undefined) parts.push(d.regexMatch(text, rules.validRegex));
  if (rules.invalidRegex !== undefined) parts.push(`NOT ${d.regexMatch(text, rules.invalidRegex)}`);
  if (rules.validFormat !== undefined) parts.push(format(d, col, rules.validFormat));
  if (rules.invalidFormat !== undefined) parts.push(`NOT ${format(d, col, rules.invalidFormat)}`);
  if (rules.validMin !== undefined || rules.validMax !== undefined) {
    const num = asNumber(d, col, rules);
    // Text read as a number is NULL when it is not one: then COALESCE must call it invalid.
    if (col.category !== 'numeric') nullable = true;
    if (rules.validMin !== undefined) parts.push(`${num} >= ${d.number(rules.validMin)}`);
    if (rules.validMax !== undefined) parts.push(`${num} <= ${d.number(rules.validMax)}`);
  }
  const len = d.length(text);
  if (rules.validLength !== undefined) parts.push(`${len} = ${rules.validLength}`);
  if (rules.validMinLength !== undefined) parts.push(`${len} >= ${rules.validMinLength}`);
  if (rules.validMaxLength !== undefined) parts.push(`${len} <= ${rules.validMaxLength}`);
  if (parts.length === 0) return undefined;
  const all = parts.map((p) => `(${p})`).join(' AND ');
  // NULL from a failed cast means the value is not valid.
  return nullable ? `COALESCE(${all}, FALSE)` : `(${all})`;
}
