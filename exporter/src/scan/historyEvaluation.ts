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
