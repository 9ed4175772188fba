import type { MetricPoint } from '../anomaly/detector';

/** Which earlier points an anomaly check trains on. */
export interface PointsQuery {
  /** Epoch ms: points measured before this are left out. */
  since: number;
  /** At most this many, the newest kept. */
  limit: number;
  /** The anomaly check's key (`identity`, else its definition): points it flagged come back `anomalous`. */
  flaggedBy: string;
}

/** Where change-over-time and anomaly checks get earlier values. The state store implements it. */
export interface MetricHistory {
  /** Earlier values of a metric, newest first, at most `limit`. */
  values(dataset: string, metricKey: string, limit: number): Promise<number[]>;
  /** Earlier measurements of a metric with their time and this check's anomaly flags, oldest first. */
  points(dataset: string, metricKey: string, query: PointsQuery): Promise<MetricPoint[]>;
  /** The columns recorded by the previous scan of the dataset. */
  previousSchema(dataset: string): Promise<{ name: string; type: string }[] | undefined>;
}

/** Enough points for a spread to mean something. */
export const MIN_ANOMALY_HISTORY = 5;
export const ANOMALY_WINDOW = 30;

/**
 * `change [avg|min|max last N] [percent] for …`: current minus the previous value (or the
 * aggregate of the last N), optionally as a percentage of it. Undefined when there is no history.
 */
export function changeValue(current: number, history: readonly number[], opts: { aggregation?: 'avg' | 'min' | 'max'; lastN: number; percent: boolean }): number | undefined {
  const window = history.slice(0, opts.aggregation ? opts.lastN : 1);
  if (window.length === 0) return undefined;
  let base: number;
  if (opts.aggregation === 'min') base = Math.min(...window);
  else if (opts.aggregation === 'max') base = Math.max(...window);
  else base = window.reduce((a, b) => a + b, 0) / window.length;
  const diff = current - base;
  if (!opts.percent) return diff;
  return base === 0 ? (diff === 0 ? 0 : Infinity) : (diff / Math.abs(base)) * 100;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Anomaly score: how many robust standard deviations (1.4826 × MAD) the current value lies
 * from the median of its history. Robust statistics keep one past incident from masking the
 * next. Undefined until there are MIN_ANOMALY_HISTORY values.
 */
export function anomalyScore(current: number, history: readonly number[]): number | undefined {
  if (history.length < MIN_ANOMALY_HISTORY) return undefined;
  const m = median(history);
  const mad = median(history.map((v) => Math.abs(v - m))) * 1.4826;
  const mean = history.reduce((a, b) => a + b, 0) / history.length;
  const sd = Math.sqrt(history.reduce((a, v) => a + (v - mean) ** 2, 0) / history.length);
  // A flat history has no spread; fall back to the standard deviation, then to 1% of the level.
  const scale = mad || sd || Math.abs(m) * 0.01 || 1;
  return Math.abs(current - m) / scale;
}
