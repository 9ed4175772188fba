import { isObserved } from '../checks/mode';
import type { Outcome } from '../checks/outcome';
import type { Cell, S3Reader } from '../sources/source';
import type { ExpectedRange } from './expectedRange';
import type { IncrementalOutcome } from './incremental/state';

export type { ExpectedRange } from './expectedRange';

export interface CheckSamples {
  columns: string[];
  rows: Cell[][];
}

export interface CheckResult {
  /** Identity within the config: `file:line:col` of the check line. */
  id: string;
  name: string;
  definition: string;
  outcome: Outcome;
  /** The measured metric as Soda reports it (percent metrics in 0–100, freshness in seconds). */
  value: number | null;
  /** When warn/fail apply, e.g. `{ fail: "when <= 0" }`. */
  threshold: { warn?: string; fail?: string };
  samples?: CheckSamples;
  error?: string;
  /** Extra explanation for non-error outcomes (schema differences, why not evaluated…). */
  message?: string;
  attributes?: Record<string, unknown>;
  /** Set on observed checks only: the outcome says what the check would have done; it decides nothing. */
  mode?: 'observe';
  /** Canonical metric identity for history (`row_count`, `missing_count(user_id)`…). */
  metricKey?: string;
  /** Where the value came from when not from reading every row: exact file statistics, or partial aggregates merged with the rows past the watermark. */
  source?: 'metadata' | 'incremental';
  /** The value is an approximation (`incremental: sketch` percentiles on incremental scans): how, and how close. */
  approximation?: { method: 'ddsketch'; relativeError: number };
  /** Anomaly checks: the metric value judged (`value` is its anomaly score). */
  measured?: number;
  /** Anomaly checks: what the model expected of `measured`. */
  expected?: ExpectedRange;
  /** Anomaly checks that judged their point anomalous: the check's key, so its later scans train without the point. */
  anomalyFlag?: string;
}

export interface DatasetResult {
  dataset: string;
  source: string;
  startedAt: string;
  durationMs: number;
  checks: CheckResult[];
  /** Columns seen by the scan, for schema-change history. */
  schema?: { name: string; type: string }[];
  /** For an incremental dataset: whether this scan merged new rows or read every row, and why. */
  incremental?: IncrementalOutcome;
  /** Files on S3: which reader ran, and what the SDK reader downloaded. */
  reader?: S3Reader;
}

export interface OutcomeTally {
  pass: number;
  warn: number;
  fail: number;
  error: number;
  notEvaluated: number;
}

/** Enforced checks' outcomes (they set the exit code); observed checks counted apart, when there are any. */
export interface ScanSummary extends OutcomeTally {
  observed?: OutcomeTally;
}

export interface ScanReport {
  startedAt: string;
  durationMs: number;
  datasets: DatasetResult[];
  summary: ScanSummary;
}

const tally = (): OutcomeTally => ({ pass: 0, warn: 0, fail: 0, error: 0, notEvaluated: 0 });

export function summarize(datasets: readonly DatasetResult[]): ScanSummary {
  const s: ScanSummary = tally();
  for (const d of datasets) {
    for (const c of d.checks) {
      const t = isObserved(c) ? (s.observed ??= tally()) : s;
      if (c.outcome === 'not_evaluated') t.notEvaluated++;
      else t[c.outcome]++;
    }
  }
  return s;
}

/**
 * Soda Core v3 exit codes: 0 all pass, 1 warnings, 2 failures, 3 errors (error beats fail beats
 * warn), from enforced checks only: an observed check never fails a pipeline.
 */
export function exitCodeFor(summary: ScanSummary): 0 | 1 | 2 | 3 {
  if (summary.error > 0) return 3;
  if (summary.fail > 0) return 2;
  if (summary.warn > 0) return 1;
  return 0;
}
