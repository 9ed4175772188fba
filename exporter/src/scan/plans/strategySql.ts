/** SQL for the plan strategies other than the single pass (plans/strategies.ts). */
import type { ColumnInfo } from '../../sources/source';
import type { AggregateEntry } from '../aggregateQuery';
import { and } from '../conditions';

/** Where each query of a plan reads from: the dataset's FROM item and its `filter:`. */
export interface Scope {
  from: string;
  where?: string;
}

/**
 * Counts as `WHERE` queries, one UNION ALL statement (columns `alias`, `value`). A condition in
 * a WHERE clause is pushed into DuckDB's Parquet reader (row groups skipped by their
 * statistics, dictionaries evaluated once per entry); inside `COUNT(*) FILTER (…)` it is not.
 */
export function splitCountsSql(entries: readonly AggregateEntry[], rel: Scope): string {
  return entries
    .map((e) => {
      if (e.spec?.fn !== 'count') throw new Error(`internal: ${e.alias} is not a count`);
      const where = and(rel.where, e.spec.filter, e.spec.condition);
      return `SELECT '${e.alias}' AS alias, COUNT(*) AS value FROM ${rel.from}${where ? ` WHERE ${where}` : ''}`;
    })
    .join('\nUNION ALL\n');
}

/**
 * PostgreSQL's `percentile_disc(p)`, exactly: the value at 1-based position max(1, ceil(p·n))
 * among the n non-NULL values in order (the float8 arithmetic of percentile_disc_final). A
 * bounded sort keeps only the rows up to that position, counted from the nearer end, where the
 * aggregate sorts them all.
 */
export function postgresPercentileSql(arg: string, rank: number, filter: string | undefined, rel: Scope): string {
  const where = and(rel.where, filter);
  const scope = `FROM ${rel.from}${where ? ` WHERE ${where}` : ''}`;
  const position = `GREATEST(1, CEIL(CAST(${rank} AS DOUBLE PRECISION) * CAST(COUNT(${arg}) AS DOUBLE PRECISION)))::bigint`;
  const fromTop = rank > 0.5;
  const offset = fromTop ? `GREATEST(0, COUNT(${arg}) - ${position})` : `${position} - 1`;
  return `SELECT ${arg} FROM ${rel.from} WHERE ${and(rel.where, filter, `${arg} IS NOT NULL`)} ORDER BY ${arg}${fromTop ? ' DESC' : ''} OFFSET (SELECT ${offset} ${scope}) LIMIT 1`;
}

/** Most failing distinct values a grouped condition reports for samples (beyond it: no values). */
export const MAX_FAILING_VALUES = 1000;

/**
 * Conditions on one column each, evaluated once per distinct value: a GROUP BY (GROUPING SETS
 * for several columns) counts the rows per value, the outer query evaluates each condition on
 * those few values and sums their counts. Same counts as per row, as the condition reads only
 * the grouped column. With `failingValues`, each alias `mN` also gets `mN_values` (the failing
 * values as JSON text, when at most MAX_FAILING_VALUES) and `mN_distinct` (how many).
 */
export function groupedConditionsSql(entries: readonly { entry: AggregateEntry; column: ColumnInfo; quoted: string; asText: string }[], rel: Scope, failingValues: boolean): string {
  const columns = [...new Map(entries.map((e) => [e.column.name, e])).values()];
  const grouping = columns.length === 1 ? `GROUP BY ${columns[0]!.quoted}` : `GROUP BY GROUPING SETS (${columns.map((c) => `(${c.quoted})`).join(', ')})`;
  const flags = columns.length === 1 ? '' : columns.map((c, i) => `, GROUPING(${c.quoted}) AS datatrust_grouping_${i}`).join('');
  const inner = `SELECT ${columns.map((c) => c.quoted).join(', ')}${flags}, COUNT(*) AS datatrust_rows FROM ${rel.from}${rel.where ? ` WHERE ${rel.where}` : ''} ${grouping}`;
  const select = entries.flatMap((e) => {
    const spec = e.entry.spec;
    if (spec?.fn !== 'count' || !spec.condition) throw new Error(`internal: ${e.entry.alias} is not a count with a condition`);
    const i = columns.findIndex((c) => c.column.name === e.column.name);
    const cond = columns.length === 1 ? `(${spec.condition})` : `datatrust_grouping_${i} = 0 AND (${spec.condition})`;
    const out = [`COALESCE(SUM(datatrust_rows) FILTER (WHERE ${cond}), 0) AS ${e.entry.alias}`];
    if (failingValues) {
      out.push(`COUNT(*) FILTER (WHERE ${cond}) AS ${e.entry.alias}_distinct`);
      out.push(`CAST(json_agg(${e.asText}) FILTER (WHERE ${cond}) AS TEXT) AS ${e.entry.alias}_values`);
    }
    return out;
  });
  return `SELECT\n  ${select.join(',\n  ')}\nFROM (${inner}) AS grouped`;
}
