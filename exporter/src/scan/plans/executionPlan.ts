import type { Dialect } from '../../sources/dialect';
import type { Cell, QueryKind } from '../../sources/source';
import type { AggregateEntry } from '../aggregateQuery';
import type { DatasetPlan, DuplicateSpec } from '../planDataset';
import { groupedConditionsSql, postgresPercentileSql, type Scope, splitCountsSql } from './strategySql';
import { duplicatesSql } from './duplicatesSql';
import type { RelationStatistics } from './statistics';
import type { Strategies } from './strategies';

/** One statement of a plan and how its result is read. */
export type PlanStatement =
  /** One row whose columns are named by alias. */
  | { read: 'row'; kind: QueryKind; sql: string; aliases: string[]; weight: number }
  /** Rows of (alias, value): the split counts. */
  | { read: 'alias_rows'; kind: QueryKind; sql: string; aliases: string[]; weight: number }
  /** One row, one value, for one alias (an own percentile). */
  | { read: 'scalar'; kind: QueryKind; sql: string; aliases: string[]; weight: number }
  /** Grouped conditions: alias columns, plus failing values when asked. */
  | { read: 'grouped'; kind: QueryKind; sql: string; aliases: string[]; weight: number; failingValues: boolean }
  /** A check's own query: value in the first cell. */
  | { read: 'check'; kind: QueryKind; sql: string; aliases: []; weight: number; check: number }
  /** Duplicates with their samples (rows of key…, frequency, duplicate_count). */
  | { read: 'check_samples'; kind: QueryKind; sql: string; aliases: []; weight: number; check: number; keyCount: number };

export interface ExecutionPlan {
  strategies: Strategies;
  /** Aggregate values answered by exact statistics, by alias. */
  fromMetadata: Record<string, Cell>;
  statements: PlanStatement[];
}

export interface PlanContext {
  dialect: Dialect;
  strategies: Strategies;
  statistics?: RelationStatistics;
  /** The dataset reads a TABLESAMPLE: statistics describe the whole relation, not the sample. */
  sampled: boolean;
  /** Samples limit by check index, for checks whose samples may ride along with their query. */
  samplesWith?: (check: number) => number | undefined;
  /** Aliases answered elsewhere (merged incremental partials): no statement computes them. */
  exclude?: ReadonlySet<string>;
  /** Checks answered elsewhere (key-indexed duplicates): their own query does not run. */
  excludeChecks?: ReadonlySet<number>;

}

/** Most distinct values a column may have for its conditions to be evaluated per value. */
const MAX_GROUPS = 100_000;

function metadataAnswer(e: AggregateEntry, stats: RelationStatistics): { value: Cell } | undefined {
  const spec = e.spec;
  if (!spec || spec.filter !== undefined) return undefined;
  if (spec.fn === 'count') {
    if (spec.condition === undefined) return stats.rowCount !== undefined ? { value: stats.rowCount } : undefined;
    const nulls = spec.isNull && spec.column ? stats.columns[spec.column.name]?.nullCount : undefined;
    return nulls !== undefined ? { value: nulls } : undefined;
  }
  const col = 'column' in spec && spec.column ? stats.columns[spec.column.name] : undefined;
  if (!col || !('min' in col)) return undefined;
  if (spec.fn === 'min') return { value: col.min ?? null };
  if (spec.fn === 'max') return { value: col.max ?? null };
  if (spec.fn === 'max_epoch') {
    if (col.max === null) return { value: null };
    return col.maxEpoch !== undefined ? { value: col.maxEpoch } : undefined;
  }
  return undefined;
}

/** `sort` for a key with a near-unique column, `hash` when keys repeat or nothing is known. */
function duplicatesMethod(spec: DuplicateSpec, names: readonly string[], strategies: Strategies, stats: RelationStatistics | undefined): 'hash' | 'sort' {
  if (strategies.duplicates !== 'auto') return strategies.duplicates;
  const rows = stats?.rowCount ?? stats?.estimatedRows;
  if (!stats || !rows) return 'hash';
  return names.some((n) => (stats.columns[n]?.distinct ?? 0) >= rows / 2) && spec.columns.length > 0 ? 'sort' : 'hash';
}

function groupable(e: AggregateEntry, stats: RelationStatistics | undefined, costlyOnly: boolean): boolean {
  const s = e.spec;
  if (s?.fn !== 'count' || !s.column || s.condition === undefined || s.filter !== undefined || s.isNull) return false;
  if (costlyOnly && !s.costly) return false;
  const rows = stats?.estimatedRows ?? stats?.rowCount;
  const distinct = stats?.columns[s.column.name]?.distinct;
  return rows !== undefined && distinct !== undefined && distinct <= Math.min(MAX_GROUPS, rows / 20);
}

/** The column an entry reads, when its spec names one (expressions without a spec: unknown). */
function columnOf(e: AggregateEntry): string | undefined {
  const s = e.spec;
  if (!s) return undefined;
  if ('column' in s && s.column) return s.column.name;
  if ('valuesOf' in s && s.valuesOf) return s.valuesOf.name;
  return undefined;
}

/**
 * Two groups of entries of about equal cost, each column's entries kept together (a statement
 * decodes each column it names once). Cost: decoding a column, plus a costly condition (a regex
 * costs several times the decoding of its column, bench/engine-notes.md).
 */
function splitByColumns(entries: readonly AggregateEntry[]): AggregateEntry[][] {
  const byColumn = new Map<string, AggregateEntry[]>();
  for (const e of entries) {
    const key = columnOf(e) ?? `\u0000${e.alias}`;
    byColumn.set(key, [...(byColumn.get(key) ?? []), e]);
  }
  const cost = (group: readonly AggregateEntry[]) => 1 + group.reduce((n, e) => n + (e.spec?.fn === 'count' && e.spec.costly ? 4 : 0.25), 0);
  const bins: { entries: AggregateEntry[]; cost: number }[] = [
    { entries: [], cost: 0 },
    { entries: [], cost: 0 },
  ];
  for (const group of [...byColumn.values()].sort((a, b) => cost(b) - cost(a))) {
    const bin = bins[0]!.cost <= bins[1]!.cost ? bins[0]! : bins[1]!;
    bin.entries.push(...group);
    bin.cost += cost(group);
  }
  // Registration order within each statement, so its SQL reads like the single pass.
  const order = new Map(entries.map((e, i) => [e.alias, i]));
  return bins.filter((b) => b.entries.length).map((b) => b.entries.sort((x, y) => order.get(x.alias)! - order.get(y.alias)!));
}

/**
 * Turns a dataset's logical plan into statements under the chosen strategies. Pure. Whatever
 * the strategies, every alias of `plan.aggregate` is answered exactly once: by statistics, or
 * by one of the statements, the rest by the main single-pass aggregate.
 */
export function buildExecutionPlan(plan: DatasetPlan, ctx: PlanContext): ExecutionPlan {
  const { strategies, statistics, dialect } = ctx;
  const rel: Scope = { from: plan.from, ...(plan.where ? { where: plan.where } : {}) };
  const fromMetadata: Record<string, Cell> = {};
  const statements: PlanStatement[] = [];
  let rest = plan.aggregate.described().filter((e) => !ctx.exclude?.has(e.alias));

  if (strategies.metadata && statistics && !plan.where && !ctx.sampled) {
    rest = rest.filter((e) => {
      const a = metadataAnswer(e, statistics);
      if (a) fromMetadata[e.alias] = a.value;
      return !a;
    });
  }
  if (strategies.groupedConditions) {
    const columns = new Set(rest.filter((e) => groupable(e, statistics, true)).map((e) => (e.spec as { column: { name: string } }).column.name));
    const grouped = rest.filter((e) => groupable(e, statistics, false) && columns.has((e.spec as { column: { name: string } }).column.name));
    if (grouped.length) {
      const entries = grouped.map((entry) => {
        const column = (entry.spec as { column: NonNullable<Extract<AggregateEntry['spec'], { fn: 'count' }>['column']> }).column;
        const quoted = dialect.quote(column.name);
        return { entry, column, quoted, asText: dialect.toText(quoted) };
      });
      const failingValues = ctx.samplesWith !== undefined;
      statements.push({ read: 'grouped', kind: 'aggregate', sql: groupedConditionsSql(entries, rel, failingValues), aliases: grouped.map((e) => e.alias), weight: 2, failingValues });
      rest = rest.filter((e) => !grouped.includes(e));
    }
  }
  if (strategies.splitCounts) {
    const counts = rest.filter((e) => e.spec?.fn === 'count' && (e.spec.condition !== undefined || e.spec.filter !== undefined));
    if (counts.length) {
      statements.push({ read: 'alias_rows', kind: 'aggregate', sql: splitCountsSql(counts, rel), aliases: counts.map((e) => e.alias), weight: 2 });
      rest = rest.filter((e) => !counts.includes(e));
    }
  }
  if (strategies.ownPercentiles) {
    for (const e of rest.filter((x) => x.spec?.fn === 'percentile')) {
      const s = e.spec as Extract<AggregateEntry['spec'], { fn: 'percentile' }>;
      const sql = dialect.name === 'postgres' ? postgresPercentileSql(s.arg, s.rank, s.filter, rel) : `SELECT ${e.expression} AS ${e.alias} FROM ${rel.from}${rel.where ? ` WHERE ${rel.where}` : ''}`;
      statements.push({ read: 'scalar', kind: 'aggregate', sql, aliases: [e.alias], weight: 2 });
    }
    rest = rest.filter((x) => x.spec?.fn !== 'percentile');
  }
  const parts = rest.length > 1 && strategies.columnGroups ? splitByColumns(rest) : rest.length ? [rest] : [];
  for (const part of parts.reverse()) {
    const sql = plan.aggregate.sql(plan.from, plan.where, new Set(part.map((e) => e.alias)));
    statements.unshift({ read: 'row', kind: 'aggregate', sql, aliases: part.map((e) => e.alias), weight: 3 });
  }

  plan.checks.forEach((p, i) => {
    const c = p.compute;
    if (!c || (c.type !== 'query' && c.type !== 'query_percent') || ctx.excludeChecks?.has(i)) return;
    if (c.duplicates) {
      const names = p.check.spec.kind === 'metric' || p.check.spec.kind === 'change' || p.check.spec.kind === 'anomaly' ? (p.check.spec.kind === 'metric' ? p.check.spec.ref : p.check.spec.of).columns : [];
      const method = duplicatesMethod(c.duplicates, names, strategies, statistics);
      const limit = strategies.batchSamples ? ctx.samplesWith?.(i) : undefined;
      if (limit !== undefined) {
        statements.push({ read: 'check_samples', kind: c.kind, sql: duplicatesSql(c.duplicates, method, limit), aliases: [], weight: 3, check: i, keyCount: c.duplicates.columns.length });
        return;
      }
      statements.push({ read: 'check', kind: c.kind, sql: method === 'hash' ? c.sql : duplicatesSql(c.duplicates, method), aliases: [], weight: 3, check: i });
      return;
    }
    statements.push({ read: 'check', kind: c.kind, sql: c.sql, aliases: [], weight: 1, check: i });
  });
  return { strategies, fromMetadata, statements };
}
