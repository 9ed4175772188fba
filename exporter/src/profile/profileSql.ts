import { formatRegex } from '../checks/validFormats';
import { toMetricNumber } from '../sources/cells';
import type { Dialect } from '../sources/dialect';
import type { Cell, ColumnInfo } from '../sources/source';
import { candidateFormats, DETECTED_FORMATS, detectFormat, FORMAT_PROBE_ROWS } from './formatDetection';
import type { ColumnProfile, TopValue } from './profileModel';

/** Distinct counts up to this are made exact (from the top-values query); above it they may be estimates. */
export const EXACT_DISTINCT_MAX = 10_000;
/** Most frequent values kept per column; a set this small is complete, so `valid values` can use it. */
export const TOP_VALUES = 10;
/**
 * An estimate at least this share of the non-NULL count may be a key: it is counted exactly.
 * Generous, because DuckDB's estimate can be ~20% low (20,000 distinct e-mails read as ~15,700).
 */
const NEAR_UNIQUE = 0.5;

/** Where the relation is read from and which rows count (the dataset's `filter:`). */
export interface ProfileScope {
  fromSql: string;
  filter?: string;
}

type Figure = 'nonNull' | 'distinct' | 'min' | 'max' | 'mean' | 'newestEpoch' | 'minLength' | 'maxLength' | `format${number}`;

/** The single aggregate statement and where each column's figures are in its one row. */
export interface AggregateStatement {
  sql: string;
  /** slots[i] = the figure at result column i + 1 (column 0 is the row count). */
  slots: { column: number; figure: Figure }[];
  /** Whether the engine's distinct counts are estimates (DuckDB's approx_count_distinct). */
  approximateDistinct: boolean;
}

const where = (scope: ProfileScope, extra?: string) => {
  const parts = [scope.filter ? `(${scope.filter})` : '', extra ?? ''].filter(Boolean);
  return parts.length ? ` WHERE ${parts.join(' AND ')}` : '';
};

/** Types whose values compare for equality in both engines (JSON, arrays and the like do not). */
const hasEquality = (c: ColumnInfo) => c.category !== 'other';
/** Dates and timestamps, not times of day or intervals: the ones freshness applies to. */
const isPointInTime = (c: ColumnInfo) => c.category === 'temporal' && /^(date|timestamp)/i.test(c.type.trim());

/**
 * One pass over the relation for every column: non-NULL count, distinct count (an estimate on
 * DuckDB, exact on PostgreSQL, which has no estimator built in), min/max/mean of numbers, the
 * newest date, text lengths, and how many values match each detectable format.
 */
export function aggregateStatement(dialect: Dialect, columns: readonly ColumnInfo[], scope: ProfileScope, candidates?: ReadonlyMap<number, readonly number[]>): AggregateStatement {
  const approximateDistinct = dialect.name === 'duckdb';
  const exprs: string[] = ['count(*)'];
  const slots: AggregateStatement['slots'] = [];
  const add = (column: number, figure: Figure, sql: string) => {
    exprs.push(sql);
    slots.push({ column, figure });
  };
  columns.forEach((c, i) => {
    const q = dialect.quote(c.name);
    add(i, 'nonNull', `count(${q})`);
    if (hasEquality(c)) add(i, 'distinct', approximateDistinct ? `approx_count_distinct(${q})` : `count(DISTINCT ${q})`);
    if (c.category === 'numeric') {
      add(i, 'min', `min(${q})`);
      add(i, 'max', `max(${q})`);
      add(i, 'mean', `avg(CAST(${q} AS DOUBLE PRECISION))`);
    } else if (isPointInTime(c)) {
      add(i, 'min', dialect.toText(`min(${q})`));
      add(i, 'max', dialect.toText(`max(${q})`));
      add(i, 'newestEpoch', dialect.epochSeconds(`max(${q})`));
    } else if (c.category === 'text') {
      const text = dialect.toText(q);
      add(i, 'minLength', `min(${dialect.length(text)})`);
      add(i, 'maxLength', `max(${dialect.length(text)})`);
      for (const f of candidates?.get(i) ?? DETECTED_FORMATS.map((_n, k) => k)) add(i, `format${f}`, dialect.filtered('count(*)', dialect.regexMatch(text, formatRegex(DETECTED_FORMATS[f]!)!)));
    }
  });
  return { sql: `SELECT ${exprs.join(', ')} FROM ${scope.fromSql}${where(scope)}`, slots, approximateDistinct };
}

/** Text columns: their first FORMAT_PROBE_ROWS values, to choose the formats worth counting. */
export function formatProbeStatement(dialect: Dialect, columns: readonly ColumnInfo[], scope: ProfileScope): { sql: string; columns: number[] } | undefined {
  const text = columns.flatMap((c, i) => (c.category === 'text' ? [i] : []));
  if (!text.length) return undefined;
  return { sql: `SELECT ${text.map((i) => dialect.toText(dialect.quote(columns[i]!.name))).join(', ')} FROM ${scope.fromSql}${where(scope)} LIMIT ${FORMAT_PROBE_ROWS}`, columns: text };
}

/** The candidate formats of each probed column. */
export function readFormatProbe(probed: readonly number[], rows: readonly (readonly Cell[])[]): Map<number, number[]> {
  return new Map(probed.map((column, k) => [column, candidateFormats(rows.flatMap((r) => (r[k] === null || r[k] === undefined ? [] : [String(r[k])])))]));
}

/** What the aggregate pass says about each column, before top values and exact counts. */
export interface AggregateFigures {
  rowCount: number;
  columns: ColumnProfile[];
}

const num = (v: Cell | undefined) => toMetricNumber(v ?? null);

export function readAggregate(stmt: AggregateStatement, columns: readonly ColumnInfo[], row: readonly Cell[], profiledAtMs: number): AggregateFigures {
  const rowCount = num(row[0]) ?? 0;
  const figures = columns.map(() => new Map<Figure, Cell>());
  stmt.slots.forEach((s, i) => figures[s.column]!.set(s.figure, row[i + 1] ?? null));
  const out = columns.map((c, i): ColumnProfile => {
    const f = figures[i]!;
    const nonNull = num(f.get('nonNull')) ?? 0;
    const nullCount = rowCount - nonNull;
    const p: ColumnProfile = { name: c.name, type: c.type, category: c.category, nullCount, nullPercent: rowCount ? (100 * nullCount) / rowCount : 0 };
    if (f.has('distinct')) p.distinct = { count: num(f.get('distinct')) ?? 0, approximate: stmt.approximateDistinct };
    if (c.category === 'numeric') {
      const [min, max, mean] = [num(f.get('min')), num(f.get('max')), num(f.get('mean'))];
      if (min !== null) p.min = min;
      if (max !== null) p.max = max;
      if (mean !== null) p.mean = mean;
    } else if (f.has('newestEpoch')) {
      const [min, max, newest] = [f.get('min'), f.get('max'), num(f.get('newestEpoch'))];
      if (min !== null && min !== undefined) p.min = String(min);
      if (max !== null && max !== undefined) p.max = String(max);
      if (newest !== null) p.newestAgeSeconds = Math.round(profiledAtMs / 1000 - newest);
    } else if (f.has('minLength')) {
      const [min, max] = [num(f.get('minLength')), num(f.get('maxLength'))];
      if (min !== null && max !== null) p.length = { min, max };
      const format = detectFormat(
        nonNull,
        DETECTED_FORMATS.map((_n, k) => num(f.get(`format${k}`)) ?? 0),
      );
      if (format) p.format = format;
    }
    return p;
  });
  return { rowCount, columns: out };
}

/**
 * Columns worth a follow-up: few distinct values (their top values, and an exact count from the
 * same GROUP BY), or an estimate close to the non-NULL count (a possible key: counted exactly).
 */
export function followUps(figures: AggregateFigures): { topValues: number[]; exactDistinct: number[] } {
  const topValues: number[] = [];
  const exactDistinct: number[] = [];
  figures.columns.forEach((c, i) => {
    if (!c.distinct || c.distinct.count === 0) return;
    const nonNull = figures.rowCount - c.nullCount;
    if (c.distinct.count <= EXACT_DISTINCT_MAX) topValues.push(i);
    else if (c.distinct.approximate && c.distinct.count >= NEAR_UNIQUE * nonNull) exactDistinct.push(i);
  });
  return { topValues, exactDistinct };
}

/**
 * The top values of several columns in one statement: per column, its values grouped (as text),
 * the number of groups (the exact distinct count) and the TOP_VALUES most frequent.
 */
export function topValuesStatement(dialect: Dialect, columns: readonly ColumnInfo[], indexes: readonly number[], scope: ProfileScope): string {
  const branches = indexes.map((i) => {
    const q = dialect.quote(columns[i]!.name);
    const grouped = `SELECT ${dialect.toText(q)} AS value, count(*) AS n FROM ${scope.fromSql}${where(scope, `${q} IS NOT NULL`)} GROUP BY ${dialect.toText(q)}`;
    const ranked = `SELECT value, n, count(*) OVER () AS groups, row_number() OVER (ORDER BY n DESC, value) AS rk FROM (${grouped}) g`;
    return `SELECT ${i} AS col, value, n, groups FROM (${ranked}) r${i} WHERE rk <= ${TOP_VALUES}`;
  });
  return `SELECT col, value, n, groups FROM (${branches.join(' UNION ALL ')}) t ORDER BY col, n DESC, value`;
}

export function readTopValues(figures: AggregateFigures, rows: readonly (readonly Cell[])[]): void {
  const byColumn = new Map<number, { values: TopValue[]; groups: number }>();
  for (const [col, value, n, groups] of rows) {
    const i = num(col) ?? -1;
    const entry = byColumn.get(i) ?? { values: [], groups: num(groups) ?? 0 };
    entry.values.push({ value: String(value), count: num(n) ?? 0 });
    byColumn.set(i, entry);
  }
  for (const [i, { values, groups }] of byColumn) {
    const c = figures.columns[i];
    if (!c) continue;
    c.topValues = values;
    c.distinct = { count: groups, approximate: false };
  }
}

/** Exact distinct counts of possible keys, one statement. */
export function exactDistinctStatement(dialect: Dialect, columns: readonly ColumnInfo[], indexes: readonly number[], scope: ProfileScope): string {
  return `SELECT ${indexes.map((i) => `count(DISTINCT ${dialect.quote(columns[i]!.name)})`).join(', ')} FROM ${scope.fromSql}${where(scope)}`;
}

export function readExactDistinct(figures: AggregateFigures, indexes: readonly number[], row: readonly Cell[]): void {
  indexes.forEach((i, k) => {
    const c = figures.columns[i];
    if (c) c.distinct = { count: num(row[k]) ?? 0, approximate: false };
  });
}
