/** Coarse column type families; enough to pick the right SQL for each metric. */
export type TypeCategory = 'numeric' | 'text' | 'temporal' | 'boolean' | 'other';

/** Classifies a DuckDB or PostgreSQL type name (`DECIMAL(18,2)`, `character varying`, `TIMESTAMP WITH TIME ZONE`…). */
export function typeCategory(type: string): TypeCategory {
  const t = type.toLowerCase().trim();
  if (/^(u?(tiny|small|big|huge)?int(eger)?\d*|int[248]|integer|decimal|numeric|double|double precision|float\d*|real|money|smallserial|serial|bigserial)\b/.test(t)) return 'numeric';
  if (/^(varchar|character varying|character|char|bpchar|text|string|uuid|name|citext|enum)\b/.test(t)) return 'text';
  if (/^(date|time|timestamp|timestamptz|timetz|interval)\b/.test(t)) return 'temporal';
  if (/^bool(ean)?\b/.test(t)) return 'boolean';
  return 'other';
}

/** Type aliases that mean the same thing across engines, so `integer` matches `INTEGER`/`int4`. */
const ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  signed: 'integer',
  int8: 'bigint',
  long: 'bigint',
  int2: 'smallint',
  short: 'smallint',
  int1: 'tinyint',
  float8: 'double',
  'double precision': 'double',
  float: 'double',
  float4: 'real',
  numeric: 'decimal',
  string: 'varchar',
  text: 'varchar',
  'character varying': 'varchar',
  bpchar: 'char',
  character: 'char',
  bool: 'boolean',
  logical: 'boolean',
  'timestamp without time zone': 'timestamp',
  datetime: 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
};

/** Canonical spelling of a type name, with size/precision dropped unless `keepModifiers`. */
export function normaliseType(type: string, keepModifiers = false): string {
  let t = type.toLowerCase().trim().replace(/\s+/g, ' ');
  const mods = /\(.*\)$/.exec(t)?.[0] ?? '';
  t = t.replace(/\s*\(.*\)$/, '');
  const base = ALIASES[t] ?? t;
  return keepModifiers ? base + mods.replace(/\s/g, '') : base;
}

/**
 * Whether an actual column type satisfies an expected one. Modifiers only matter when the
 * expectation states them: `decimal` accepts `DECIMAL(18,2)`, `decimal(18,2)` does not accept `DECIMAL(10,2)`.
 */
export function typeMatches(actual: string, expected: string): boolean {
  const keep = /\(/.test(expected);
  return normaliseType(actual, keep) === normaliseType(expected, keep);
}
