import { bindVariables } from '../checks/bindVariables';
import { substituteVariables } from '../checks/variables';
import type { Project } from '../config/loadProject';
import { buildJobs } from './buildJobs';
import { defaultSource } from './datasetTarget';
import { errorMessage } from './errors';
import type { MetricHistory } from './historyEvaluation';
import { type DatasetJob, type DatasetRun, type QueryEvent, type RunContext, runDataset } from './runDataset';
import type { IncrementalStore } from './incremental/state';
import type { PlanOverrides } from './plans/strategies';
import { type ScanReport, summarize } from './result';
import { type RegistryOptions, SourceRegistry } from './sourceRegistry';

export interface ScanProgress {
  index: number;
  total: number;
  result: DatasetRun;
}

export interface ScanOptions {
  /** Only these datasets. */
  datasets?: string[];
  /** SodaCL scan variables (`-v NAME=value`) on top of the files' `variables:`. */
  variables?: Record<string, string>;
  history?: MetricHistory;
  onQuery?: (e: QueryEvent) => void;
  onProgress?: (p: ScanProgress) => void;
  now?: () => Date;
  /** Fetch failed-row samples (default true). */
  samples?: boolean;
  signal?: AbortSignal;
  /** Engine defaults and the watchdog's hook for the sources this scan opens. */
  registry?: RegistryOptions;
  /** The jobs about to run (after `for each dataset` discovery). */
  onJobs?: (jobs: readonly DatasetJob[]) => void;
  /** Forces plan strategies on or off (tests, benchmarks); the engine's rules decide the rest. */
  plan?: PlanOverrides;
  /** Stored partial aggregates of incremental datasets; without, they are scanned in full. */
  incremental?: IncrementalStore;
  /** Read every row of incremental datasets this time. */
  fullScan?: boolean;
}

export interface ScanRun extends ScanReport {
  datasets: DatasetRun[];
}

/** Runs `fn` over items with at most `limit` in flight, keeping result order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Tables of the default source, for `for each dataset` patterns; only looked up when needed. */
export async function discoverTables(project: Project, sources: SourceRegistry, timeoutMs: number): Promise<string[]> {
  if (!project.documents.some((d) => d.forEach.length > 0)) return [];
  const source = defaultSource(project.config);
  if ('error' in source) return [];
  const session = await sources.get(source).open();
  try {
    const tables = await session.listTables(timeoutMs);
    // `main.x`/`public.x` are reachable as plain `x`, which is how users name them.
    return tables.map((t) => t.replace(/^(main|public)\./, ''));
  } finally {
    await session.close();
  }
}

/**
 * A scan's variables: `NOW` (the scan's start, unless given), the check files' `variables:`, then
 * `-v NAME=value`, which overrides both. A `variables:` value may use another variable.
 */
export function scanVariables(project: Project, startedAt: Date, given: Record<string, string> = {}): Record<string, string> {
  const variables: Record<string, string> = { NOW: startedAt.toISOString() };
  for (const d of project.documents) Object.assign(variables, d.variables);
  Object.assign(variables, given);
  // The service passes the files' variables as given ones: resolve references wherever they are.
  for (const [k, v] of Object.entries(variables)) variables[k] = substituteVariables(v, variables, { keepUnknown: true }).text;
  return variables;
}

/** Scans jobs already built (the service schedules jobs one dataset at a time). */
export async function runJobs(project: Project, jobs: DatasetJob[], opts: ScanOptions & { sources?: SourceRegistry } = {}): Promise<ScanRun> {
  const started = Date.now();
  const now = opts.now ?? (() => new Date());
  const startedAt = now();
  const sources = opts.sources ?? new SourceRegistry(project.config);
  const variables = scanVariables(project, startedAt, opts.variables);
  // Thresholds, names, column and dataset names in check lines take this scan's values.
  const bound = jobs.map((job) => ({ ...job, checks: job.checks.map((c) => bindVariables(c, variables)) }));
  const ctx: RunContext = {
    config: project.config,
    sources,
    variables,
    now,
    samples: opts.samples ?? true,
    ...(opts.history ? { history: opts.history } : {}),
    ...(opts.onQuery ? { onQuery: opts.onQuery } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.plan ? { plan: opts.plan } : {}),
    ...(opts.incremental ? { incremental: opts.incremental } : {}),
    ...(opts.fullScan ? { fullScan: true } : {}),
  };
  let finished = 0;
  try {
    const datasets = await mapLimit(bound, project.config.scan.concurrency, async (job) => {
      const result = await runDataset(job, ctx);
      opts.onProgress?.({ index: ++finished, total: bound.length, result });
      return result;
    });
    return { startedAt: startedAt.toISOString(), durationMs: Date.now() - started, datasets, summary: summarize(datasets) };
  } finally {
    if (!opts.sources) await sources.closeAll();
  }
}

/**
 * Scans a project: every dataset's checks, datasets in parallel up to `scan.concurrency`.
 * Never throws for data problems; they are in the report as `error` outcomes.
 */
export async function runScan(project: Project, opts: ScanOptions = {}): Promise<ScanRun> {
  const sources = new SourceRegistry(project.config, opts.registry);
  try {
    let discovered: string[] = [];
    let discoveryError: string | undefined;
    try {
      discovered = await discoverTables(project, sources, project.config.scan.queryTimeoutMs);
    } catch (e) {
      discoveryError = errorMessage(e);
    }
    const jobs = buildJobs(project, { ...(opts.datasets ? { datasets: opts.datasets } : {}), discoveredTables: discovered, ...(discoveryError ? { discoveryError } : {}), ...(opts.variables ? { variables: opts.variables } : {}) });
    opts.onJobs?.(jobs);
    return await runJobs(project, jobs, { ...opts, sources });
  } finally {
    await sources.closeAll();
  }
}
