import type { ValueUnit } from './threshold';

/** What a built-in metric takes as arguments. */
/** `column-and-variable`: `freshness(col)` or `freshness(col, VAR)`, VAR naming the variable that holds "now". */
export type MetricArgs = 'none' | 'column' | 'columns' | 'column-and-rank' | 'column-and-variable';

/** How the engine computes a metric; drives query planning. */
export type MetricFamily = 'row_count' | 'missing' | 'validity' | 'duplicate' | 'numeric' | 'length' | 'percentile' | 'freshness' | 'outlier';

export interface MetricInfo {
  args: MetricArgs;
  family: MetricFamily;
  unit: ValueUnit;
  /** Percent metrics divide this count by the (filtered) row count and report 0–100. */
  percentOf?: string;
}

export const BUILTIN_METRICS = {
  row_count: { args: 'none', family: 'row_count', unit: 'number' },
  missing_count: { args: 'column', family: 'missing', unit: 'number' },
  missing_percent: { args: 'column', family: 'missing', unit: 'percent', percentOf: 'missing_count' },
  invalid_count: { args: 'column', family: 'validity', unit: 'number' },
  invalid_percent: { args: 'column', family: 'validity', unit: 'percent', percentOf: 'invalid_count' },
  valid_count: { args: 'column', family: 'validity', unit: 'number' },
  valid_percent: { args: 'column', family: 'validity', unit: 'percent', percentOf: 'valid_count' },
  duplicate_count: { args: 'columns', family: 'duplicate', unit: 'number' },
  duplicate_percent: { args: 'columns', family: 'duplicate', unit: 'percent', percentOf: 'duplicate_count' },
  avg: { args: 'column', family: 'numeric', unit: 'number' },
  min: { args: 'column', family: 'numeric', unit: 'number' },
  max: { args: 'column', family: 'numeric', unit: 'number' },
  sum: { args: 'column', family: 'numeric', unit: 'number' },
  stddev: { args: 'column', family: 'numeric', unit: 'number' },
  stddev_pop: { args: 'column', family: 'numeric', unit: 'number' },
  stddev_samp: { args: 'column', family: 'numeric', unit: 'number' },
  variance: { args: 'column', family: 'numeric', unit: 'number' },
  var_pop: { args: 'column', family: 'numeric', unit: 'number' },
  var_samp: { args: 'column', family: 'numeric', unit: 'number' },
  percentile: { args: 'column-and-rank', family: 'percentile', unit: 'number' },
  avg_length: { args: 'column', family: 'length', unit: 'number' },
  min_length: { args: 'column', family: 'length', unit: 'number' },
  max_length: { args: 'column', family: 'length', unit: 'number' },
  freshness: { args: 'column-and-variable', family: 'freshness', unit: 'duration' },
  // DataTrust extension: values outside center ± k × spread of their column (`outlier method`, `outlier k`).
  outlier_count: { args: 'column', family: 'outlier', unit: 'number' },
  outlier_percent: { args: 'column', family: 'outlier', unit: 'percent', percentOf: 'outlier_count' },
} as const satisfies Record<string, MetricInfo>;

export type BuiltinMetric = keyof typeof BUILTIN_METRICS;
export const BUILTIN_METRIC_NAMES = Object.keys(BUILTIN_METRICS) as BuiltinMetric[];

export function isBuiltinMetric(name: string): name is BuiltinMetric {
  return Object.prototype.hasOwnProperty.call(BUILTIN_METRICS, name);
}

export function metricInfo(name: BuiltinMetric): MetricInfo {
  return BUILTIN_METRICS[name];
}

/** Pre-3.0 SodaCL spellings and their v3 replacements, for precise migration errors. */
export const PRE_V3_METRICS: Record<string, string> = {
  count: 'row_count',
  missing: 'missing_count',
  invalid: 'invalid_count',
  valid: 'valid_count',
  duplicates: 'duplicate_count',
};
