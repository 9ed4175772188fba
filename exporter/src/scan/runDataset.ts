import { performance } from 'node:perf_hooks';
import type { ColumnRules, Check, ConfigurationEntry } from '../checks/model';
import type { Config } from '../config/types';
import { toMetricNumber } from '../sources/cells';
import type { DescribedRelation, QueryKind, QueryOptions, RowChunk, SourceSession } from '../sources/source';
import { collectSamples } from './collectSamples';
import { and } from './conditions';
import { resolveDataset, type DatasetTarget } from './datasetTarget';
import { errorMessage, ScanCancelled } from './errors';
import { evaluateValue, thresholdText } from './evaluate';
import type { AnomalyDetector } from '../anomaly/detector';
import { seasonalDetector } from '../anomaly/seasonalDetector';
import { ANOMALY_HISTORY_DAYS, ANOMALY_HISTORY_LIMIT, judgeAnomaly, metricLabel, notEnoughHistoryMessage } from './anomalyEvaluation';
import { changeValue, type MetricHistory } from './historyEvaluation';
import { incrementalWithKeyIndexes, keyIndexedChecks, type KeyIndexedResult } from './incremental/keyIndexes';
import { keyIndexPath } from './incremental/keyIndexFile';
import { SKETCH_RELATIVE_ERROR } from './incremental/sketch';
import type { IncrementalState, IncrementalStore } from './incremental/state';
import { type Compute, planDataset, type PlannedCheck } from './planDataset';
import { executePlan, type PlanOutput, type QueryRunner } from './plans/executePlan';
import { buildExecutionPlan } from './plans/executionPlan';
import { readStatistics } from './plans/readStatistics';
import { type PlanOverrides, resolveStrategies } from './plans/strategies';
import type { CheckResult, DatasetResult } from './result';
import { unknownConfiguredColumns } from './configurationCheck';
import { referenceTime } from './referenceTime';
import { evaluateSchema } from './schemaEvaluation';
import type { SourceRegistry } from './sourceRegistry';

/** Observes every query a scan runs: for tests (query counts), logs and metrics. */
export interface QueryEvent {
  dataset: string;
  source: string;
  kind: QueryKind;
  sql: string;
  durationMs: number;
  rows?: number;
  error?: string;
}

export interface DatasetJob {
  dataset: string;
  target?: DatasetTarget;
  /** Why the dataset could not be resolved; every check reports it. */
  resolutionError?: string;
  checks: Check[];
  /** `filter X [partition]` SQL by check id. */
  partitionFilters: Record<string, string>;
  configurations: Record<string, ColumnRules>;
  /** Where each `configurations for` entry of the dataset was written, to report unknown columns. */
  configurationEntries?: ConfigurationEntry[];
  /** Data-source-level `checks:`: user queries not tied to a relation. */
  sourceLevel?: boolean;
}

export interface RunContext {
  config: Config;
  sources: SourceRegistry;
  variables: Record<string, string>;
  history?: MetricHistory;
  onQuery?: (e: QueryEvent) => void;
  now: () => Date;
  samples: boolean;
  signal?: AbortSignal;
  /** Forces plan strategies on or off (tests, benchmarks); unset ones follow the engine's rules. */
  plan?: PlanOverrides;
  /** Stored partial aggregates of incremental datasets (the service's state store). */
  incremental?: IncrementalStore;
  /** Read every row of incremental datasets this time (`?full=true`). */
  fullScan?: boolean;
  /** Judges `anomaly detection for` checks (tests, the backtest); default the seasonal detector. */
  detector?: AnomalyDetector;
}

export interface DatasetRun extends DatasetResult {
  /** Every metric value measured, by metric key, for history. */
  measurements: Record<string, number | null>;
  /** The new partial aggregates and watermark of an incremental dataset, to commit with the scan. */
  incrementalState?: IncrementalState;
}

/** Runs queries for one dataset through one session, reporting each to the observer. */
class Executor implements QueryRunner {
  constructor(
    private readonly job: DatasetJob,
    private readonly sourceName: string,
    private readonly session: SourceSession,
    private readonly ctx: RunContext,
  ) {}

  async run(sql: string, kind: QueryKind, maxRows?: number) {
    return this.observed(sql, kind, (opts) => this.session.query(sql, { ...opts, ...(maxRows !== undefined ? { maxRows } : {}) }), (r) => r.rows.length);
  }

  async stream(sql: string, kind: QueryKind, each: (chunk: RowChunk) => Promise<void>) {
    return this.observed(sql, kind, (opts) => this.session.stream(sql, opts, each), (r) => r.rows);
  }

  /** One statement under the scan's timeout and cancellation, reported to the observer whatever its end. */
  private async observed<T>(sql: string, kind: QueryKind, fn: (opts: QueryOptions) => Promise<T>, rowsOf: (r: T) => number): Promise<T> {
    if (this.ctx.signal?.aborted) throw new ScanCancelled();
    const started = performance.now();
    const event: QueryEvent = { dataset: this.job.dataset, source: this.sourceName, kind, sql, durationMs: 0 };
    try {
      const r = await fn({ kind, timeoutMs: this.ctx.config.scan.queryTimeoutMs, ...(this.ctx.signal ? { signal: this.ctx.signal } : {}) });
      event.rows = rowsOf(r);
      return r;
    } catch (e) {
      event.error = errorMessage(e);
      throw e;
    } finally {
      event.durationMs = performance.now() - started;
      this.ctx.onQuery?.(event);
    }
  }

  async scalar(sql: string, kind: QueryKind): Promise<number | null> {
    const r = await this.run(sql, kind);
    return toMetricNumber(r.rows[0]?.[0]);
  }
}

interface Measured {
  value: number | null;
  error?: string;
}

async function otherRowCount(compute: Extract<Compute, { type: 'row_count_diff' }>, job: DatasetJob, ctx: RunContext): Promise<number | null> {
  let target: DatasetTarget;
  if (compute.otherSource) {
    const source = ctx.sources.byName(compute.otherSource);
    if (!source) throw new Error(`data source \`${compute.otherSource}\` is not under \`sources:\``);
    const r = resolveDataset({ ...ctx.config, sources: { [source.name]: { ...source, isDefault: true } }, datasets: {} }, compute.other);
    if (!r.ok) throw new Error(r.error);
    target = r.target;
  } else {
    const r = resolveDataset(ctx.config, compute.other);
    if (!r.ok) throw new Error(r.error);
    target = r.target;
  }
  const session = await ctx.sources.get(target.source).open();
  try {
    const described = await session.describe(target.relation, ctx.config.scan.queryTimeoutMs);
    const exec = new Executor(job, target.source.name, session, ctx);
    const where = and(target.filter, compute.otherWhere);
    return await exec.scalar(`SELECT COUNT(*) FROM ${described.fromSql}${where ? ` WHERE ${where}` : ''}`, 'row_count');
  } finally {
    await session.close();
  }
}

/** The value of a check's own query, run by the plan (its error re-raised here). */
function queried(out: PlanOutput, index: number): number | null {
  const q = out.checks.get(index);
  if (!q) throw new Error(`internal: the plan ran no query for check ${index}`);
  if ('error' in q) throw new Error(q.error);
  return q.value;
}

/** The aliases a check's value comes from, to tell where it was read. */
function aliasesOf(c: Compute): string[] {
  if (c.type === 'aggregate' || c.type === 'freshness' || c.type === 'row_count_diff') return [c.alias];
  if (c.type === 'percent') return [c.countAlias, c.totalAlias];
  return [];
}

async function measure(p: PlannedCheck, index: number, agg: PlanOutput, job: DatasetJob, ctx: RunContext, scanTime: Date): Promise<Measured> {
  const c = p.compute!;
  const fromAgg = (alias: string): Measured => (agg.broken[alias] ? { value: null, error: agg.broken[alias] } : { value: toMetricNumber(agg.values[alias]) });
  switch (c.type) {
    case 'aggregate':
      return fromAgg(c.alias);
    case 'percent': {
      const count = fromAgg(c.countAlias);
      const total = fromAgg(c.totalAlias);
      if (count.error || total.error) return { value: null, error: count.error ?? total.error };
      // Soda reports 0% of nothing rather than NULL.
      return { value: total.value ? ((count.value ?? 0) * 100) / total.value : 0 };
    }
    case 'freshness': {
      const m = fromAgg(c.alias);
      if (m.error || m.value === null) return m;
      const now = referenceTime(c.now, ctx.variables, scanTime).getTime() / 1000;
      // A DATE's newest day lasts until 23:59:59.999999 (Soda Core).
      const age = now - m.value;
      // Subtract the day first: whole seconds stay exact, so 00:00 the next day is 1µs old, not 0.95µs.
      return { value: c.endOfDay ? age - 86_400 + 1e-6 : age };
    }
    case 'query':
      return { value: queried(agg, index) };
    case 'query_percent': {
      const total = fromAgg(c.totalAlias);
      if (total.error) return total;
      const count = queried(agg, index);
      return { value: total.value ? ((count ?? 0) * 100) / total.value : 0 };
    }
    case 'row_count_diff': {
      const mine = fromAgg(c.alias);
      if (mine.error || mine.value === null) return mine;
      const other = await otherRowCount(c, job, ctx);
      return { value: other === null ? null : mine.value - other };
    }
    case 'schema':
      return { value: null };
  }
}

function baseResult(check: Check): CheckResult {
  const r: CheckResult = { id: check.id, name: check.name, definition: check.definition, outcome: 'error', value: null, threshold: thresholdText(check) };
  if (check.attributes) r.attributes = check.attributes;
  if (check.mode === 'observe') r.mode = 'observe';
  return r;
}

export function errorResults(checks: readonly Check[], error: string): CheckResult[] {
  return checks.map((c) => ({ ...baseResult(c), error }));
}

async function evaluateOne(
  p: PlannedCheck,
  index: number,
  agg: PlanOutput,
  job: DatasetJob,
  ctx: RunContext,
  described: DescribedRelation,
  scanTime: Date,
  measurements: Record<string, number | null>,
  incremental: {
    /** Aliases merged from partial aggregates; checks counted from a key index (incremental scans only). */
    merged?: ReadonlySet<string> | undefined;
    approximate?: ReadonlySet<string> | undefined;
    keyed?: ReadonlySet<number> | undefined;
  },
): Promise<CheckResult> {
  const { merged, approximate } = incremental;
  const result = baseResult(p.check);
  if (p.error) return { ...result, error: p.error };
  if (p.metricKey) result.metricKey = p.metricKey;
  try {
    const spec = p.check.spec;
    if (spec.kind === 'schema') {
      const columns = described.columns.map((col) => ({ name: col.name, type: col.type }));
      const wantsHistory = [spec.warn, spec.fail].some((l) => l?.schemaChanges || l?.listedColumns);
      const previous = wantsHistory && ctx.history ? await ctx.history.previousSchema(job.dataset) : undefined;
      const s = evaluateSchema({ ...(spec.warn ? { warn: spec.warn } : {}), ...(spec.fail ? { fail: spec.fail } : {}) }, columns, previous);
      return { ...result, outcome: s.outcome, value: s.value, ...(s.message ? { message: s.message } : {}) };
    }
    const m = await measure(p, index, agg, job, ctx, scanTime);
    if (m.error) return { ...result, error: m.error };
    const aliases = aliasesOf(p.compute!);
    if (aliases.length && aliases.every((a) => agg.fromMetadata.has(a))) result.source = 'metadata';
    else if (aliases.length && merged && aliases.every((a) => merged.has(a))) result.source = 'incremental';
    else if (incremental.keyed?.has(index) && (p.compute!.type !== 'query_percent' || merged?.has(p.compute!.totalAlias))) result.source = 'incremental';
    if (approximate && aliases.some((a) => approximate.has(a))) result.approximation = { method: 'ddsketch', relativeError: SKETCH_RELATIVE_ERROR };
    if (p.metricKey) measurements[p.metricKey] = m.value;
    let value = m.value;
    let note: string | undefined;
    if (p.history && (spec.kind === 'change' || spec.kind === 'anomaly')) {
      if (!ctx.history) {
        return { ...result, outcome: 'not_evaluated', message: 'needs metric history: `datatrust serve` records it; a one-off `datatrust scan` has none' };
      }
      if (value === null) return { ...result, outcome: 'not_evaluated', message: 'the current metric value is NULL' };
      if (spec.kind === 'anomaly') {
        const key = p.check.identity ?? p.check.definition;
        const since = scanTime.getTime() - ANOMALY_HISTORY_DAYS * 86_400_000;
        const past = await ctx.history.points(job.dataset, p.history.metricKey, { since, limit: ANOMALY_HISTORY_LIMIT, flaggedBy: key });
        const j = judgeAnomaly(ctx.detector ?? seasonalDetector, metricLabel(spec.of), { at: scanTime.getTime(), value }, past, spec.settings);
        if (!j) return { ...result, outcome: 'not_evaluated', message: notEnoughHistoryMessage(p.history.metricKey, past, spec.settings.minHistory) };
        const judged = evaluateValue(p.check, j.score);
        const out: CheckResult = { ...result, outcome: judged.outcome, value: Number.isFinite(j.score) ? j.score : null, measured: value, expected: j.expected, message: j.message };
        // Out of training only what lies outside the band: a `warn:` band below it must not narrow the model.
        if (j.outsideBand) out.anomalyFlag = key;
        return out;
      }
      const past = await ctx.history.values(job.dataset, p.history.metricKey, spec.lastN);
      const derived = changeValue(value, past, spec);
      if (derived === undefined) {
        return { ...result, outcome: 'not_evaluated', message: `not enough history yet (${past.length} earlier value${past.length === 1 ? '' : 's'} of ${p.history.metricKey})` };
      }
      note = `${p.history.metricKey} = ${value}`;
      value = derived;
    }
    const outcome = evaluateValue(p.check, value);
    const out: CheckResult = { ...result, outcome: outcome.outcome, value: value !== null && Number.isFinite(value) ? value : null };
    const message = outcome.message ?? note ?? p.note ?? (value !== null && !Number.isFinite(value) ? 'infinite: the previous value was 0' : undefined);
    if (message) out.message = message;
    return out;
  } catch (e) {
    return { ...result, error: errorMessage(e) };
  }
}

/** Extra sessions a dataset scan may fork for concurrent statements (the pool bounds it too). */
const MAX_FORKS = 3;

/**
 * Scans one dataset: describe it, plan, run the plan's queries, evaluate, fetch samples of
 * what failed. Never throws: any failure becomes `error` outcomes, never a pass.
 */
export async function runDataset(job: DatasetJob, ctx: RunContext): Promise<DatasetRun> {
  const started = performance.now();
  const scanTime = ctx.now();
  const sourceName = job.target?.source.name ?? '';
  const done = (checks: CheckResult[], extra: Partial<DatasetRun> = {}): DatasetRun => ({
    dataset: job.dataset,
    source: sourceName,
    startedAt: scanTime.toISOString(),
    durationMs: Math.round(performance.now() - started),
    checks,
    measurements: {},
    ...extra,
  });
  if (!job.target) return done(errorResults(job.checks, job.resolutionError ?? `dataset \`${job.dataset}\` cannot be resolved`));
  const target = job.target;

  let session: SourceSession;
  try {
    session = await ctx.sources.get(target.source).open();
  } catch (e) {
    return done(errorResults(job.checks, errorMessage(e)));
  }
  let forks: SourceSession[] = [];
  try {
    const timeout = ctx.config.scan.queryTimeoutMs;
    let described: DescribedRelation;
    if (job.sourceLevel) {
      described = { columns: [], fromSql: '', resolved: target.relation };
    } else {
      try {
        described = await session.describe(target.relation, timeout, target.samplePercent);
      } catch (e) {
        return done(errorResults(job.checks, `cannot read dataset \`${job.dataset}\`: ${errorMessage(e)}`));
      }
    }
    const others: Record<string, DescribedRelation | { error: string }> = {};
    for (const check of job.checks) {
      if (check.spec.kind !== 'reference' || others[check.spec.other]) continue;
      const r = resolveDataset(ctx.config, check.spec.other);
      if (!r.ok) others[check.spec.other] = { error: r.error };
      else if (r.target.source.name !== target.source.name) {
        others[check.spec.other] = { error: `a reference check joins inside one source: \`${job.dataset}\` is in \`${target.source.name}\`, \`${check.spec.other}\` in \`${r.target.source.name}\`` };
      } else {
        try {
          others[check.spec.other] = await session.describe(r.target.relation, timeout);
        } catch (e) {
          others[check.spec.other] = { error: `cannot read referenced dataset \`${check.spec.other}\`: ${errorMessage(e)}` };
        }
      }
    }
    const dialect = ctx.sources.get(target.source).dialect;
    const plan = planDataset({
      dataset: job.dataset,
      dialect,
      described,
      checks: job.checks,
      configurations: job.configurations,
      ...(target.filter ? { datasetFilter: target.filter } : {}),
      variables: ctx.variables,
      partitionFilters: job.partitionFilters,
      others,
      ...(target.samplePercent ? { samplePercent: target.samplePercent } : {}),
    });
    const exec = new Executor(job, target.source.name, session, ctx);
    const strategies = resolveStrategies(dialect.name, job.sourceLevel ? undefined : described.resolved, target.samplePercent, ctx.plan);
    // Forked before any row is read (forking may restart the transaction where it cannot export
    // its snapshot); their statements run at once, in the same snapshot.
    if (strategies.concurrent && session.fork) forks = await session.fork(MAX_FORKS);
    const limitOf = (p: PlannedCheck): number | undefined => {
      const limit = p.check.samplesLimit ?? ctx.config.scan.samplesLimit;
      return ctx.samples && limit > 0 && p.samplesSql ? limit : undefined;
    };
    const settings = job.sourceLevel ? undefined : target.declared?.incremental;
    for (const p of plan.checks) {
      if (p.check.incremental && !settings && !p.error) p.error = `\`incremental: ${p.check.incremental}\` needs \`incremental:\` on dataset \`${job.dataset}\` in datatrust.yml`;
    }
    let inc: KeyIndexedResult | undefined;
    if (settings) {
      // New Parquet files are read by two statements at once (runIncremental): one more connection.
      const rel = described.resolved;
      const incForks = rel.kind === 'files' && rel.format === 'parquet' && !forks.length && session.fork ? await session.fork(1) : [];
      forks.push(...incForks);
      const r = await incrementalWithKeyIndexes({
        plan,
        dialect,
        described,
        settings,
        forceFull: ctx.fullScan === true,
        strategies,
        runner: exec,
        forks: forks.map((f) => new Executor(job, target.source.name, f, ctx)),
        now: scanTime,
        ...(ctx.incremental ? { load: () => ctx.incremental!.incrementalState(job.dataset), path: keyIndexPath(ctx.config.state.path, job.dataset) } : {}),
        keyed: keyIndexedChecks(plan, described, dialect),
        samplesLimit: (i) => limitOf(plan.checks[i]!),
      });
      if (incForks.length) {
        await Promise.allSettled(incForks.map((f) => f.close()));
        forks = forks.filter((f) => !incForks.includes(f));
      }
      if ('error' in r) return done(errorResults(job.checks, `dataset \`${job.dataset}\`: ${r.error}`));
      inc = r;
    }
    const statistics = job.sourceLevel ? undefined : await readStatistics(plan, strategies, described, dialect.name, target.samplePercent !== undefined, exec, inc?.aliases);
    const ex = buildExecutionPlan(plan, {
      dialect,
      strategies,
      sampled: target.samplePercent !== undefined,
      ...(statistics ? { statistics } : {}),
      ...(ctx.samples ? { samplesWith: (i: number) => limitOf(plan.checks[i]!) } : {}),
      ...(inc ? { exclude: inc.aliases, excludeChecks: new Set(inc.keyed.keys()) } : {}),
    });
    const agg = await executePlan(ex, plan, [exec, ...forks.map((f) => new Executor(job, target.source.name, f, ctx))]);
    // Released at once: evaluation, cross-dataset counts and samples run on the dataset's session.
    await Promise.allSettled(forks.map((f) => f.close()));
    forks = [];
    if (inc) {
      Object.assign(agg.values, inc.values);
      Object.assign(agg.broken, inc.broken);
      for (const [i, r] of inc.keyed) agg.checks.set(i, r);
    }
    const merged = inc?.outcome.mode === 'incremental' ? inc.aliases : undefined;
    const keyed = inc?.outcome.mode === 'incremental' ? new Set(inc.keyed.keys()) : undefined;
    const measurements: Record<string, number | null> = {};
    const checks: CheckResult[] = [];
    for (const [i, p] of plan.checks.entries()) checks.push(await evaluateOne(p, i, agg, job, ctx, described, scanTime, measurements, { merged, approximate: inc?.approximate, keyed }));
    await collectSamples(checks, plan, agg, exec, { limitOf, batch: strategies.batchSamples, shareScan: strategies.concurrent, dialect });
    if (job.configurationEntries?.length) checks.push(...unknownConfiguredColumns(job.dataset, job.configurationEntries, described.columns));
    const schema = job.sourceLevel ? undefined : described.columns.map((c) => ({ name: c.name, type: c.type }));
    return done(checks, { measurements, ...(schema ? { schema } : {}), ...(described.reader ? { reader: described.reader } : {}), ...(inc ? { incremental: inc.outcome, ...(inc.state ? { incrementalState: inc.state } : {}) } : {}) });
  } finally {
    await Promise.allSettled(forks.map((f) => f.close()));
    await session.close().catch(() => undefined);
  }
}
