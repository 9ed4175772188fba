import { DuckDBInstance } from '@duckdb/node-api';

/** Runs statements against a DuckDB file and closes it, releasing the lock for the exporter. */
export async function duckdbExec(path: string, statements: string[]): Promise<void> {
  const db = await DuckDBInstance.create(path);
  try {
    const conn = await db.connect();
    for (const sql of statements) await conn.run(sql);
    conn.closeSync();
  } finally {
    db.closeSync();
  }
}

/** Reads rows as JS objects (numbers, strings, bigint → number). */
export async function duckdbQuery(path: string, sql: string, readOnly = true): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY' } : {});
  try {
    const conn = await db.connect();
    const r = await conn.runAndReadAll(sql);
    conn.closeSync();
    return (r.getRowObjectsJS() as Record<string, unknown>[]).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  } finally {
    db.closeSync();
  }
}
