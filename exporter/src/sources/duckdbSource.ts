import { existsSync } from 'node:fs';
import { DuckDBConnection, DuckDBInstance, type DuckDBResult, JSDuckDBValueConverter, StatementType } from '@duckdb/node-api';
import type { DuckDbSourceConfig } from '../config/types';
import { formatMemorySize } from '../limits/memorySize';
import { duckdbDefaults } from '../limits/resourceBudget';
import { toCell } from './cells';
import type { Relation } from './dialect';
import { duckdbDialect } from './duckdbDialect';
import { type DescribedRelation, NotASelectError, type QueryOptions, type QueryResult, QueryTimeoutError, type RowChunk, type Source, type SourceSession, SourceUnavailableError } from './source';
import { typeCategory } from './typeCategory';

const LOCK_RETRIES_MS = [200, 1000, 3000];

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export class DuckDbSession implements SourceSession {
  constructor(
    private readonly conn: DuckDBConnection,
    /** The engine the connection belongs to: forks are more connections of it. */
    private readonly instance?: DuckDBInstance,
  ) {}

  /**
   * More connections of the same engine. A query already spreads over every thread, but only
   * across row groups: a read of one row group (a small new Parquet file) runs on one, so
   * statements over different columns of it can run at once. Files are read as they are at
   * each statement, as they are by one session's successive statements.
   */
  async fork(max: number): Promise<SourceSession[]> {
    const instance = this.instance;
    if (!instance) return [];
    return Promise.all(Array.from({ length: Math.max(0, max) }, async () => new DuckDbSession(await instance.connect(), instance)));
  }

  /**
   * Runs `fn` with the statement interrupted at `timeoutMs` (then a QueryTimeoutError) or when
   * `signal` aborts. `fn` may read past the interrupt (to end a stream): the timer stays armed
   * until it returns.
   */
  private async interruptible<T>(timeoutMs: number, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.conn.interrupt();
    }, timeoutMs);
    const cancel = () => this.conn.interrupt();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await fn();
    } catch (e) {
      if (timedOut) throw new QueryTimeoutError(timeoutMs);
      throw e;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }
  }

  async query(sql: string, opts: QueryOptions): Promise<QueryResult> {
    // Preparing refuses multiple statements; the statement type refuses anything but SELECT.
    const prepared = await this.conn.prepare(sql);
    try {
      if (prepared.statementType !== StatementType.SELECT) throw new NotASelectError(`a ${StatementType[prepared.statementType]} statement`);
      return await this.interruptible(opts.timeoutMs, opts.signal, async () => {
        const reader = opts.maxRows !== undefined ? await prepared.streamAndReadUntil(opts.maxRows) : await prepared.runAndReadAll();
        const rows = reader.getRowsJS();
        const columns = reader.columnNames();
        if (!reader.done) {
          // A stream left unfinished keeps the database file open (and locked against writers)
          // until it is garbage collected, even once the connection is closed: end it now.
          this.conn.interrupt();
          await reader.readAll().catch(() => undefined);
        }
        return { columns, rows: (opts.maxRows !== undefined ? rows.slice(0, opts.maxRows) : rows).map((r) => r.map(toCell)) };
      });
    } finally {
      prepared.destroySync();
    }
  }

  async describe(relation: Relation, timeoutMs: number, samplePercent?: number): Promise<DescribedRelation> {
    const base = duckdbDialect.from(relation);
    const prepared = await this.conn.prepare(`SELECT * FROM ${base} LIMIT 0`);
    try {
      return await this.interruptible(timeoutMs, undefined, async () => {
        const reader = await prepared.runAndReadAll();
        const columns = reader.columnNames().map((name, i) => {
          const type = reader.columnType(i).toString();
          return { name, type, category: typeCategory(type) };
        });
        return { columns, fromSql: duckdbDialect.from(relation, samplePercent), resolved: relation };
      });
    } finally {
      prepared.destroySync();
    }
  }

  async stream(sql: string, opts: QueryOptions, each: (chunk: RowChunk) => Promise<void>): Promise<{ columns: string[]; rows: number }> {
    const prepared = await this.conn.prepare(sql);
    // Set inside the interruptible read, looked at after it.
    const stream: { result?: DuckDBResult; finished?: boolean } = {};
    try {
      if (prepared.statementType !== StatementType.SELECT) throw new NotASelectError(`a ${StatementType[prepared.statementType]} statement`);
      return await this.interruptible(opts.timeoutMs, opts.signal, async () => {
        const result = (stream.result = await prepared.stream());
        let rows = 0;
        for (;;) {
          const chunk = await result.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          rows += chunk.rowCount;
          await each({ rowCount: chunk.rowCount, rows: () => chunk.convertRows(JSDuckDBValueConverter).map((r) => r.map(toCell)), duckdb: chunk });
        }
        stream.finished = true;
        return { columns: result.columnNames(), rows };
      });
    } finally {
      if (stream.result && !stream.finished) {
        // As in query(): an unfinished stream would keep the database file open and locked.
        this.conn.interrupt();
        await stream.result.fetchChunk().catch(() => undefined);
      }
      prepared.destroySync();
    }
  }

  async listTables(timeoutMs: number): Promise<string[]> {
    const r = await this.query(
      "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('information_schema', 'pg_catalog') ORDER BY 1, 2",
      { kind: 'tables', timeoutMs },
    );
    return r.rows.map((row) => `${String(row[0])}.${String(row[1])}`);
  }

  async close(): Promise<void> {
    this.conn.closeSync();
  }
}

/**
 * A DuckDB database file (opened read-only, so pipelines and other readers can keep using
 * it) or an in-memory engine for csv/parquet/json datasets. External file access is limited to
 * the files of configured file datasets (a glob's folder), and then locked, so check SQL cannot
 * read elsewhere.
 */
export class DuckDbSource implements Source {
  readonly dialect = duckdbDialect;
  private instance: Promise<DuckDBInstance> | undefined;

  constructor(
    private readonly config: DuckDbSourceConfig,
    /** What check SQL may read: folders (of globbed file datasets) and single files. */
    private readonly readable: { directories: string[]; files: string[] } = { directories: [], files: [] },
    /** Runs before the configuration is locked: an S3 source loads httpfs and its secret, an HTTP dataset loads its records. */
    private readonly setup: (conn: DuckDBConnection) => Promise<void> = async () => undefined,
  ) {}

  get name(): string {
    return this.config.name;
  }

  private async create(): Promise<DuckDBInstance> {
    const memory = this.config.path === ':memory:';
    if (!memory && !existsSync(this.config.path)) throw new SourceUnavailableError(this.name, `database file ${this.config.path} does not exist`);
    const options: Record<string, string> = { autoinstall_known_extensions: 'false' };
    if (!memory) options.access_mode = 'READ_ONLY';
    // Never DuckDB's own defaults (every core, 80% of RAM per engine): several engines at 80%
    // each let one runaway query take the machine, and the exporter with it.
    const fallback = duckdbDefaults(1, false);
    options.threads = String(this.config.threads ?? fallback.threads);
    options.memory_limit = this.config.memoryLimit ?? formatMemorySize(fallback.memoryLimitBytes);
    let lastError: unknown;
    for (const wait of [0, ...LOCK_RETRIES_MS]) {
      if (wait) await sleep(wait);
      try {
        const instance = await DuckDBInstance.create(this.config.path, options);
        try {
          const conn = await instance.connect();
          try {
            const list = (paths: string[]) => paths.map((p) => duckdbDialect.string(p)).join(', ');
            await conn.run(`SET allowed_directories = [${list(this.readable.directories)}]`);
            await conn.run(`SET allowed_paths = [${list(this.readable.files)}]`);
            // A scan reads a Parquet footer in nearly every statement: parse it once per scan.
            await conn
              .run('LOAD parquet')
              .then(() => conn.run('SET parquet_metadata_cache = true'))
              .catch(() => undefined);
            await this.setup(conn);
            await conn.run('SET enable_external_access = false');
            await conn.run('SET lock_configuration = true');
          } finally {
            conn.closeSync();
          }
        } catch (e) {
          instance.closeSync();
          throw e;
        }
        return instance;
      } catch (e) {
        lastError = e;
        // A writer holding the file's lock is transient (a pipeline run); anything else is not,
        // and an in-memory engine has no file to lock.
        if (memory || !/lock/i.test((e as Error).message)) break;
      }
    }
    throw new SourceUnavailableError(this.name, (lastError as Error).message);
  }

  async open(): Promise<SourceSession> {
    this.instance ??= this.create();
    let instance: DuckDBInstance;
    try {
      instance = await this.instance;
    } catch (e) {
      this.instance = undefined;
      throw e instanceof SourceUnavailableError ? e : new SourceUnavailableError(this.name, (e as Error).message);
    }
    return new DuckDbSession(await instance.connect(), instance);
  }

  async close(): Promise<void> {
    const pending = this.instance;
    this.instance = undefined;
    if (pending) (await pending.catch(() => undefined))?.closeSync();
  }
}
