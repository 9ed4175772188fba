import type { Check } from '../checks/model';
import { describeRule, triggers } from '../checks/threshold';
import type { Outcome } from '../checks/outcome';

/** `{ fail: "when <= 0", warn: "when > 5" }` for a check's rules, in the value's units. */
export function thresholdText(check: Check): { warn?: string; fail?: string } {
  const out: { warn?: string; fail?: string } = {};
  if (check.fail) out.fail = describeRule(check.fail, check.unit);
  if (check.warn) out.warn = describeRule(check.warn, check.unit);
  return out;
}

/**
 * The outcome for a measured value: fail when the fail rule triggers, else warn when the warn
 * rule does, else pass. The most severe result wins.
 */
export function evaluateValue(check: Check, value: number | null): { outcome: Outcome; message?: string } {
  if (value === null || Number.isNaN(value)) {
    // No value (e.g. avg over no rows) cannot show the data is fine.
    return { outcome: check.fail ? 'fail' : 'warn', message: 'the metric is NULL: no rows or no non-NULL values to measure' };
  }
  if (check.fail && triggers(check.fail, value)) return { outcome: 'fail' };
  if (check.warn && triggers(check.warn, value)) return { outcome: 'warn' };
  return { outcome: 'pass' };
}
