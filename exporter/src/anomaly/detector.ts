/**
 * The contract between metric-history anomaly checks (`anomaly detection for …`) and the
 * detectors that judge them. A detector is pure: it sees the current point and the points
 * before it, never the future, so the same code runs in a scan and in the NAB backtest.
 */

/** One measurement of a metric. */
export interface MetricPoint {
  /** When it was measured, epoch milliseconds. */
  at: number;
  value: number;
  /** Flagged as an anomaly when it was measured: detectors leave it out of training. */
  anomalous?: boolean;
}

export type Seasonality = 'auto' | 'none' | 'hour_of_day' | 'day_of_week';

export interface DetectorOptions {
  /** Band half-width in robust standard deviations; higher flags less. */
  sensitivity: number;
  /** Fewer earlier points than this: no verdict. */
  minHistory: number;
  seasonality: Seasonality;
  /** At most this many latest usable points train the model (a check's `window_length`); a detector may cap lower. */
  maxTrainingPoints?: number;
}

export interface AnomalyVerdict {
  /** What the model expected for the current point. */
  expected: number;
  /** The band the current point had to fall in to be normal. */
  lower: number;
  upper: number;
  /** Distance from the expectation in band half-widths: > 1 is outside the band. */
  score: number;
  anomalous: boolean;
  /** The season the expectation is for (`Monday`, `14:00`), when a seasonal model was used. */
  season?: string;
  /** Which model produced the verdict, for the result and the benchmark. */
  model: string;
}

export interface AnomalyDetector {
  readonly name: string;
  /** History is in time order, oldest first, and holds only points before `current`. Undefined: not enough history. */
  assess(current: MetricPoint, history: readonly MetricPoint[], options: DetectorOptions): AnomalyVerdict | undefined;
}
