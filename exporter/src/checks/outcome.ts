/** Soda Core v3 outcomes, plus `not_evaluated` for checks that need history not yet recorded. */
export type Outcome = 'pass' | 'warn' | 'fail' | 'error' | 'not_evaluated';

const SEVERITY: Record<Outcome, number> = { not_evaluated: -1, pass: 0, warn: 1, fail: 2, error: 3 };

/** The most severe of several outcomes (error beats fail beats warn beats pass). */
export function worstOutcome(outcomes: Iterable<Outcome>): Outcome {
  let worst: Outcome = 'pass';
  for (const o of outcomes) if (SEVERITY[o] > SEVERITY[worst]) worst = o;
  return worst;
}
