import type { AnomalyDetector, AnomalyVerdict, MetricPoint } from '../anomaly/detector';
import { median } from '../anomaly/robustStats';
import { formatDuration } from '../checks/duration';
import type { AnomalySettings, MetricRef } from '../checks/model';
import type { ExpectedRange } from './result';

/** How far back an anomaly check reads its metric: eight weeks hold eight of each weekday. */
export const ANOMALY_HISTORY_DAYS = 56;

/**
 * Most measurements read per judgement: the `window_length` training points plus the flagged
 * ones the detector skips, so a run of flagged points cannot starve the training window.
 */
export const ANOMALY_HISTORY_LIMIT = 5000;

/** An anomaly check's judgement of one measurement, ready for the result. */
export interface AnomalyJudgement {
  /** Distance from the expectation in robust standard deviations (the check's `value`). */
  score: number;
  expected: ExpectedRange;
  message: string;
  /**
   * The point lies outside the band (score > sensitivity before `alert_directionality`): it is
   * flagged and left out of later training, whatever the check's outcome, so a `warn:` band
   * cannot narrow the model and one-sided checks still do not learn from incidents.
   */
  outsideBand: boolean;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** `12,040`, `0.35`: grouped thousands, at most 3 decimals, as people read them in alerts. */
export function formatAmount(n: number): string {
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 1 ? 2 : 3;
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** The metric as written (`row_count`, `percentile(amount, 0.95)`), for messages: history keys may be `identity:…`. */
export function metricLabel(ref: MetricRef): string {
  const extra = ref.rank !== undefined ? `, ${ref.rank}` : ref.nowVariable !== undefined ? `, ${ref.nowVariable}` : '';
  return ref.columns.length ? `${ref.metric}(${ref.columns.join(', ')}${extra})` : ref.metric;
}

/** "row_count 12,040, expected 48,000–52,000 for a Monday". */
export function describeExpectation(metric: string, measured: number, e: ExpectedRange): string {
  const season = e.season === undefined ? '' : WEEKDAYS.includes(e.season) ? ` for a ${e.season}` : ` at ${e.season}`;
  return `${metric} ${formatAmount(measured)}, expected ${formatAmount(e.lower)}–${formatAmount(e.upper)}${season}`;
}

/**
 * Judges `current` against its history with `detector`. Points the check flagged earlier stay
 * flagged for the detector to leave out, unless the check includes them
 * (`auto_exclude_anomalies: false`). With `alert_directionality` one-sided, a deviation on the
 * other side scores 0. Undefined: fewer than `min_history` usable earlier points.
 */
export function judgeAnomaly(detector: AnomalyDetector, metric: string, current: MetricPoint, history: readonly MetricPoint[], settings: AnomalySettings): AnomalyJudgement | undefined {
  const training: readonly MetricPoint[] = settings.excludeAnomalies ? history : history.map((p) => ({ at: p.at, value: p.value }));
  const usable = training.filter((p) => !p.anomalous).length;
  if (usable < settings.minHistory) return undefined;
  const verdict: AnomalyVerdict | undefined = detector.assess(current, training, {
    sensitivity: settings.sensitivity,
    minHistory: settings.minHistory,
    seasonality: settings.seasonality,
    maxTrainingPoints: settings.windowLength,
  });
  if (!verdict) return undefined;
  const ignored = (settings.direction === 'upper' && current.value < verdict.expected) || (settings.direction === 'lower' && current.value > verdict.expected);
  const score = ignored ? 0 : verdict.score * settings.sensitivity;
  const expected: ExpectedRange = { value: verdict.expected, lower: verdict.lower, upper: verdict.upper, model: verdict.model, ...(verdict.season !== undefined ? { season: verdict.season } : {}) };
  return { score, expected, message: describeExpectation(metric, current.value, expected), outsideBand: verdict.anomalous };
}

/**
 * Why a check has no judgement: too few usable values so far, or, when the scans come too
 * seldom for the 56 days read to ever hold `min_history` of them, that it never will.
 */
export function notEnoughHistoryMessage(metricKey: string, past: readonly MetricPoint[], minHistory: number): string {
  const usable = past.filter((p) => !p.anomalous).length;
  const gaps = past.slice(1).map((p, i) => p.at - past[i]!.at);
  const spacing = gaps.length ? median(gaps) : 0;
  const fit = spacing > 0 ? Math.floor((ANOMALY_HISTORY_DAYS * 86_400_000) / spacing) : Infinity;
  if (fit < minHistory) {
    return `min_history ${minHistory} cannot be reached: with one value of ${metricKey} about every ${formatDuration(spacing / 1000)}, the ${ANOMALY_HISTORY_DAYS} days of history read hold about ${fit}; lower min_history (${usable} usable earlier values now)`;
  }
  return `not enough history yet (${usable} usable earlier values of ${metricKey} in the last ${ANOMALY_HISTORY_DAYS} days; min_history is ${minHistory})`;
}
