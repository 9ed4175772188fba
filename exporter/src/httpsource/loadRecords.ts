import { type DuckDBAppender, type DuckDBConnection, DuckDBDateValue, DuckDBTimestampValue } from '@duckdb/node-api';
import { quoteIdentifier } from '../sources/identifiers';
import { type ApiColumn, type ColumnType, inferColumns, isoDateDays, isoTimestampMicros } from './columnTypes';
import type { FlatRecord, FlatValue } from './flatten';

/** Stands in for the columns of an answer without records: a table needs one, and none is known. */
export const NO_RECORDS_COLUMN = '_no_records';

function put(a: DuckDBAppender, type: ColumnType, v: Exclude<FlatValue, null>): void {
  switch (type) {
    case 'BOOLEAN':
      return a.appendBoolean(v as boolean);
    case 'BIGINT':
      return a.appendBigInt(BigInt(v as number));
    case 'DOUBLE':
      return a.appendDouble(v as number);
    case 'DATE':
      return a.appendDate(new DuckDBDateValue(isoDateDays(v as string)!));
    case 'TIMESTAMP': {
      // A DATE value in a TIMESTAMP column is its midnight.
      const micros = isoTimestampMicros(v as string) ?? BigInt(isoDateDays(v as string)!) * 86_400_000_000n;
      return a.appendTimestamp(new DuckDBTimestampValue(micros));
    }
    case 'VARCHAR':
      return a.appendVarchar(String(v));
  }
}

/**
 * Creates `table` with the records' columns (typed from all values, `columnTypes.ts`) and
 * appends every record. Returns the columns.
 */
export async function loadRecords(conn: DuckDBConnection, table: string, records: readonly FlatRecord[]): Promise<ApiColumn[]> {
  const columns = inferColumns(records);
  const defs = columns.length ? columns.map((c) => `${quoteIdentifier(c.name)} ${c.type}`) : [`${quoteIdentifier(NO_RECORDS_COLUMN)} BOOLEAN`];
  await conn.run(`CREATE TABLE ${quoteIdentifier(table)} (${defs.join(', ')})`);
  if (records.length === 0) return columns;
  const appender = await conn.createAppender(table);
  try {
    for (const r of records) {
      for (const c of columns) {
        const v = r.get(c.name);
        if (v === null || v === undefined) appender.appendNull();
        else put(appender, c.type, v);
      }
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  return columns;
}
