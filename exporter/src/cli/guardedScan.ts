import { resolve } from 'node:path';
import type { Project } from '../config/loadProject';
import { processScanBudget } from '../limits/engineBudget';
import { formatMemorySize } from '../limits/memorySize';
import { summarize } from '../scan/result';
import { type DatasetJob, type DatasetRun, errorResults } from '../scan/runDataset';
import type { ScanProgress, ScanRun } from '../scan/runScan';
import { spawnScanWorker, superviseWorker } from '../service/runScanInWorker';

export interface GuardedScanOptions {
  configPath: string;
  checkFiles: string[];
  datasets?: string[];
  variables: Record<string, string>;
  samples: boolean;
  onProgress?: (p: ScanProgress) => void;
}

/**
 * `datatrust scan` runs its scan in a worker process under the scan watchdog. When a source
 * call runs past `scan.query_timeout` plus grace (a frozen server, a DuckDB expression that
 * ignores its interrupt) or the worker's memory passes its cap, the worker is killed (nothing
 * else ends such a query: even `process.exit` waits for it): finished datasets keep their
 * results and every other check reports the reason as `error`.
 */
export async function runGuardedScan(project: Project, opts: GuardedScanOptions): Promise<{ report: ScanRun; stopped?: string }> {
  const budget = processScanBudget(project.config);
  const started = Date.now();
  let jobs: DatasetJob[] = [];
  const finished = new Map<string, DatasetRun>();
  const child = spawnScanWorker();
  const worker = superviseWorker(
    child,
    {
      task: { kind: 'project', configPath: resolve(opts.configPath), checkFiles: opts.checkFiles.map((f) => resolve(f)), ...(opts.datasets ? { datasets: opts.datasets } : {}), variables: opts.variables, samples: opts.samples },
      defaultThreads: budget.defaults.threads,
      defaultMemoryLimit: formatMemorySize(budget.defaults.memoryLimitBytes),
    },
    { queryTimeoutMs: project.config.scan.queryTimeoutMs, memoryLimitBytes: budget.memoryLimitBytes },
    {
      onJobs: (j) => (jobs = j),
      onProgress: (p) => {
        finished.set(p.result.dataset, p.result);
        opts.onProgress?.(p);
      },
    },
  );
  try {
    return { report: await worker.result };
  } catch (e) {
    // (The worker is killed in `finally`: a query its engine would not stop dies with it.)
    const reason = (e as Error).message;
    const startedAt = new Date(started).toISOString();
    const durationMs = Date.now() - started;
    const datasets = jobs.map((j) => finished.get(j.dataset) ?? { dataset: j.dataset, source: j.target?.source.name ?? '', startedAt, durationMs, checks: errorResults(j.checks, reason), measurements: {} });
    return { report: { startedAt, durationMs, datasets, summary: summarize(datasets) }, stopped: reason };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
