import { createHash } from 'node:crypto';
import type { Dialect } from '../../sources/dialect';
import type { ColumnInfo } from '../../sources/source';
import { normaliseType } from '../../sources/typeCategory';
import { and } from '../conditions';
import type { DuplicateSpec } from '../planDataset';

/**
 * A key as the index stores it: one text per key column, written by the source so that two
 * values are the same text exactly when the source's GROUP BY puts them in one group. Printing
 * alone is not enough: PostgreSQL prints `1.0` and `1.00` (equal numerics) differently, prints
 * dates after `DateStyle` and floats after `extra_float_digits`, and both engines print `-0`
 * apart from `0`. So each type has its canonical form, and a type without one is refused.
 */
export function canonicalKey(column: ColumnInfo, d: Dialect): string | { error: string } {
  const col = d.quote(column.name);
  const type = normaliseType(column.type);
  const text = d.toText(col);
  const refuse = { error: `\`incremental: key_index\` keeps keys of integer, decimal, floating-point, text, uuid, boolean, date and timestamp columns; \`${column.name}\` is ${column.type}` };
  if (/^(tinyint|smallint|integer|bigint|hugeint|utinyint|usmallint|uinteger|ubigint|uhugeint|boolean|uuid|varchar|char|name)$/.test(type)) return text;
  if (d.name === 'postgres') {
    // Equal numerics may differ in scale; trim_scale (PostgreSQL 13) gives each one spelling.
    if (type === 'decimal') return `CAST(trim_scale(${col}) AS TEXT)`;
    // The bits of the double, after + 0 turns -0 into 0; every NaN is one NaN (PostgreSQL groups them).
    if (type === 'double' || type === 'real') return `CASE WHEN ${col} = 'NaN' THEN 'NaN' ELSE encode(float8send(CAST(${col} AS DOUBLE PRECISION) + 0), 'hex') END`;
    const pattern = type === 'date' ? 'YYYY-MM-DD BC' : 'YYYY-MM-DD HH24:MI:SS.US BC';
    const utc = type === 'timestamptz' ? `(${col} AT TIME ZONE 'UTC')` : col;
    // to_char ignores DateStyle; infinities have no digits and print as they are.
    if (type === 'date' || type === 'timestamp' || type === 'timestamptz') return `CASE WHEN isfinite(${col}) THEN to_char(${utc}, '${pattern}') ELSE ${text} END`;
    return refuse;
  }
  // DuckDB prints decimals at their fixed scale, doubles in their shortest exact form, times in ISO.
  if (/^(decimal|date|timestamp|timestamp_s|timestamp_ms|timestamp_ns|enum)$/.test(type)) return text;
  if (type === 'double' || type === 'real' || type === 'float') return d.toText(`(CAST(${col} AS DOUBLE) + 0)`);
  // A TIMESTAMPTZ prints in the session's time zone: its instant is the key.
  if (type === 'timestamptz') return d.toText(`epoch_us(${col})`);
  return refuse;
}

/** One key index: the keys of one duplicates metric (columns, relation, every filter). */
export interface KeyIndexSpec {
  /** Identity of the key, relation and filters; names the index's tables. */
  signature: string;
  /** Canonical key expressions, in key order. */
  keys: string[];
  from: string;
  /** The duplicates metric's rows: dataset and check filters, every key column NOT NULL. */
  where: string;
}

export function keyIndexSpec(duplicates: DuplicateSpec, columns: readonly ColumnInfo[], d: Dialect): KeyIndexSpec | { error: string } {
  const keys: string[] = [];
  for (const c of columns) {
    const k = canonicalKey(c, d);
    if (typeof k !== 'string') return k;
    keys.push(k);
  }
  const signature = createHash('sha256').update([duplicates.from, duplicates.where, ...keys].join('\u0000')).digest('hex').slice(0, 16);
  return { signature, keys, from: duplicates.from, where: duplicates.where };
}

/** Each distinct key of the rows matching `extra` (rows past the watermark) with its number of rows. */
export function groupedKeysSql(spec: KeyIndexSpec, extra: string | undefined): string {
  const list = spec.keys.map((k, i) => `${k} AS k${i}`).join(', ');
  return `SELECT ${list}, COUNT(*) AS n FROM ${spec.from} WHERE ${and(spec.where, extra)} GROUP BY ${spec.keys.map((_, i) => i + 1).join(', ')}`;
}
