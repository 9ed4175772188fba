import type { Config } from '../config/types';
import type { DatasetJob, DatasetRun } from '../scan/runDataset';

/** What a scan worker starts with (structured-cloned into the worker). */
export interface ScanWorkerInput {
  config: Config;
  job: DatasetJob;
  variables: Record<string, string>;
  /** DuckDB threads for sources that do not set their own. */
  defaultThreads: number;
  /** Read every row of an incremental dataset (`?full=true`). */
  fullScan?: boolean;
}

/** The history methods a worker may call back on the main thread's state store. */
export type HistoryMethod = 'values' | 'previousSchema' | 'incrementalState';

export type ToWorker = { type: 'abort' } | { type: 'history-result'; id: number; value?: unknown; error?: string };

export type FromWorker = { type: 'history'; id: number; method: HistoryMethod; args: unknown[] } | { type: 'done'; run: DatasetRun } | { type: 'failed'; error: string };
