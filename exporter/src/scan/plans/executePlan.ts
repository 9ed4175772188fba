import { toMetricNumber } from '../../sources/cells';
import { type Cell, type QueryKind, type QueryResult, QueryTimeoutError } from '../../sources/source';
import { and } from '../conditions';
import { errorMessage, ScanCancelled } from '../errors';
import type { DatasetPlan } from '../planDataset';
import type { CheckSamples } from '../result';
import { MAX_FAILING_VALUES } from './strategySql';
import type { ExecutionPlan, PlanStatement } from './executionPlan';

/** Runs one query of the scan (and reports it to the scan's observer). */
export interface QueryRunner {
  run(sql: string, kind: QueryKind, maxRows?: number): Promise<QueryResult>;
}

export type CheckQueryResult = { value: number | null; samples?: CheckSamples } | { error: string };

export interface PlanOutput {
  /** Aggregate values by alias. */
  values: Record<string, Cell>;
  /** Why an alias has no value. */
  broken: Record<string, string>;
  /** Aliases answered by exact statistics, not by reading rows. */
  fromMetadata: Set<string>;
  /** Results of checks' own queries, by index in the plan's checks. */
  checks: Map<number, CheckQueryResult>;
  /** Distinct values failing a grouped condition, by alias (for samples). */
  failingValues: Map<string, Cell[]>;
}

function read(st: PlanStatement, r: QueryResult, out: PlanOutput): void {
  const row = r.rows[0];
  switch (st.read) {
    case 'row':
      r.columns.forEach((c, i) => (out.values[c] = row?.[i] ?? null));
      return;
    case 'alias_rows':
      for (const [alias, value] of r.rows) out.values[String(alias)] = value ?? null;
      return;
    case 'scalar':
      out.values[st.aliases[0]!] = row?.[0] ?? null;
      return;
    case 'grouped':
      for (const alias of st.aliases) {
        out.values[alias] = row?.[r.columns.indexOf(alias)] ?? null;
        if (!st.failingValues) continue;
        const distinct = toMetricNumber(row?.[r.columns.indexOf(`${alias}_distinct`)]);
        const json = row?.[r.columns.indexOf(`${alias}_values`)];
        if (distinct !== null && distinct <= MAX_FAILING_VALUES) out.failingValues.set(alias, typeof json === 'string' ? (JSON.parse(json) as Cell[]) : []);
      }
      return;
    case 'check':
      out.checks.set(st.check, { value: toMetricNumber(row?.[0]) });
      return;
    case 'check_samples': {
      const last = r.columns.length - 1;
      out.checks.set(st.check, {
        value: row ? toMetricNumber(row[last]) : 0,
        samples: { columns: r.columns.slice(0, last), rows: r.rows.map((x) => x.slice(0, last)) },
      });
      return;
    }
  }
}

/**
 * A failed aggregate statement costs only its broken expressions: each is probed with
 * `WHERE 1 = 0` (the binder rejects a bad column or function without reading data), the broken
 * ones report their error and the healthy ones run again as one single-pass query.
 */
async function isolate(plan: DatasetPlan, aliases: readonly string[], first: string, runner: QueryRunner, out: PlanOutput): Promise<void> {
  const entries = plan.aggregate.entries().filter(([a]) => aliases.includes(a));
  const broken: Record<string, string> = {};
  for (const [alias, expr] of entries) {
    try {
      await runner.run(`SELECT ${expr} AS ${alias} FROM ${plan.from} WHERE ${and(plan.where, '1 = 0')}`, 'probe');
    } catch (probeError) {
      broken[alias] = errorMessage(probeError);
    }
  }
  if (Object.keys(broken).length === 0) {
    // Not a binding error but one raised while reading rows: isolate by running each alone.
    for (const [alias, expr] of entries) {
      try {
        const r = await runner.run(`SELECT ${expr} AS ${alias} FROM ${plan.from}${plan.where ? ` WHERE ${plan.where}` : ''}`, 'aggregate');
        out.values[alias] = r.rows[0]?.[0] ?? null;
      } catch (single) {
        broken[alias] = errorMessage(single);
      }
    }
    if (Object.keys(broken).length === 0) for (const [alias] of entries) broken[alias] = first;
    Object.assign(out.broken, broken);
    return;
  }
  Object.assign(out.broken, broken);
  const healthy = new Set(entries.map(([a]) => a).filter((a) => !broken[a]));
  if (healthy.size === 0) return;
  try {
    const r = await runner.run(plan.aggregate.sql(plan.from, plan.where, healthy), 'aggregate');
    r.columns.forEach((c, i) => (out.values[c] = r.rows[0]?.[i] ?? null));
  } catch (retry) {
    for (const a of healthy) out.broken[a] = errorMessage(retry);
  }
}

async function runStatement(st: PlanStatement, plan: DatasetPlan, runner: QueryRunner, out: PlanOutput): Promise<void> {
  let r: QueryResult;
  try {
    r = await runner.run(st.sql, st.kind);
  } catch (e) {
    if (st.read === 'check' || st.read === 'check_samples') {
      out.checks.set(st.check, { error: errorMessage(e) });
    } else if (e instanceof QueryTimeoutError || e instanceof ScanCancelled) {
      for (const a of st.aliases) out.broken[a] = errorMessage(e);
    } else {
      await isolate(plan, st.aliases, errorMessage(e), runner, out);
    }
    return;
  }
  read(st, r, out);
}

/**
 * Runs a plan's statements: one after another on one runner, or, given several runners (extra
 * connections sharing the snapshot), the heaviest first, each runner taking the next statement
 * as it frees up. Never throws: failures become broken aliases or check errors.
 */
export async function executePlan(ex: ExecutionPlan, plan: DatasetPlan, runners: readonly QueryRunner[]): Promise<PlanOutput> {
  const out: PlanOutput = { values: { ...ex.fromMetadata }, broken: {}, fromMetadata: new Set(Object.keys(ex.fromMetadata)), checks: new Map(), failingValues: new Map() };
  if (runners.length <= 1) {
    for (const st of ex.statements) await runStatement(st, plan, runners[0]!, out);
    return out;
  }
  const queue = [...ex.statements].sort((a, b) => b.weight - a.weight);
  await Promise.all(
    runners.map(async (runner) => {
      for (let st = queue.shift(); st; st = queue.shift()) await runStatement(st, plan, runner, out);
    }),
  );
  return out;
}
