import type { Seasonality } from '../anomaly/detector';
import type { SourcePosition } from '../diagnostics/diagnostic';
import type { BuiltinMetric } from './metrics';
import type { Rule, ValueUnit } from './threshold';

/** A literal in `missing values`/`valid values` lists. */
export type ListValue = string | number;

/** Per-column missing and validity configuration (check keys or `configurations for`). */
export interface ColumnRules {
  missingValues?: ListValue[];
  missingRegex?: string;
  missingFormat?: string;
  validValues?: ListValue[];
  invalidValues?: ListValue[];
  validRegex?: string;
  invalidRegex?: string;
  validFormat?: string;
  invalidFormat?: string;
  validMin?: number;
  validMax?: number;
  validLength?: number;
  validMinLength?: number;
  validMaxLength?: number;
  /** Soda 3.5 `include null`: `valid_count`/`invalid_count` also count NULL rows. */
  includeNull?: boolean;
  /** `outlier_count`/`outlier_percent`: the center and spread (default `median_mad`) and how many spreads away is an outlier (default 3). */
  outlierMethod?: OutlierMethod;
  outlierK?: number;
}

export type OutlierMethod = 'mean_stddev' | 'median_mad';

/** A metric reference with everything needed to compute it. */
export interface MetricRef {
  metric: BuiltinMetric;
  /** Column names as written; resolved against the dataset's columns at scan time. */
  columns: string[];
  /** For `percentile(col, p)`. */
  rank?: number;
  /** For `freshness(col, VAR)`: the variable holding the time to measure against (default `NOW`). */
  nowVariable?: string;
  rules: ColumnRules;
}

export interface SchemaRules {
  requiredColumnMissing?: string[];
  forbiddenColumnPresent?: string[];
  wrongColumnType?: Record<string, string>;
  wrongColumnIndex?: Record<string, number>;
  /** `when schema changes: any`; compares with the previous scan's schema. */
  schemaChanges?: boolean;
  /** `when schema changes: [column add, …]`: only these kinds of change count (absent: any). */
  schemaChangeKinds?: string[];
  /**
   * `when mismatching columns`: exactly these columns (a type, or null for any type); those in
   * `optionalColumns` (`with optional columns`) may be absent.
   */
  mismatchingColumns?: Record<string, string | null>;
  optionalColumns?: string[];
  /**
   * PRD short format: each listed column must exist (with its type, when given); other columns
   * may exist, but one that appears or disappears since the previous scan fails the check.
   */
  listedColumns?: { name: string; type?: string }[];
}

/** Which side of the band alerts (Soda's `alert_directionality`). */
export type AnomalyDirection = 'both' | 'upper' | 'lower';

/** How an `anomaly detection for` check judges its metric (README: Anomaly detection). */
export interface AnomalySettings {
  /** Band half-width in robust standard deviations. */
  sensitivity: number;
  /** Fewer earlier measurements than this: not evaluated. */
  minHistory: number;
  seasonality: Seasonality;
  /** At most this many earlier measurements train the model (Soda's `window_length`). */
  windowLength: number;
  /** Leave out points this check flagged earlier (Soda's `auto_exclude_anomalies`). */
  excludeAnomalies: boolean;
  direction: AnomalyDirection;
  /** Outside the band warns instead of failing (Soda's `warn_only`). */
  warnOnly: boolean;
}

export type CheckSpec =
  | { kind: 'metric'; ref: MetricRef }
  | { kind: 'schema'; warn?: SchemaRules; fail?: SchemaRules }
  | { kind: 'reference'; columns: string[]; other: string; otherColumns: string[]; mustNotExist: boolean }
  /** `columns`: `ones(col)`; `failedRowsQuery`: the rows shown as samples when it does not pass. */
  | { kind: 'user_metric'; metricName: string; expression?: string; query?: string; columns?: string[]; failedRowsQuery?: string }
  | { kind: 'failed_rows'; condition?: string; query?: string }
  /** `otherPartition`: a `filter <other> [partition]` applied to the other dataset's count. */
  | { kind: 'row_count_same_as'; other: string; otherSource?: string; otherPartition?: string; otherWhere?: string }
  | { kind: 'change'; of: MetricRef; aggregation?: 'avg' | 'min' | 'max'; lastN: number; percent: boolean }
  | { kind: 'anomaly'; of: MetricRef; settings: AnomalySettings }
  /** A check whose definition is wrong; scanning reports it as `error` and runs the rest. */
  | { kind: 'invalid'; error: string };

/**
 * The texts of a check that use scan variables (`row_count > ${MIN}`, `warn: when > ${MAX}`):
 * parsed again once the scan's variables are known (checks/bindVariables.ts).
 */
export interface CheckTemplate {
  line?: string;
  warn?: string;
  fail?: string;
}

/** How a check's outcome counts: `enforce` (default) decides breakers, pages and exit codes; `observe` only records (checks/mode.ts). */
export type CheckMode = 'enforce' | 'observe';

/** What a check may keep between incremental scans instead of reading every row (`incremental:` under it). */
export type IncrementalChoice = 'sketch' | 'key_index';

export interface Check {
  /** Stable identity within a scan: `file:line`. */
  id: string;
  /** The check line as written, e.g. `missing_count(user_id) = 0`. */
  definition: string;
  /** `name:` when given, else the definition. */
  name: string;
  /** Soda's `identity:`: the check's metric history follows it, not the definition, across edits. */
  identity?: string;
  attributes?: Record<string, unknown>;
  /**
   * `mode:` written on the check (it wins over the file's); absent: the file's `mode:`, else enforce.
   * Observed checks are evaluated and recorded but never open a breaker nor page (checks/mode.ts).
   */
  mode?: CheckMode;
  /** In-check `filter:` (SQL boolean expression). */
  filter?: string;
  fail?: Rule;
  warn?: Rule;
  /** Unit of the measured value, for display of thresholds. */
  unit: ValueUnit;
  samplesLimit?: number;
  samplesColumns?: string[];
  /**
   * On incremental scans: `sketch` approximates this percentile from a mergeable sketch;
   * `key_index` counts these duplicates exactly from a key index kept beside the state file.
   */
  incremental?: IncrementalChoice;
  location: SourcePosition;
  spec: CheckSpec;
  template?: CheckTemplate;
}

/** `checks for <dataset> [partition]:` */
export interface DatasetSection {
  dataset: string;
  partition?: string;
  checks: Check[];
  location: SourcePosition;
}

/** `filter <dataset> [partition]: where: …` */
export interface PartitionFilter {
  dataset: string;
  partition: string;
  where: string;
  location: SourcePosition;
}

/** One `<key> for <column>` line of `configurations for`. */
export interface ConfigurationEntry {
  key: string;
  column: string;
  location: SourcePosition;
}

/** `for each dataset T: datasets: [...] checks: [...]` */
export interface ForEachSection {
  /** The `T` of `for each dataset T`: `${T}` in its checks is the dataset's name. */
  variable: string;
  include: string[];
  exclude: string[];
  checks: Check[];
  location: SourcePosition;
}

/** One parsed check file. */
export interface ChecksDocument {
  file: string;
  sections: DatasetSection[];
  filters: PartitionFilter[];
  /** `configurations for <dataset>`: column → rules, and where each `<key> for <column>` was written. */
  configurations: { dataset: string; columns: Record<string, ColumnRules>; entries: ConfigurationEntry[]; location: SourcePosition }[];
  forEach: ForEachSection[];
  /** Data-source-level `checks:` (user queries not tied to a dataset). */
  sourceChecks: Check[];
  variables: Record<string, string>;
}
