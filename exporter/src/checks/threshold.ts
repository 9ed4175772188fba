import { formatDuration } from './duration';

export type Comparator = '<' | '<=' | '=' | '!=' | '>=' | '>';

/**
 * A condition on a metric value. Both inline thresholds (`row_count > 0`, which says when the
 * check passes) and `warn:`/`fail:` conditions (`when > 5`, which say when it does not) are
 * stored as conditions; `Rule` records which of the two they mean.
 */
export type Threshold =
  | { kind: 'compare'; op: Comparator; value: number }
  | { kind: 'between'; low: number; high: number; lowInclusive: boolean; highInclusive: boolean; negated: boolean };

/** How to print threshold values: durations for freshness, a `%` for percent metrics. */
export type ValueUnit = 'number' | 'percent' | 'duration';

export function matches(t: Threshold, v: number): boolean {
  if (t.kind === 'compare') {
    switch (t.op) {
      case '<':
        return v < t.value;
      case '<=':
        return v <= t.value;
      case '=':
        return v === t.value;
      case '!=':
        return v !== t.value;
      case '>=':
        return v >= t.value;
      case '>':
        return v > t.value;
    }
  }
  const aboveLow = t.lowInclusive ? v >= t.low : v > t.low;
  const belowHigh = t.highInclusive ? v <= t.high : v < t.high;
  return aboveLow && belowHigh ? !t.negated : t.negated;
}

const NEGATED: Record<Comparator, Comparator> = { '<': '>=', '<=': '>', '=': '!=', '!=': '=', '>=': '<', '>': '<=' };

/** The complement: `matches(negate(t), v) === !matches(t, v)` for every number v. */
export function negate(t: Threshold): Threshold {
  return t.kind === 'compare' ? { ...t, op: NEGATED[t.op] } : { ...t, negated: !t.negated };
}

function formatValue(v: number, unit: ValueUnit): string {
  if (unit === 'duration') return formatDuration(v);
  return unit === 'percent' ? `${v}%` : String(v);
}

export function formatThreshold(t: Threshold, unit: ValueUnit = 'number'): string {
  if (t.kind === 'compare') return `${t.op} ${formatValue(t.value, unit)}`;
  const open = t.lowInclusive ? '' : '(';
  const close = t.highInclusive ? '' : ')';
  return `${t.negated ? 'not between' : 'between'} ${open}${formatValue(t.low, unit)} and ${formatValue(t.high, unit)}${close}`;
}

/**
 * Which outcome a condition produces. `pass-when` comes from an inline threshold (fail unless it
 * holds); `outcome-when` from a `warn:`/`fail:` key (that outcome when it holds).
 */
export interface Rule {
  threshold: Threshold;
  meaning: 'pass-when' | 'outcome-when';
}

/** True when the rule's outcome (warn or fail) applies to the value. */
export function triggers(rule: Rule, v: number): boolean {
  const hit = matches(rule.threshold, v);
  return rule.meaning === 'pass-when' ? !hit : hit;
}

/** "when <= 0": the condition under which the outcome applies, always phrased as a trigger. */
export function describeRule(rule: Rule, unit: ValueUnit): string {
  const t = rule.meaning === 'pass-when' ? negate(rule.threshold) : rule.threshold;
  return `when ${formatThreshold(t, unit)}`;
}
