import type { Dialect, Relation } from './dialect';
import { quoteIdentifier } from './identifiers';

function stringLiteral(value: string): string {
  // standard_conforming_strings is on by default since 9.1: backslashes are literal.
  return `'${value.replace(/'/g, "''")}'`;
}

export const postgresDialect: Dialect = {
  name: 'postgres',
  quote: quoteIdentifier,
  string: stringLiteral,
  number: (v) => (Number.isFinite(v) ? String(v) : 'NULL'),
  toText: (e) => `CAST(${e} AS TEXT)`,
  regexMatch: (e, p) => `(${e} ~ ${stringLiteral(p)})`,
  length: (e) => `length(${e})`,
  textToNumber: (e) => `(CASE WHEN ${e} ~ '^[[:space:]]*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$' THEN CAST(${e} AS DOUBLE PRECISION) END)`,
  textToTimestamp: (e) => `(CASE WHEN ${e} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN CAST(${e} AS TIMESTAMP) END)`,
  epochSeconds: (e) => `EXTRACT(EPOCH FROM ${e})`,
  percentile: (e, rank, filter) => `percentile_cont(${rank}) WITHIN GROUP (ORDER BY ${e})${filter ? ` FILTER (WHERE ${filter})` : ''}`,
  filtered: (agg, cond) => (cond ? `${agg} FILTER (WHERE ${cond})` : agg),
  from(rel: Relation, samplePercent?: number): string {
    if (rel.kind !== 'table') throw new Error('PostgreSQL sources read tables; file datasets need a duckdb source');
    const base = rel.parts.map(quoteIdentifier).join('.');
    return samplePercent ? `${base} TABLESAMPLE SYSTEM (${samplePercent}) REPEATABLE (42)` : base;
  },
};
