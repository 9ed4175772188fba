import type { Cell, ColumnInfo, QueryResult } from '../../sources/source';
import { toMetricNumber } from '../../sources/cells';

/** What is known about a column without reading its rows. */
export interface ColumnStatistics {
  /** Exact NULL count (every Parquet row group carries one). */
  nullCount?: number;
  /** Exact minimum and maximum in the column's own type (every row group's are exact). */
  min?: Cell;
  max?: Cell;
  /** Epoch seconds of the exact maximum, for freshness (temporal columns). */
  maxEpoch?: number;
  /** The exact maximum as the database prints it (incremental watermarks). */
  maxText?: string | null;
  /** Estimated distinct non-NULL values (planning only, never reported). */
  distinct?: number;
}

export interface RelationStatistics {
  origin: 'parquet' | 'postgres';
  /** Exact row count, when known without reading rows. */
  rowCount?: number;
  /** The planner's row estimate (PostgreSQL `reltuples`). */
  estimatedRows?: number;
  columns: Record<string, ColumnStatistics>;
}

/** Column types whose Parquet min/max statistics DuckDB casts back exactly (no floats: NaN is not in them). */
const EXACT_MINMAX_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|DATE|TIMESTAMP|DECIMAL\(\d+,\d+\))$/;

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * One query over the Parquet footers (`parquet_metadata`, no data pages read) returning, per
 * column: how many row groups carry a NULL count, the NULL total, whether every row group's
 * min/max is present and exact, the min/max cast to the column's type, and distinct hints.
 */
export function parquetStatisticsSql(path: string, columns: readonly ColumnInfo[]): string {
  const parts = ['count(*) FILTER (WHERE column_id = 0) AS row_groups', 'sum(row_group_num_rows) FILTER (WHERE column_id = 0) AS row_count'];
  columns.forEach((c, i) => {
    const is = `path_in_schema = ${literal(c.name)}`;
    parts.push(`count(*) FILTER (WHERE ${is}) AS c${i}_chunks`);
    parts.push(`count(stats_null_count) FILTER (WHERE ${is}) AS c${i}_null_counts`);
    parts.push(`sum(stats_null_count) FILTER (WHERE ${is}) AS c${i}_nulls`);
    parts.push(`count(stats_distinct_count) FILTER (WHERE ${is}) AS c${i}_distinct_counts`);
    parts.push(`sum(stats_distinct_count) FILTER (WHERE ${is}) AS c${i}_distinct`);
    parts.push(`count(*) FILTER (WHERE ${is} AND encodings LIKE '%DICTIONARY%') AS c${i}_dictionary`);
    if (EXACT_MINMAX_TYPE.test(c.type)) {
      // A row group of only NULLs has no min/max and needs none; any other must have exact ones.
      const unusable = `stats_null_count IS DISTINCT FROM row_group_num_rows AND (stats_min_value IS NULL OR stats_max_value IS NULL OR min_is_exact IS NOT TRUE OR max_is_exact IS NOT TRUE OR type = 'INT96' OR TRY_CAST(stats_min_value AS ${c.type}) IS NULL OR TRY_CAST(stats_max_value AS ${c.type}) IS NULL)`;
      parts.push(`count(*) FILTER (WHERE ${is} AND ${unusable}) AS c${i}_inexact`);
      parts.push(`min(TRY_CAST(stats_min_value AS ${c.type})) FILTER (WHERE ${is}) AS c${i}_min`);
      parts.push(`max(TRY_CAST(stats_max_value AS ${c.type})) FILTER (WHERE ${is}) AS c${i}_max`);
      parts.push(`CAST(max(TRY_CAST(stats_max_value AS ${c.type})) FILTER (WHERE ${is}) AS VARCHAR) AS c${i}_max_text`);
      if (c.category === 'temporal') parts.push(`epoch(max(TRY_CAST(stats_max_value AS ${c.type})) FILTER (WHERE ${is})) AS c${i}_max_epoch`);
    }
  });
  return `SELECT\n  ${parts.join(',\n  ')}\nFROM parquet_metadata(${literal(path)})`;
}

/** Reads the row of `parquetStatisticsSql`: only figures every row group vouches for. */
export function readParquetStatistics(r: QueryResult, columns: readonly ColumnInfo[]): RelationStatistics {
  const row = r.rows[0] ?? [];
  const get = (name: string): Cell => row[r.columns.indexOf(name)] ?? null;
  const num = (name: string) => toMetricNumber(get(name));
  const rowGroups = num('row_groups') ?? 0;
  const stats: RelationStatistics = { origin: 'parquet', columns: {} };
  const rowCount = num('row_count');
  if (rowGroups > 0 && rowCount !== null) stats.rowCount = rowCount;
  else if (rowGroups === 0) stats.rowCount = 0;
  columns.forEach((c, i) => {
    const p = `c${i}_`;
    // A column missing from some file or row group (another schema, a nested path) gets nothing.
    if (num(`${p}chunks`) !== rowGroups || rowGroups === 0) return;
    const s: ColumnStatistics = {};
    if (num(`${p}null_counts`) === rowGroups) s.nullCount = num(`${p}nulls`) ?? 0;
    if (r.columns.includes(`${p}inexact`) && num(`${p}inexact`) === 0 && s.nullCount !== undefined) {
      s.min = get(`${p}min`);
      s.max = get(`${p}max`);
      const text = get(`${p}max_text`);
      s.maxText = text === null ? null : String(text);
      if (r.columns.includes(`${p}max_epoch`)) s.maxEpoch = num(`${p}max_epoch`) ?? undefined;
      if (s.maxEpoch === undefined) delete s.maxEpoch;
    }
    if (num(`${p}distinct_counts`) === rowGroups) s.distinct = num(`${p}distinct`) ?? undefined;
    else if (num(`${p}dictionary`) === 0 && stats.rowCount !== undefined) s.distinct = stats.rowCount - (s.nullCount ?? 0);
    if (s.distinct === undefined) delete s.distinct;
    stats.columns[c.name] = s;
  });
  return stats;
}

/** PostgreSQL's planner statistics for a table (`ANALYZE`, autovacuum): estimates only. */
export function postgresStatisticsSql(schema: string, table: string): string {
  return `SELECT c.reltuples::float8 AS reltuples, s.attname::text AS column_name, s.n_distinct::float8 AS n_distinct
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND NOT s.inherited
WHERE n.nspname = ${literal(schema)} AND c.relname = ${literal(table)}`;
}

export function readPostgresStatistics(r: QueryResult): RelationStatistics | undefined {
  const first = r.rows[0];
  if (!first) return undefined;
  const reltuples = toMetricNumber(first[0] ?? null);
  // -1 (PostgreSQL 14+) or 0: never analyzed; the estimates mean nothing.
  if (reltuples === null || reltuples <= 0) return undefined;
  const stats: RelationStatistics = { origin: 'postgres', estimatedRows: reltuples, columns: {} };
  for (const row of r.rows) {
    const name = row[1];
    const nd = toMetricNumber(row[2] ?? null);
    if (typeof name !== 'string' || nd === null) continue;
    // Negative n_distinct is minus the fraction of rows that are distinct.
    stats.columns[name] = { distinct: nd < 0 ? -nd * reltuples : nd };
  }
  return stats;
}
