import { DatasetSignals, OwnState } from '../graph/model';
import { passRatioFor } from './passRatioFor';
import { PassRatioThresholds } from './thresholds';

const SEVERITY: Record<OwnState, number> = { unknown: 0, ok: 1, warn: 2, failed: 3 };

function worst(a: OwnState, b: OwnState): OwnState {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** True when the exporter marks the breaker as open because of something upstream. */
export function isUpstreamCause(signals: DatasetSignals, datasetId: string): boolean {
  const cause = signals.breakerCause?.trim().toLowerCase();
  return cause !== undefined && cause !== '' && cause !== 'self' && cause !== 'own' && cause !== datasetId.toLowerCase();
}

/**
 * A dataset's state from its own signals.
 * - An open breaker is an own failure (unless the exporter says an upstream dataset caused it).
 * - Failing or erroring checks are a failure when the breaker state is unknown; when the breaker is
 *   known to be closed the checks did not trip it (warn-level configuration), so they show amber.
 * - The pass ratio below the fail / warn levels is red / amber.
 * - A dataset with no breaker, check or pass-ratio signal has no checks: a coverage gap, shown grey
 *   (freshness alone is not a check).
 */
export function classifyOwnState(signals: DatasetSignals, datasetId: string, thresholds: PassRatioThresholds): OwnState {
  let state: OwnState = 'unknown';
  const hasBreaker = signals.breakerOpen !== undefined;
  if (hasBreaker) {
    state = signals.breakerOpen && !isUpstreamCause(signals, datasetId) ? 'failed' : 'ok';
  }
  for (const check of signals.checks) {
    if (check.outcome === 'fail' || check.outcome === 'error') {
      state = worst(state, hasBreaker ? 'warn' : 'failed');
    } else if (check.outcome === 'warn') {
      state = worst(state, 'warn');
    } else {
      state = worst(state, 'ok');
    }
  }
  const ratio = passRatioFor(signals, thresholds.window);
  if (ratio) {
    const fromRatio: OwnState =
      ratio.value < thresholds.failBelow ? 'failed' : ratio.value < thresholds.warnBelow ? 'warn' : 'ok';
    state = worst(state, fromRatio);
  }
  return state;
}
