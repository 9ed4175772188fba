import type { Config } from '../config/types';
import { datasetIdentity } from '../lineage/datasetIdentity';
import type { DatasetIdentity, JobIdentity } from '../openlineage/types';
import { JobGateError, type OnGateUnreachable } from '../pipeline/jobGateCheck';
import { type LineageConnection, type LineageRun, registerJob, withLineage } from '../pipeline/withLineage';
import { resolveDataset } from '../scan/datasetTarget';
import { SourceRegistry } from '../scan/sourceRegistry';

/** The namespace of the demo's jobs. */
export const DEMO_JOB_NAMESPACE = 'demo';

/** Where the demo's data comes from: an extract of the core-banking system, outside the warehouse (and without checks). */
export const CORE_BANKING_EXTRACT: DatasetIdentity = { namespace: 'postgres://core-banking:5432', name: 'core.public.transactions_extract' };

/**
 * The demo pipeline: what each job reads and writes, by the demo's dataset names (datatrust.yml),
 * except ingest's external source. `sales_report` is not configured: it has no checks on purpose.
 */
export const DEMO_PIPELINE: readonly { name: string; inputs: readonly (string | DatasetIdentity)[]; outputs: readonly string[] }[] = [
  { name: 'demo.ingest', inputs: [CORE_BANKING_EXTRACT], outputs: ['raw_transactions', 'users', 'accounts', 'card_settlements'] },
  { name: 'demo.clean', inputs: ['raw_transactions', 'users'], outputs: ['cleaned_transactions'] },
  { name: 'demo.aggregate', inputs: ['cleaned_transactions'], outputs: ['aggregated_sales'] },
  { name: 'demo.report', inputs: ['aggregated_sales'], outputs: ['sales_report'] },
];

export interface DemoJob {
  job: JobIdentity;
  inputs: DatasetIdentity[];
  /** Each output by its demo name (to count its rows) and its OpenLineage identity. */
  outputs: { dataset: string; identity: DatasetIdentity }[];
}

function identity(config: Config, dataset: string): DatasetIdentity {
  const id = datasetIdentity(config, dataset);
  if (!id) throw new Error(`the demo dataset \`${dataset}\` cannot be resolved in ${config.file}: is this the demo's datatrust.yml?`);
  return id;
}

/** The four jobs with their datasets' OpenLineage identities, as `datatrust.yml` resolves them. */
export function demoJobs(config: Config): DemoJob[] {
  return DEMO_PIPELINE.map((j) => ({
    job: { namespace: DEMO_JOB_NAMESPACE, name: j.name },
    inputs: j.inputs.map((d) => (typeof d === 'string' ? identity(config, d) : d)),
    outputs: j.outputs.map((dataset) => ({ dataset, identity: identity(config, dataset) })),
  }));
}

export interface DemoPipelineOptions extends LineageConnection {
  /** The demo's datatrust.yml, loaded. */
  config: Config;
  /** How long each job after ingest waits for its gate (`'2m'`); default `'0s'`, check once. */
  wait?: string;
  /** How often a waiting job re-asks and reports (default `'15s'`). */
  interval?: string;
  onUnreachable?: OnGateUnreachable;
  /** Ends a job's wait at its gate (the demo's server is shutting down). */
  signal?: AbortSignal;
}

export interface DemoPipelineResult {
  /** Jobs whose JobEvent the exporter took. */
  registered: string[];
  /** Jobs that ran to COMPLETE, in order. */
  completed: string[];
  /** The job the pipeline stopped at, and why: its gate said no, or it failed. */
  stopped?: { job: string; reason: 'blocked' | 'failed'; message: string; error: Error };
}

/** Counts an output's rows on a read-only connection, released at once: `datatrust serve` may be scanning the same file. */
async function countRows(config: Config, dataset: string): Promise<number> {
  const resolved = resolveDataset(config, dataset);
  if (!resolved.ok) throw new Error(resolved.error);
  const registry = new SourceRegistry(config, { defaultThreads: 1 });
  try {
    const source = registry.get(resolved.target.source);
    const session = await source.open();
    try {
      const r = await session.query(`SELECT count(*) FROM ${source.dialect.from(resolved.target.relation)}`, { kind: 'row_count', timeoutMs: config.scan.queryTimeoutMs });
      return Number(r.rows[0]?.[0]);
    } finally {
      await session.close();
    }
  } finally {
    await registry.closeAll();
  }
}

/**
 * Runs the demo pipeline against a warehouse `datatrust demo` generated: first registers the
 * four jobs (JobEvents: the graph is known before any job is blocked), then runs ingest → clean →
 * aggregate → report through withLineage, every job after ingest behind its job gate. A job's
 * body only reads: it counts the rows of its outputs for the `outputStatistics` facet. Stops at
 * the first job that is blocked or fails and says which and why; never throws for that.
 */
export async function runDemoPipeline(opts: DemoPipelineOptions): Promise<DemoPipelineResult> {
  const jobs = demoJobs(opts.config);
  const log = (m: string) => (opts.logger?.info ?? ((t: string) => process.stderr.write(`${t}\n`)))(m);
  const connection: LineageConnection = {
    ...(opts.url !== undefined ? { url: opts.url } : {}),
    ...(opts.token !== undefined ? { token: opts.token } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  };
  const result: DemoPipelineResult = { registered: [], completed: [] };

  for (const j of jobs) {
    if (await registerJob({ ...connection, job: j.job, inputs: j.inputs, outputs: j.outputs.map((o) => o.identity) })) result.registered.push(j.job.name);
  }

  for (const [i, j] of jobs.entries()) {
    const gate =
      i === 0
        ? undefined
        : { wait: opts.wait ?? '0s', ...(opts.interval ? { interval: opts.interval } : {}), ...(opts.onUnreachable ? { onUnreachable: opts.onUnreachable } : {}), ...(opts.signal ? { signal: opts.signal } : {}) };
    try {
      const counts = await withLineage({ ...connection, job: j.job, inputs: j.inputs, outputs: j.outputs.map((o) => o.identity), ...(gate ? { gate } : {}) }, async (run: LineageRun) => {
        const counted: string[] = [];
        for (const o of j.outputs) {
          const rowCount = await countRows(opts.config, o.dataset);
          run.outputStatistics(o.identity, { rowCount });
          counted.push(`${o.dataset} ${rowCount} rows`);
        }
        return counted;
      });
      result.completed.push(j.job.name);
      log(`demo pipeline: ${j.job.name} done (${counts.join(', ')})`);
    } catch (e) {
      const error = e as Error;
      const rest = jobs.slice(i + 1).map((x) => x.job.name);
      const skipped = rest.length ? `; not run: ${rest.join(', ')}` : '';
      const reason = e instanceof JobGateError ? 'blocked' : 'failed';
      result.stopped = { job: j.job.name, reason, message: error.message, error };
      log(`demo pipeline: stopped at ${j.job.name} (${reason}): ${error.message}${skipped}`);
      break;
    }
  }
  return result;
}
