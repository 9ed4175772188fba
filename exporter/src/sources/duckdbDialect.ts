import type { Dialect, Relation } from './dialect';
import { quoteIdentifier } from './identifiers';

const READERS = { csv: 'read_csv', parquet: 'read_parquet', json: 'read_json_auto' } as const;

function stringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  quote: quoteIdentifier,
  string: stringLiteral,
  number: (v) => (Number.isFinite(v) ? String(v) : 'NULL'),
  toText: (e) => `CAST(${e} AS VARCHAR)`,
  regexMatch: (e, p) => `regexp_matches(${e}, ${stringLiteral(p)})`,
  length: (e) => `length(${e})`,
  regexReplaceAll: (e, p, r) => `regexp_replace(${e}, ${stringLiteral(p)}, ${stringLiteral(r)}, 'g')`,
  textToNumber: (e) => `TRY_CAST(${e} AS DOUBLE)`,
  textToTimestamp: (e) => `TRY_CAST(${e} AS TIMESTAMP)`,
  epochSeconds: (e) => `epoch(${e})`,
  // Soda's percentile is PERCENTILE_DISC (a value present in the column); quantile_disc picks the same element as PostgreSQL.
  percentile: (e, rank, filter) => `quantile_disc(${e}, ${rank})${filter ? ` FILTER (WHERE ${filter})` : ''}`,
  filtered: (agg, cond) => (cond ? `${agg} FILTER (WHERE ${cond})` : agg),
  from(rel: Relation, samplePercent?: number, alias?: string): string {
    const base =
      (rel.kind === 'table'
        ? rel.parts.map(quoteIdentifier).join('.')
        : `${READERS[rel.format]}(${stringLiteral(rel.path)}${rel.format === 'csv' ? ', auto_detect = true' : ''})`) + (alias ? ` AS ${alias}` : '');
    // System sampling reads whole vectors: far cheaper than row sampling on the huge tables it is for.
    return samplePercent ? `${base} TABLESAMPLE ${samplePercent}% (system, 42)` : base;
  },
};
