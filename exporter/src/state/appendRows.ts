import { type DuckDBAppender, type DuckDBConnection, DuckDBTypeId } from '@duckdb/node-api';
import type { AppendValue } from './db';

type Put = (a: DuckDBAppender, v: string | number) => void;

/** One writer per column type the state file uses; anything else is a schema this code does not know. */
function writerFor(typeId: DuckDBTypeId, table: string, column: number): Put {
  switch (typeId) {
    case DuckDBTypeId.VARCHAR:
      return (a, v) => a.appendVarchar(String(v));
    case DuckDBTypeId.BIGINT:
      return (a, v) => a.appendBigInt(BigInt(Math.trunc(Number(v))));
    case DuckDBTypeId.INTEGER:
      return (a, v) => a.appendInteger(Number(v));
    case DuckDBTypeId.DOUBLE:
      return (a, v) => a.appendDouble(Number(v));
    default:
      throw new Error(`append to ${table}: column ${column + 1} has type id ${typeId}; only VARCHAR, BIGINT, INTEGER and DOUBLE are supported`);
  }
}

/**
 * Appends rows with DuckDB's appender on `conn`, inside its open transaction (a ROLLBACK drops
 * them). A row of the wrong width fails before anything is flushed.
 */
export async function appendRows(conn: DuckDBConnection, table: string, rows: readonly (readonly AppendValue[])[], temp: boolean): Promise<void> {
  if (rows.length === 0) return;
  const appender = await conn.createAppender(table, temp ? 'main' : null, temp ? 'temp' : null);
  try {
    const writers = Array.from({ length: appender.columnCount }, (_, i) => writerFor(appender.columnType(i).typeId, table, i));
    for (const row of rows) {
      if (row.length !== writers.length) throw new Error(`append to ${table}: a row has ${row.length} values for ${writers.length} columns`);
      for (let i = 0; i < row.length; i++) {
        const v = row[i];
        if (v === null || v === undefined) appender.appendNull();
        else writers[i]!(appender, v);
      }
      appender.endRow();
    }
    appender.flushSync();
  } catch (e) {
    appender.clear();
    throw e;
  } finally {
    appender.closeSync();
  }
}
