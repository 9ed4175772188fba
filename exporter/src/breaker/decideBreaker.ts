import type { FailingCheck } from '../alerts/types';
import type { CheckResult, DatasetResult } from '../scan/result';
import { enforcedOnly } from '../checks/mode';
import { type Outcome, worstOutcome } from '../checks/outcome';
import type { Breaker, BreakerCause, BreakerState } from './types';

const SEVERITY: Record<Outcome, number> = { error: 0, fail: 1, warn: 2, not_evaluated: 3, pass: 4 };

/** The checks that did not pass, most severe first: what an alert and the gate report. */
export function failingChecks(results: readonly CheckResult[]): FailingCheck[] {
  return results
    .filter((c) => c.outcome !== 'pass' && c.outcome !== 'not_evaluated')
    .sort((a, b) => SEVERITY[a.outcome] - SEVERITY[b.outcome])
    .map((c) => ({ name: c.name, definition: c.definition, outcome: c.outcome, value: c.value, ...(c.message ? { message: c.message } : {}), ...(c.error ? { error: c.error } : {}), ...(c.expected ? { measured: c.measured!, expected: c.expected } : {}) }));
}

export interface BreakerDecision {
  next: Breaker;
  /** Set when the state changed. */
  changed?: { from: BreakerState; to: BreakerState; cause?: BreakerCause };
}

/**
 * The breaker state machine. A fail-level result opens it; warnings never do. An errored scan
 * opens it only under `on_error: open` (the default for critical datasets): otherwise an error
 * proves nothing either way and the state stays. A scan with no failures and no errors closes it.
 * Only enforced checks count (`mode: observe` ones decide nothing). Pure: the caller supplies the time.
 */
export function decideBreaker(current: Breaker | undefined, result: DatasetResult, onError: 'open' | 'ignore', at: Date): BreakerDecision {
  // Observed checks only say what they would have done: they never open, hold or close a breaker.
  const enforced = enforcedOnly(result.checks);
  const outcomes = enforced.map((c) => c.outcome);
  const health = worstOutcome(outcomes);
  const failing = failingChecks(enforced);
  const hasFail = outcomes.includes('fail');
  const hasError = outcomes.includes('error');
  const previous: BreakerState = current?.state ?? 'closed';

  let state: BreakerState;
  let cause: BreakerCause | undefined;
  if (hasFail) {
    state = 'open';
    cause = 'check_failed';
  } else if (hasError && onError === 'open') {
    state = 'open';
    cause = 'scan_error';
  } else if (hasError) {
    state = previous;
    cause = current?.cause;
  } else {
    state = 'closed';
  }

  const iso = at.toISOString();
  const next: Breaker = {
    dataset: result.dataset,
    state,
    since: state === previous && current ? current.since : iso,
    failingChecks: failing,
    health,
    lastScanAt: iso,
    ...(cause && state === 'open' ? { cause } : {}),
    ...(state === 'open' && previous === 'open' && current?.incidentId ? { incidentId: current.incidentId } : {}),
  };
  if (state === previous) return { next };
  return { next, changed: { from: previous, to: state, ...(next.cause ? { cause: next.cause } : {}) } };
}
