import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { demoSql } from './demoSql';

export interface DemoOptions {
  output: string;
  rows: number;
  /** Regenerate even if the file is recent. */
  force?: boolean;
  /** Time everything is relative to (default now). */
  now?: Date;
  /** Regenerate when older than this, so freshness stays meaningful (default 6 h). */
  maxAgeMs?: number;
  onProgress?: (message: string) => void;
}

/** The tables the current generator writes: a warehouse from an older version lacks some. */
const DEMO_TABLES = demoSql({ rows: 1, anchor: new Date(0).toISOString() }).flatMap((sql) => /CREATE TABLE (\w+)/.exec(sql)?.[1] ?? []);

/** When the warehouse at `path` was generated; undefined when absent, unreadable or missing a table of this version. */
async function generatedAt(path: string): Promise<Date | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    const db = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
    try {
      const conn = await db.connect();
      const tables = new Set((await conn.runAndReadAll(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'`)).getRowsJS().map((row) => String(row[0])));
      const r = await conn.runAndReadAll('SELECT epoch(generated_at) FROM demo_metadata');
      conn.closeSync();
      if (DEMO_TABLES.some((t) => !tables.has(t))) return undefined;
      return new Date(Number(r.getRowsJS()[0]?.[0]) * 1000);
    } finally {
      db.closeSync();
    }
  } catch {
    return undefined;
  }
}

/**
 * Writes the demo warehouse. It is built in a temporary file and renamed into place, so a crash
 * midway never leaves a half-written database where the exporter would read it.
 */
export async function generateDemo(opts: DemoOptions): Promise<{ path: string; generated: boolean; anchor: Date }> {
  const now = opts.now ?? new Date();
  const existing = await generatedAt(opts.output);
  if (!opts.force && existing && now.getTime() - existing.getTime() < (opts.maxAgeMs ?? 6 * 3600_000)) {
    return { path: opts.output, generated: false, anchor: existing };
  }
  mkdirSync(dirname(opts.output), { recursive: true });
  const tmp = `${opts.output}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  rmSync(`${tmp}.wal`, { force: true });
  const anchor = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const db = await DuckDBInstance.create(tmp);
  try {
    const conn = await db.connect();
    for (const sql of demoSql({ rows: opts.rows, anchor: anchor.toISOString() })) {
      opts.onProgress?.(`creating ${/CREATE TABLE (\w+)/.exec(sql)?.[1] ?? 'table'}`);
      await conn.run(sql);
    }
    await conn.run('CHECKPOINT');
    conn.closeSync();
  } finally {
    db.closeSync();
  }
  renameSync(tmp, opts.output);
  return { path: opts.output, generated: true, anchor };
}
