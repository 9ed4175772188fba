import type { DuckDBValue } from '@duckdb/node-api';

export type Row = Record<string, unknown>;

/** A value for `Db.append`: each is converted to its column's type (VARCHAR, BIGINT, INTEGER, DOUBLE). */
export type AppendValue = string | number | null;

/** The state store's connection, as the lineage and incremental tables use it. */
export interface Db {
  rows(sql: string, params?: DuckDBValue[]): Promise<Row[]>;
  exec(sql: string, params?: DuckDBValue[]): Promise<void>;
  /**
   * Appends rows to `table` (a `temp` one with `{ temp: true }`) inside the current
   * transaction: DuckDB's appender, some 15× cheaper than a multi-row INSERT of bound parameters.
   */
  append(table: string, rows: readonly (readonly AppendValue[])[], opts?: { temp?: boolean }): Promise<void>;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  read<T>(fn: () => Promise<T>): Promise<T>;
}
