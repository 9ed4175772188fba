import { toMetricNumber } from '../sources/cells';
import type { Dialect } from '../sources/dialect';
import { and } from './conditions';
import { errorMessage } from './errors';
import type { DatasetPlan, PlannedCheck, RowSampleSpec } from './planDataset';
import { batchSamples, type SampleRequest } from './plans/batchSamples';
import type { PlanOutput, QueryRunner } from './plans/executePlan';
import type { CheckResult } from './result';

export interface SampleOptions {
  /** The check's samples limit, or undefined when it takes none. */
  limitOf(p: PlannedCheck): number | undefined;
  /** One statement for all row samples (else one query per check). */
  batch: boolean;
  /** Checks with few known failing rows share one scan (row stores). */
  shareScan: boolean;
  dialect: Dialect;
}

function unavailable(r: CheckResult, e: unknown): void {
  r.message = `${r.message ? r.message + '; ' : ''}samples unavailable: ${errorMessage(e)}`;
}

/**
 * When the grouped plan knows the distinct values that fail a one-column condition, rows with
 * those values are exactly the failing rows: an equality test replaces, say, a regex per row.
 */
function byFailingValues(spec: RowSampleSpec, plan: DatasetPlan, out: PlanOutput, d: Dialect): RowSampleSpec {
  const values = spec.countAlias ? out.failingValues.get(spec.countAlias) : undefined;
  const entry = plan.aggregate.described().find((e) => e.alias === spec.countAlias);
  const column = entry?.spec?.fn === 'count' ? entry.spec.column : undefined;
  if (!values || !column) return spec;
  const quoted = d.quote(column.name);
  const text = values.filter((v): v is string => typeof v === 'string');
  const parts = [...(text.length ? [`${d.toText(quoted)} IN (${text.map((v) => d.string(v)).join(', ')})`] : []), ...(values.includes(null) ? [`${quoted} IS NULL`] : [])];
  return { ...spec, where: and(plan.where, parts.length ? parts.join(' OR ') : 'FALSE')! };
}

/**
 * Attaches failed-row samples to the checks that failed or warned: those fetched with their
 * check's own query (duplicates), then all row samples in one statement (or, without
 * batching, one query per check). A sample that cannot be fetched is a note, not an error.
 */
export async function collectSamples(results: CheckResult[], plan: DatasetPlan, out: PlanOutput, runner: QueryRunner, opts: SampleOptions): Promise<void> {
  const requests: SampleRequest[] = [];
  for (const [i, p] of plan.checks.entries()) {
    const r = results[i]!;
    const limit = opts.limitOf(p);
    if (limit === undefined || (r.outcome !== 'fail' && r.outcome !== 'warn')) continue;
    const fetched = out.checks.get(i);
    if (fetched && 'samples' in fetched && fetched.samples) {
      r.samples = { columns: fetched.samples.columns, rows: fetched.samples.rows.slice(0, limit) };
    } else if (opts.batch && p.sampleSpec) {
      const alias = p.sampleSpec.countAlias;
      const failing = alias && !out.broken[alias] ? toMetricNumber(out.values[alias]) : null;
      requests.push({ check: i, spec: byFailingValues(p.sampleSpec, plan, out, opts.dialect), limit, ...(failing !== null ? { failing } : {}) });
    } else {
      try {
        const rows = await runner.run(p.samplesSql!(limit), 'samples', limit);
        r.samples = { columns: rows.columns, rows: rows.rows };
      } catch (e) {
        unavailable(r, e);
      }
    }
  }
  const batch = batchSamples(requests, opts.shareScan, { from: plan.from, quote: (n) => opts.dialect.quote(n) });
  if (!batch) return;
  try {
    // The OR of the shared scan's conditions is estimated at most of the table (PostgreSQL's
    // default selectivity for expressions), so the planner keeps the scan serial to avoid
    // shipping rows; the failing rows were counted in this snapshot and are few.
    if (batch.shared && opts.dialect.parallelForFewRows) await runner.run(opts.dialect.parallelForFewRows, 'samples');
    const split = batch.split(await runner.run(batch.sql, 'samples', batch.maxRows));
    for (const [i, samples] of split) results[i]!.samples = samples;
  } catch {
    // One statement failed for all (an unusual column type, say): fetch each check's own.
    for (const q of requests) {
      const r = results[q.check]!;
      try {
        const rows = await runner.run(plan.checks[q.check]!.samplesSql!(q.limit), 'samples', q.limit);
        r.samples = { columns: rows.columns, rows: rows.rows };
      } catch (e) {
        unavailable(r, e);
      }
    }
  }
}
