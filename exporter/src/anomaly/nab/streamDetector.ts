/**
 * Runs a detector over a series the way a scan would meet it: point by point, each judged
 * only on the points before it, each flagged point remembered as flagged (so training leaves
 * it out). Turns verdicts into the [0, 1] anomaly scores NAB's scorer expects.
 */
import type { AnomalyDetector, DetectorOptions, MetricPoint } from '../detector';

export interface StreamOptions {
  detector: AnomalyDetector;
  options: DetectorOptions;
  /** Earlier points handed to each verdict: what the state store would keep. */
  historyLimit: number;
  /**
   * A point's score is reported only when it beats every score of this long before it (ms);
   * otherwise 0. Whatever the alert threshold, an ongoing incident then alerts once, at its
   * first crossing, the way alert grouping works. 0 reports every verdict.
   */
  repeatWindowMs: number;
}

export interface StreamResult {
  /** Per point, in [0, 1]: 0 without a verdict or when repeated, otherwise score / (1 + score). */
  anomalyScores: number[];
  flagged: number;
  /** Points that got a verdict. */
  assessed: number;
  /** Per point: flagged by the detector at its own sensitivity. */
  flags: boolean[];
  /** Verdicts per model (`seasonal(hour_of_day)`, `level+trend`, …). */
  models: Record<string, number>;
}

/** s / (1 + s): monotone, so NAB's threshold search sees the detector's own ranking. */
export function toUnitScore(score: number): number {
  return Number.isFinite(score) ? score / (1 + score) : 1;
}

export function streamDetector(timestamps: readonly number[], values: readonly number[], run: StreamOptions): StreamResult {
  const points: MetricPoint[] = [];
  const anomalyScores: number[] = [];
  // Indexes of a decreasing run of raw scores within the repeat window (a sliding maximum).
  const recent: number[] = [];
  const raw: number[] = [];
  let head = 0;
  let flagged = 0;
  let assessed = 0;
  const flags: boolean[] = [];
  const models: Record<string, number> = {};
  for (let i = 0; i < values.length; i++) {
    const current: MetricPoint = { at: timestamps[i]!, value: values[i]! };
    const history = points.slice(Math.max(0, i - run.historyLimit), i);
    const verdict = run.detector.assess(current, history, run.options);
    const score = verdict ? toUnitScore(verdict.score) : 0;
    if (verdict) {
      assessed++;
      current.anomalous = verdict.anomalous;
      if (verdict.anomalous) flagged++;
      models[verdict.model] = (models[verdict.model] ?? 0) + 1;
    }
    flags.push(verdict?.anomalous ?? false);
    while (head < recent.length && timestamps[recent[head]!]! < current.at - run.repeatWindowMs) head++;
    const recentMax = head < recent.length ? raw[recent[head]!]! : -Infinity;
    anomalyScores.push(run.repeatWindowMs > 0 && score <= recentMax ? 0 : score);
    raw.push(score);
    while (recent.length > head && raw[recent[recent.length - 1]!]! <= score) recent.pop();
    recent.push(i);
    points.push(current);
  }
  return { anomalyScores, flagged, assessed, flags, models };
}
