import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { toCell } from '../../sources/cells';
import type { Cell, RowChunk } from '../../sources/source';
import type { CheckSamples } from '../result';

/**
 * The key indexes of one dataset (`incremental: key_index`), in a DuckDB file of their own beside
 * the state file. The scan worker writes it; the service's state file (one writer, in another
 * process) records which of its versions the committed results were counted from: its epoch
 * (new on every rebuild) and the last batch merged. Per index:
 *
 * - `keys_<signature>`: one row per distinct key (canonical texts `k0…`) with its row count `n`;
 * - `undo_<signature>`: what each batch not yet known to be committed added, so the next scan
 *   can take back a batch whose results were never committed (a crash, a refused commit).
 */
export function keyIndexPath(statePath: string, dataset: string): string {
  const safe = dataset.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60);
  return join(`${statePath}.keys`, `${safe}-${createHash('sha256').update(dataset).digest('hex').slice(0, 12)}.duckdb`);
}

/** The file is missing or unreadable: the scan reads every row and rebuilds it. */
export class KeyIndexUnavailable extends Error {}

/** What a file holds, to compare with the committed state. */
export interface KeyIndexContents {
  epoch: string;
  /** Batches merged since the rebuild (seq 0) whose undo is still kept, and the last committed one. */
  batches: { seq: number; batch: string }[];
  signatures: string[];
}

/** An index to write: its signature and the number of key columns. */
export interface IndexShape {
  signature: string;
  width: number;
}

/** Feeds one index's rows (canonical key texts…, count) to `append`, a chunk at a time. */
export type KeyFeed = (shape: IndexShape, append: (chunk: RowChunk) => Promise<void>) => Promise<void>;

const keys = (s: string) => `"keys_${s}"`;
const undo = (s: string) => `"undo_${s}"`;
const keyColumns = (width: number, prefix = '') => Array.from({ length: width }, (_, i) => `${prefix}k${i}`).join(', ');
const sameKey = (width: number, a: string, b: string) => Array.from({ length: width }, (_, i) => `${a}.k${i} = ${b}.k${i}`).join(' AND ');

async function openDb(path: string): Promise<{ db: DuckDBInstance; conn: DuckDBConnection }> {
  // Small and single-purpose: it must not take the cores or memory the sources were given.
  const db = await DuckDBInstance.create(path, { threads: '2', memory_limit: '512MB', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  try {
    return { db, conn: await db.connect() };
  } catch (e) {
    db.closeSync();
    throw e;
  }
}

async function rows(conn: DuckDBConnection, sql: string): Promise<Cell[][]> {
  return (await conn.runAndReadAll(sql)).getRowsJS().map((r) => r.map(toCell));
}

/**
 * Appends one index's streamed rows (VARCHAR keys…, BIGINT count) to `table`: a DuckDB source's
 * chunks whole, other rows value by value. One appender for the whole stream.
 */
async function appendFeed(conn: DuckDBConnection, table: string, temp: boolean, shape: IndexShape, feed: KeyFeed): Promise<void> {
  const a = await conn.createAppender(table, temp ? 'main' : null, temp ? 'temp' : null);
  try {
    await feed(shape, async (chunk) => {
      if (chunk.duckdb) return a.appendDataChunk(chunk.duckdb);
      for (const row of chunk.rows()) {
        if (row.length !== shape.width + 1) throw new Error(`a key row has ${row.length} values for ${shape.width} key columns and a count`);
        for (let i = 0; i < shape.width; i++) a.appendVarchar(String(row[i]));
        a.appendBigInt(BigInt(String(row[shape.width])));
        a.endRow();
      }
    });
    a.flushSync();
  } catch (e) {
    a.clear();
    throw e;
  } finally {
    a.closeSync();
  }
}

async function schemaSql(conn: DuckDBConnection, shapes: readonly IndexShape[]): Promise<void> {
  await conn.run('CREATE TABLE key_index_meta (epoch VARCHAR)');
  await conn.run('CREATE TABLE key_index_batches (seq BIGINT, batch VARCHAR)');
  await conn.run('CREATE TABLE key_index_tables (signature VARCHAR, width INTEGER)');
  for (const s of shapes) {
    const cols = Array.from({ length: s.width }, (_, i) => `k${i} VARCHAR`).join(', ');
    await conn.run(`CREATE TABLE ${keys(s.signature)} (${cols}, n BIGINT)`);
    await conn.run(`CREATE TABLE ${undo(s.signature)} (seq BIGINT, ${cols}, n BIGINT)`);
  }
}

/**
 * Writes a new file from every row: each index's grouped keys are appended as they stream in
 * (never all in memory), into a file beside the old one that replaces it once complete. A crash
 * leaves the old file, whose epoch the committed state may still name, or a newer one it does
 * not name: never one it names wrongly. Returns each index's number of duplicated keys.
 */
export async function rebuildKeyIndex(path: string, epoch: string, shapes: readonly IndexShape[], feed: KeyFeed): Promise<Record<string, number>> {
  mkdirSync(dirname(path), { recursive: true });
  const partial = join(dirname(path), `.${basename(path)}.rebuild`);
  for (const f of [partial, `${partial}.wal`]) rmSync(f, { force: true });
  const { db, conn } = await openDb(partial);
  const duplicates: Record<string, number> = {};
  try {
    await schemaSql(conn, shapes);
    for (const s of shapes) {
      await appendFeed(conn, `keys_${s.signature}`, false, s, feed);
      duplicates[s.signature] = Number((await rows(conn, `SELECT COUNT(*) FROM ${keys(s.signature)} WHERE n > 1`))[0]![0]);
      await conn.run(`INSERT INTO key_index_tables VALUES ('${s.signature}', ${s.width})`);
    }
    await conn.run(`INSERT INTO key_index_meta VALUES ('${epoch}')`);
    await conn.run(`INSERT INTO key_index_batches VALUES (0, '${epoch}')`);
    await conn.run('CHECKPOINT');
  } catch (e) {
    conn.closeSync();
    db.closeSync();
    for (const f of [partial, `${partial}.wal`]) rmSync(f, { force: true });
    throw e;
  }
  conn.closeSync();
  db.closeSync();
  // The old file's log must not be replayed onto the new file.
  rmSync(`${path}.wal`, { force: true });
  renameSync(partial, path);
  return duplicates;
}

/** An open key index file (one scan's use, by one process). */
export class KeyIndexFile {
  private constructor(
    private readonly db: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  static async open(path: string): Promise<KeyIndexFile> {
    if (!existsSync(path)) throw new KeyIndexUnavailable(`the key index file ${path} is missing`);
    try {
      const { db, conn } = await openDb(path);
      return new KeyIndexFile(db, conn);
    } catch (e) {
      throw new KeyIndexUnavailable(`the key index file ${path} cannot be opened (${e instanceof Error ? e.message : String(e)})`);
    }
  }

  async contents(): Promise<KeyIndexContents> {
    try {
      const epoch = await rows(this.conn, 'SELECT epoch FROM key_index_meta');
      const batches = await rows(this.conn, 'SELECT seq, batch FROM key_index_batches ORDER BY seq');
      const tables = await rows(this.conn, 'SELECT signature FROM key_index_tables ORDER BY signature');
      if (epoch.length !== 1) throw new Error(`${epoch.length} epochs`);
      for (const [s] of tables) await rows(this.conn, `SELECT COUNT(*) FROM ${keys(String(s))}, ${undo(String(s))} WHERE false`);
      return { epoch: String(epoch[0]![0]), batches: batches.map(([seq, batch]) => ({ seq: Number(seq), batch: String(batch) })), signatures: tables.map(([s]) => String(s)) };
    } catch (e) {
      throw new KeyIndexUnavailable(`the key index file cannot be read (${e instanceof Error ? e.message : String(e)})`);
    }
  }

  /**
   * Takes back every batch after `committed` (merged by a scan whose results were never
   * committed) and forgets the undo of the committed ones, in one transaction. Returns how many
   * batches it took back.
   */
  async rollbackAfter(committed: number, shapes: readonly IndexShape[]): Promise<number> {
    return this.transaction(async () => {
      const undone = Number((await rows(this.conn, `SELECT COUNT(*) FROM key_index_batches WHERE seq > ${committed}`))[0]![0]);
      for (const { signature: s, width } of shapes) {
        if (undone > 0) {
          await this.conn.run(
            `UPDATE ${keys(s)} SET n = ${keys(s)}.n - u.n FROM (SELECT ${keyColumns(width)}, SUM(n) AS n FROM ${undo(s)} WHERE seq > ${committed} GROUP BY ALL) AS u WHERE ${sameKey(width, keys(s), 'u')}`,
          );
          await this.conn.run(`DELETE FROM ${keys(s)} WHERE n <= 0`);
        }
        await this.conn.run(`DELETE FROM ${undo(s)}`);
      }
      await this.conn.run(`DELETE FROM key_index_batches WHERE seq <> ${committed}`);
      return undone;
    });
  }

  /**
   * Merges one batch of new rows: each index's grouped keys stream into a temporary table, are
   * joined with the index, and the keys whose count goes from at most 1 to more than 1 are the
   * new duplicates. Recorded as batch `seq` with its undo, in one transaction. Returns each
   * index's number of newly duplicated keys.
   */
  async merge(seq: number, batch: string, shapes: readonly IndexShape[], feed: KeyFeed): Promise<Record<string, number>> {
    return this.transaction(async () => {
      const became: Record<string, number> = {};
      for (const shape of shapes) {
        const { signature: s, width } = shape;
        const cols = Array.from({ length: width }, (_, i) => `k${i} VARCHAR`).join(', ');
        await this.conn.run(`CREATE TEMP TABLE key_batch (${cols}, n BIGINT)`);
        await appendFeed(this.conn, 'key_batch', true, shape, feed);
        await this.conn.run(`CREATE TEMP TABLE key_joined AS SELECT ${keyColumns(width, 'b.')}, b.n, COALESCE(i.n, 0) AS old FROM key_batch AS b LEFT JOIN ${keys(s)} AS i ON ${sameKey(width, 'b', 'i')}`);
        became[s] = Number((await rows(this.conn, 'SELECT COUNT(*) FROM key_joined WHERE old <= 1 AND old + n > 1'))[0]![0]);
        await this.conn.run(`UPDATE ${keys(s)} SET n = ${keys(s)}.n + j.n FROM key_joined AS j WHERE j.old > 0 AND ${sameKey(width, keys(s), 'j')}`);
        await this.conn.run(`INSERT INTO ${keys(s)} SELECT ${keyColumns(width)}, n FROM key_joined WHERE old = 0`);
        await this.conn.run(`INSERT INTO ${undo(s)} SELECT ${seq}, ${keyColumns(width)}, n FROM key_batch`);
        await this.conn.run('DROP TABLE key_batch');
        await this.conn.run('DROP TABLE key_joined');
      }
      await this.conn.run(`INSERT INTO key_index_batches VALUES (${seq}, '${batch}')`);
      return became;
    });
  }

  /** The most repeated keys, as duplicates samples are (key columns…, frequency). */
  async samples(shape: IndexShape, names: readonly string[], limit: number): Promise<CheckSamples> {
    const r = await rows(this.conn, `SELECT ${keyColumns(shape.width)}, n FROM ${keys(shape.signature)} WHERE n > 1 ORDER BY n DESC LIMIT ${Math.max(0, Math.floor(limit))}`);
    return { columns: [...names, 'frequency'], rows: r };
  }

  close(): void {
    this.conn.closeSync();
    this.db.closeSync();
  }

  private async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.conn.run('COMMIT');
      return out;
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }
}
