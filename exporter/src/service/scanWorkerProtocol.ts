import type { Config } from '../config/types';
import type { DatasetJob, DatasetRun } from '../scan/runDataset';
import type { ScanProgress, ScanRun } from '../scan/runScan';

/**
 * What a scan worker process runs: one dataset job for the service, or a whole project for
 * `datatrust scan` (the worker loads the project itself: parsed check files do not travel well).
 */
export type ScanTask =
  /** `fullScan`: read every row of an incremental dataset (`?full=true`). */
  | { kind: 'dataset'; config: Config; job: DatasetJob; variables: Record<string, string>; fullScan?: boolean }
  | { kind: 'project'; configPath: string; checkFiles: string[]; datasets?: string[]; variables: Record<string, string>; samples: boolean };

/** What a scan worker starts with (structured-cloned into the worker process). */
export interface ScanWorkerInput {
  task: ScanTask;
  /** DuckDB threads and memory_limit for sources that do not set their own. */
  defaultThreads: number;
  defaultMemoryLimit: string;
}

/** The history methods a worker may call back on the main process's state store. */
export type HistoryMethod = 'values' | 'points' | 'previousSchema' | 'incrementalState';

export type ToWorker = { type: 'start'; input: ScanWorkerInput } | { type: 'abort' } | { type: 'history-result'; id: number; value?: unknown; error?: string };

export type FromWorker =
  | { type: 'history'; id: number; method: HistoryMethod; args: unknown[] }
  /** A source call started / ended: the parent's watchdog keeps time on it. */
  | { type: 'call'; id: number; source: string; what: string }
  | { type: 'call-end'; id: number }
  /** The worker's resident memory, reported while it runs. */
  | { type: 'memory'; rss: number }
  | { type: 'jobs'; jobs: DatasetJob[] }
  | { type: 'progress'; index: number; total: number; result: DatasetRun }
  | { type: 'done'; report: ScanRun }
  | { type: 'failed'; error: string };

export type { ScanProgress };
