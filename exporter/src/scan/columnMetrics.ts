import { hasAnyRule } from '../checks/columnRules';
import type { ColumnRules } from '../checks/model';
import { numberReading, VALID_FORMATS } from '../checks/validFormats';
import type { Dialect } from '../sources/dialect';
import type { ColumnInfo } from '../sources/source';
import { formattedNumber, missingCondition, RuleError, validityCondition } from './conditions';

/**
 * How Soda Core 3.5 computes a column metric once the check's keys and the column's
 * `configurations for` entry are merged: which rows a count counts, and which values a numeric
 * or length metric reads. Pure SQL building; the planner decides where it goes.
 */

export type CountMetric = 'missing_count' | 'valid_count' | 'invalid_count';

export interface CountPlan {
  /** Rows the count counts. */
  condition: string;
  /** Rows to show as failed-row samples, when there are any to show. */
  failing?: string;
  /** Said in the result, e.g. why an `invalid_count` is 0. */
  note?: string;
}

export const NO_VALIDITY_RULE_NOTE =
  'no validity rule (`valid …`/`invalid …` here or under `configurations for`): nothing counts as invalid, as in Soda Core';

/**
 * Soda's three categories: missing, then valid or invalid among the rest. With no validity rule
 * every non-missing value is valid (`valid_count` is the non-missing count, `invalid_count` is 0).
 * `include null` adds the NULL rows to a `valid_count`/`invalid_count`, as Soda 3.5 does.
 */
export function countCondition(d: Dialect, col: ColumnInfo, metric: CountMetric, rules: ColumnRules): CountPlan {
  const missing = missingCondition(d, col, rules);
  if (metric === 'missing_count') return { condition: missing, failing: missing };
  const valid = validityCondition(d, col, rules);
  if (valid === undefined) {
    if (metric === 'valid_count') return { condition: `NOT (${missing})`, failing: missing };
    return { condition: 'FALSE', note: NO_VALIDITY_RULE_NOTE };
  }
  const core = `NOT (${missing}) AND ${metric === 'valid_count' ? '' : 'NOT '}${valid}`;
  const condition = rules.includeNull ? `(${core}) OR ${d.quote(col.name)} IS NULL` : core;
  return { condition, failing: metric === 'valid_count' ? `NOT (${condition})` : condition };
}

const NUMERIC_FORMATS = Object.keys(VALID_FORMATS).filter((f) => VALID_FORMATS[f]!.number);

/**
 * The values a numeric (`avg`, `percentile`…) or length metric aggregates. When any missing or
 * validity key applies, only non-missing valid values count (Soda's `CASE WHEN … THEN col END`).
 * A text column whose `valid format` is numeric is read as numbers in that format.
 */
export function metricValues(d: Dialect, col: ColumnInfo, rules: ColumnRules, metric: string, as: 'number' | 'text'): string {
  const quoted = d.quote(col.name);
  let value = quoted;
  if (as === 'number' && col.category !== 'numeric') {
    const reading = numberReading(rules.validFormat);
    if (col.category !== 'text' || !reading) {
      throw new RuleError(`\`${metric}\` needs a numeric column, or a text column with a numeric \`valid format\` (${NUMERIC_FORMATS.join(', ')}); \`${col.name}\` is ${col.type}`);
    }
    value = formattedNumber(d, quoted, reading);
  }
  if (!hasAnyRule(rules)) return value;
  const valid = validityCondition(d, col, rules);
  const keep = `NOT (${missingCondition(d, col, rules)})${valid ? ` AND ${valid}` : ''}`;
  return `CASE WHEN ${keep} THEN ${value} END`;
}
