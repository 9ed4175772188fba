import type { FlatRecord, FlatValue } from './flatten';

/** The DuckDB type a column of API records gets. */
export type ColumnType = 'BOOLEAN' | 'BIGINT' | 'DOUBLE' | 'TIMESTAMP' | 'DATE' | 'VARCHAR';

export interface ApiColumn {
  name: string;
  type: ColumnType;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function dayOk(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Days since 1970-01-01 of an ISO date (`2026-12-01`), or undefined. */
export function isoDateDays(text: string): number | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return dayOk(y, mo, d) ? Date.UTC(y, mo - 1, d) / 86_400_000 : undefined;
}

/**
 * Microseconds since the epoch, in UTC, of an ISO 8601 date-time (`2026-12-01T10:00:00Z`,
 * `…+02:00`, fractions to the microsecond); an offset is applied, none means UTC.
 */
export function isoTimestampMicros(text: string): bigint | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  if (!dayOk(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  const fraction = BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
  }
  return BigInt(Date.UTC(y, mo - 1, d, h, mi, s)) * 1000n + fraction - BigInt(offsetMinutes) * 60_000_000n;
}

function typeOf(v: Exclude<FlatValue, null>): ColumnType {
  if (typeof v === 'boolean') return 'BOOLEAN';
  if (typeof v === 'number') return Number.isSafeInteger(v) ? 'BIGINT' : 'DOUBLE';
  if (isoDateDays(v) !== undefined) return 'DATE';
  if (isoTimestampMicros(v) !== undefined) return 'TIMESTAMP';
  return 'VARCHAR';
}

/** Two types one column holds: integers widen to DOUBLE, dates to TIMESTAMP, the rest to text. */
function widen(a: ColumnType, b: ColumnType): ColumnType {
  if (a === b) return a;
  const pair = new Set([a, b]);
  if (pair.has('BIGINT') && pair.has('DOUBLE')) return 'DOUBLE';
  if (pair.has('DATE') && pair.has('TIMESTAMP')) return 'TIMESTAMP';
  return 'VARCHAR';
}

/**
 * The columns of all records of all pages, in order of first appearance, each typed from every
 * value it holds (never from a sample), so a type does not depend on which page came first.
 * A column with only NULLs is VARCHAR.
 */
export function inferColumns(records: readonly FlatRecord[]): ApiColumn[] {
  const types = new Map<string, ColumnType | undefined>();
  for (const r of records) {
    for (const [name, v] of r) {
      const seen = types.get(name);
      if (v === null) {
        if (!types.has(name)) types.set(name, undefined);
        continue;
      }
      const t = typeOf(v);
      types.set(name, seen === undefined ? t : widen(seen, t));
    }
  }
  return [...types].map(([name, type]) => ({ name, type: type ?? 'VARCHAR' }));
}
