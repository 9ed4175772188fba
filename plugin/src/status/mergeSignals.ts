import { CheckOutcome, CheckResult, DatasetSignals } from '../graph/model';

/**
 * How signals for the same dataset from several series (several exporters, duplicate queries, a
 * Node Graph frame plus metrics) combine: the more alarming reading always wins, so a duplicated
 * series can never hide a problem.
 */

export function mergeBreaker(signals: DatasetSignals, open: boolean, cause: string | undefined, since?: Since): void {
  const wasOpen = signals.breakerOpen === true;
  if (open && !wasOpen) {
    // first open reading: its cause and since replace whatever a closed reading said
    signals.breakerCause = cause;
    setSince(signals, since, true);
  } else if (open === wasOpen) {
    if (cause && !signals.breakerCause) {
      signals.breakerCause = cause;
    }
    setSince(signals, since, false);
  }
  signals.breakerOpen = wasOpen || open;
}

/** Lowest ratio per window: the conservative reading. */
export function mergePassRatio(signals: DatasetSignals, window: string, ratio: number): void {
  const current = signals.passRatio[window];
  signals.passRatio[window] = current === undefined ? ratio : Math.min(current, ratio);
}

/** Stalest reading wins. */
export function mergeFreshness(signals: DatasetSignals, seconds: number): void {
  signals.freshnessSeconds = signals.freshnessSeconds === undefined ? seconds : Math.max(signals.freshnessSeconds, seconds);
}

const OUTCOME_SEVERITY: Record<CheckOutcome, number> = { pass: 0, warn: 1, fail: 2, error: 3 };

/** Worst outcome per check name. */
export function mergeCheck(signals: DatasetSignals, check: CheckResult): void {
  const existing = signals.checks.find((c) => c.name === check.name);
  if (!existing) {
    signals.checks.push({ ...check });
    return;
  }
  if (OUTCOME_SEVERITY[check.outcome] > OUTCOME_SEVERITY[existing.outcome]) {
    existing.outcome = check.outcome;
    existing.sinceMs = check.sinceMs;
  }
}

/** First value wins: attributes are descriptive (titles, owners), not alarms. */
export function mergeAttribute(signals: DatasetSignals, key: string, value: string): void {
  if (signals.attributes[key] === undefined) {
    signals.attributes[key] = value;
  }
}

export interface Since {
  ms: number;
  lowerBound: boolean;
}

function setSince(signals: DatasetSignals, since: Since | undefined, replace: boolean): void {
  if (!since) {
    return;
  }
  if (replace || signals.sinceMs === undefined || since.ms < signals.sinceMs) {
    signals.sinceMs = since.ms;
    signals.sinceIsLowerBound = since.lowerBound;
  }
}

/**
 * Start of the trailing run of equal values in a series: when the value last changed. With no
 * change in the data, the first point is a lower bound ("for at least …").
 */
export function sinceFromHistory(history: Array<{ timeMs: number; value: number | null }>): Since | undefined {
  const points = history.filter((p) => p.value !== null);
  const last = points[points.length - 1];
  if (!last || points.length < 2) {
    return undefined;
  }
  let start = last.timeMs;
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i];
    if (!p || p.value !== last.value) {
      return { ms: start, lowerBound: false };
    }
    start = p.timeMs;
  }
  return { ms: start, lowerBound: true };
}
