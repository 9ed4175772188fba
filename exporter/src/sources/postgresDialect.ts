import type { Dialect, Relation } from './dialect';
import { quoteIdentifier } from './identifiers';

function stringLiteral(value: string): string {
  // standard_conforming_strings is on by default since 9.1: backslashes are literal.
  return `'${value.replace(/'/g, "''")}'`;
}

/** ISO-like `YYYY-M-D[( |T)HH:MM[:SS[.fff]]][zone]`, with field ranges checked. */
const TIMESTAMP_TEXT =
  '^[[:space:]]*[1-9][0-9]{3}-(0?[1-9]|1[0-2])-(0?[1-9]|[12][0-9]|3[01])([T ]([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?)?[[:space:]]*(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?[[:space:]]*$';

/**
 * PostgreSQL has no TRY_CAST, and one `2024-13-01` or `2023-02-29` in a text column would make
 * CAST raise and fail the whole aggregate (DuckDB's TRY_CAST gives NULL). So cast only text whose
 * fields are in range and whose day exists in its month; the nested CASE fixes the evaluation order.
 */
function textToTimestamp(e: string): string {
  const field = (re: string) => `CAST(substring(${e} from '${re}') AS INTEGER)`;
  const year = field('^[[:space:]]*([0-9]{4})');
  const month = field('^[[:space:]]*[0-9]{4}-([0-9]{1,2})');
  const day = field('^[[:space:]]*[0-9]{4}-[0-9]{1,2}-([0-9]{1,2})');
  const daysInMonth = `EXTRACT(DAY FROM make_date(${year}, ${month}, 1) + INTERVAL '1 month' - INTERVAL '1 day')`;
  return `(CASE WHEN ${e} ~ '${TIMESTAMP_TEXT}' THEN CASE WHEN ${day} <= ${daysInMonth} THEN CAST(${e} AS TIMESTAMP) END END)`;
}

export const postgresDialect: Dialect = {
  name: 'postgres',
  quote: quoteIdentifier,
  string: stringLiteral,
  number: (v) => (Number.isFinite(v) ? String(v) : 'NULL'),
  toText: (e) => `CAST(${e} AS TEXT)`,
  regexMatch: (e, p) => `(${e} ~ ${stringLiteral(p)})`,
  length: (e) => `length(${e})`,
  regexReplaceAll: (e, p, r) => `regexp_replace(${e}, ${stringLiteral(p)}, ${stringLiteral(r)}, 'g')`,
  // Bounded digits and exponent keep the cast inside DOUBLE PRECISION's range: `1e999` would raise
  // "out of range" and sink the whole aggregate, where DuckDB's TRY_CAST just yields a value or NULL.
  textToNumber: (e) => `(CASE WHEN ${e} ~ '^[[:space:]]*[-+]?([0-9]{1,200}([.][0-9]{0,200})?|[.][0-9]{1,200})([eE][-+]?[0-9]{1,2})?[[:space:]]*$' THEN CAST(${e} AS DOUBLE PRECISION) END)`,
  textToTimestamp,
  epochSeconds: (e) => `EXTRACT(EPOCH FROM ${e})`,
  // Soda Core's percentile is PERCENTILE_DISC, not the interpolating PERCENTILE_CONT.
  percentile: (e, rank, filter) => `percentile_disc(${rank}) WITHIN GROUP (ORDER BY ${e})${filter ? ` FILTER (WHERE ${filter})` : ''}`,
  filtered: (agg, cond) => (cond ? `${agg} FILTER (WHERE ${cond})` : agg),
  parallelForFewRows: "SELECT set_config('parallel_setup_cost', '0', true), set_config('parallel_tuple_cost', '0', true)",
  from(rel: Relation, samplePercent?: number, alias?: string): string {
    if (rel.kind !== 'table') throw new Error('PostgreSQL sources read tables; file datasets need a duckdb source');
    const base = rel.parts.map(quoteIdentifier).join('.') + (alias ? ` AS ${alias}` : '');
    return samplePercent ? `${base} TABLESAMPLE SYSTEM (${samplePercent}) REPEATABLE (42)` : base;
  },
};
