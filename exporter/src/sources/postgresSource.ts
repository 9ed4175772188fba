import { Pool, type PoolClient, type QueryArrayConfig, type QueryConfig } from 'pg';
import type { PostgresSourceConfig } from '../config/types';
import { toCell } from './cells';
import type { Relation } from './dialect';
import { postgresDialect } from './postgresDialect';
import { deadlineGraceMs } from '../limits/resourceBudget';
import { type DescribedRelation, NotASelectError, type QueryOptions, type QueryResult, QueryTimeoutError, type RowChunk, type Source, type SourceSession, SourceTimeoutError, SourceUnavailableError } from './source';
import { typeCategory } from './typeCategory';

/** Strips leading comments and whitespace, to name the statement's first keyword. */
function firstKeyword(sql: string): string {
  const stripped = sql.replace(/^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)+/, '');
  return (/^[A-Za-z]+/.exec(stripped)?.[0] ?? '').toLowerCase();
}

const DESCRIBE_SQL = `
SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.udt_name,
       c.numeric_precision, c.numeric_scale, c.character_maximum_length
FROM information_schema.columns c
WHERE lower(c.table_name) = lower($1)
  AND (($2::text IS NULL AND c.table_schema = ANY (current_schemas(false))) OR lower(c.table_schema) = lower($2))
ORDER BY (c.table_name = $1) DESC,
         (c.table_schema = coalesce($2, c.table_schema)) DESC,
         array_position(current_schemas(false), c.table_schema::name),
         c.table_schema, c.table_name, c.ordinal_position`;

function typeName(row: Record<string, unknown>): string {
  const dataType = String(row.data_type);
  if (dataType === 'USER-DEFINED' || dataType === 'ARRAY') return String(row.udt_name);
  if (dataType === 'numeric' && row.numeric_precision !== null) return `numeric(${String(row.numeric_precision)},${String(row.numeric_scale)})`;
  if (dataType === 'character varying' && row.character_maximum_length !== null) return `character varying(${String(row.character_maximum_length)})`;
  return dataType;
}

/** Rows per FETCH of a streamed result. */
const STREAM_CHUNK_ROWS = 10_000;

/** The driver's connect timeout; BEGIN on a fresh connection gets as long. */
const CONNECT_TIMEOUT_MS = 10_000;

/** `p`, or `onExpire()`'s error once `ms` have passed without an answer. */
async function withDeadline<T>(p: Promise<T>, ms: number, onExpire: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(onExpire()), ms)));
  try {
    return await Promise.race([p, expired]);
  } finally {
    clearTimeout(timer);
  }
}

const BEGIN = 'BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY';

/**
 * Set once the server failed to answer in time, shared by a session and its forks: the server,
 * not one connection, stopped answering, so none of them waits for it again (a fork's ROLLBACK
 * on close would hold a failing scan for another full deadline), and each is dropped on close.
 */
interface ServerHealth {
  lost?: SourceTimeoutError;
}

class PostgresSession implements SourceSession {
  private lastTimeoutMs = CONNECT_TIMEOUT_MS;

  constructor(
    private readonly client: PoolClient,
    private readonly source: string,
    private readonly release: (err?: Error) => void,
    /** Up to `max` more clients of the same pool, as many as are free now (never waits). */
    private readonly spare?: (max: number) => Promise<PoolClient | undefined>[],
    private readonly health: ServerHealth = {},
  ) {}

  private get lost(): SourceTimeoutError | undefined {
    return this.health.lost;
  }

  /**
   * One round trip with a client-side deadline. statement_timeout is enforced by the server, so a
   * server that cannot answer (frozen, partitioned) cannot time out: past the timeout plus half
   * the grace (the server's own cancellation gets the first half) the query is abandoned, and
   * every later call of the session fails at once with the same error.
   */
  private send<T>(timeoutMs: number, run: () => Promise<T>): Promise<T> {
    if (this.lost) return Promise.reject(this.lost);
    this.lastTimeoutMs = timeoutMs;
    const waitMs = timeoutMs + deadlineGraceMs(timeoutMs) / 2;
    return withDeadline(run(), waitMs, () => (this.health.lost ??= new SourceTimeoutError(this.source, waitMs)));
  }

  async fork(max: number): Promise<SourceSession[]> {
    if (!this.spare || max <= 0) return [];
    let snapshot: string;
    try {
      snapshot = String((await this.send(this.lastTimeoutMs, () => this.client.query('SELECT pg_export_snapshot() AS id'))).rows[0].id);
    } catch {
      // Not allowed here (a standby, say): the failure aborted our transaction, so start it
      // again (nothing has been read yet) and run the queries one after another.
      await this.send(this.lastTimeoutMs, () => this.client.query('ROLLBACK'));
      await this.send(this.lastTimeoutMs, () => this.client.query(BEGIN));
      return [];
    }
    // Connected at once (a new backend costs milliseconds each); each imports the snapshot as its
    // transaction's first statement, so every fork reads what this session reads.
    const forks = await Promise.all(
      this.spare(max).map(async (pending): Promise<SourceSession | undefined> => {
        const client = await pending;
        if (!client) return undefined;
        try {
          await withDeadline(client.query(BEGIN), CONNECT_TIMEOUT_MS, () => new Error(`no answer to BEGIN within ${CONNECT_TIMEOUT_MS / 1000} s`));
          await withDeadline(client.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/'/g, "''")}'`), CONNECT_TIMEOUT_MS, () => new Error('no answer to SET TRANSACTION SNAPSHOT'));
          return new PostgresSession(client, this.source, (err) => client.release(err), undefined, this.health);
        } catch (e) {
          client.release(e as Error);
          return undefined;
        }
      }),
    );
    return forks.filter((f): f is SourceSession => f !== undefined);
  }

  /** Each query runs under a savepoint so one failing check does not abort the snapshot for the rest. */
  private async guarded<T>(timeoutMs: number, run: () => Promise<T>): Promise<T> {
    await this.send(timeoutMs, () => this.client.query(`SAVEPOINT datatrust_q; SET LOCAL statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`));
    try {
      const out = await this.send(timeoutMs, run);
      await this.send(timeoutMs, () => this.client.query('RELEASE SAVEPOINT datatrust_q'));
      return out;
    } catch (e) {
      if (this.lost) throw this.lost;
      await this.send(timeoutMs, () => this.client.query('ROLLBACK TO SAVEPOINT datatrust_q'));
      if ((e as { code?: string }).code === '57014') throw new QueryTimeoutError(timeoutMs);
      throw e;
    }
  }

  async query(sql: string, opts: QueryOptions): Promise<QueryResult> {
    const keyword = firstKeyword(sql);
    if (keyword !== 'select' && keyword !== 'with') throw new NotASelectError(`a statement starting with \`${keyword || sql.slice(0, 20)}\``);
    return this.guarded(opts.timeoutMs, async () => {
      // The extended protocol refuses several statements in one string.
      // (@types/pg does not declare queryMode yet; pg has supported it since 8.11.)
      const config: QueryArrayConfig & { queryMode: 'extended' } = { text: sql, rowMode: 'array', queryMode: 'extended' };
      const res = await this.client.query(config);
      const rows = (res.rows as unknown[][]).slice(0, opts.maxRows ?? Infinity).map((r) => r.map(toCell));
      return { columns: res.fields.map((f) => f.name), rows };
    });
  }

  async stream(sql: string, opts: QueryOptions, each: (chunk: RowChunk) => Promise<void>): Promise<{ columns: string[]; rows: number }> {
    const keyword = firstKeyword(sql);
    if (keyword !== 'select' && keyword !== 'with') throw new NotASelectError(`a statement starting with \`${keyword || sql.slice(0, 20)}\``);
    // A cursor of the session's read-only transaction: the server keeps the rows, we fetch a chunk at a time.
    return this.guarded(opts.timeoutMs, async () => {
      const declare: QueryConfig & { queryMode: 'extended' } = { text: `DECLARE datatrust_rows NO SCROLL CURSOR FOR ${sql}`, queryMode: 'extended' };
      await this.client.query(declare);
      let columns: string[] = [];
      let rows = 0;
      for (;;) {
        const res = await this.client.query({ text: `FETCH FORWARD ${STREAM_CHUNK_ROWS} FROM datatrust_rows`, rowMode: 'array' });
        columns = res.fields.map((f) => f.name);
        if (res.rows.length === 0) break;
        rows += res.rows.length;
        const cells = (res.rows as unknown[][]).map((r) => r.map(toCell));
        await each({ rowCount: cells.length, rows: () => cells });
      }
      await this.client.query('CLOSE datatrust_rows');
      return { columns, rows };
    });
  }

  async describe(relation: Relation, timeoutMs: number, samplePercent?: number): Promise<DescribedRelation> {
    if (relation.kind !== 'table') throw new Error('PostgreSQL sources read tables; file datasets need a duckdb source');
    const parts = relation.parts;
    const table = parts[parts.length - 1]!;
    const schema = parts.length >= 2 ? parts[parts.length - 2]! : null;
    const rows = await this.guarded(timeoutMs, async () => (await this.client.query({ text: DESCRIBE_SQL, values: [table, schema] })).rows as Record<string, unknown>[]);
    const first = rows[0];
    const exactOnly = relation.quoted[relation.quoted.length - 1];
    const match = rows.filter((r) => first && r.table_schema === first.table_schema && r.table_name === first.table_name);
    if (!first || (exactOnly && first.table_name !== table)) throw new Error(`table \`${parts.join('.')}\` not found (searched ${schema ? `schema ${schema}` : 'the search_path'})`);
    const resolved: Relation = { kind: 'table', parts: [String(first.table_schema), String(first.table_name)], quoted: [true, true] };
    const columns = match.map((r) => {
      const type = typeName(r);
      return { name: String(r.column_name), type, category: typeCategory(type) };
    });
    return { columns, fromSql: postgresDialect.from(resolved, samplePercent), resolved };
  }

  async listTables(timeoutMs: number): Promise<string[]> {
    const r = await this.query(
      "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN ('information_schema', 'pg_catalog') ORDER BY 1, 2",
      { kind: 'tables', timeoutMs },
    );
    return r.rows.map((row) => `${String(row[0])}.${String(row[1])}`);
  }

  async close(): Promise<void> {
    // A lost connection is dropped, not reused (pg destroys a socket with a query in flight).
    if (this.lost) return this.release(this.lost);
    try {
      await this.send(this.lastTimeoutMs, () => this.client.query('ROLLBACK'));
      // Some session state outlives a rollback (advisory locks taken by check SQL): reset it
      // before the pool hands the connection to the next scan.
      await this.send(this.lastTimeoutMs, () => this.client.query('DISCARD ALL'));
      this.release();
    } catch (e) {
      this.release(e as Error);
    }
  }

}

/**
 * A PostgreSQL database. Checks are pushed down: every query runs in PostgreSQL, inside a
 * read-only, repeatable-read transaction that is always rolled back.
 */
export class PostgresSource implements Source {
  readonly dialect = postgresDialect;
  private pool: Pool | undefined;

  constructor(private readonly config: PostgresSourceConfig) {}

  get name(): string {
    return this.config.name;
  }

  async open(): Promise<SourceSession> {
    this.pool ??= new Pool({
      connectionString: this.config.url,
      max: this.config.poolSize,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // Notices a peer that vanished (a partition) on idle and busy connections alike.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      idleTimeoutMillis: 30_000,
      application_name: 'datatrust',
      // Belt and braces: even a session that escaped our transaction could not write.
      options: '-c default_transaction_read_only=on',
    });
    // An idle client dropped by the server must not crash the process.
    this.pool.on('error', () => undefined);
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw new SourceUnavailableError(this.name, (e as Error).message || String((e as { code?: string }).code ?? e));
    }
    try {
      await withDeadline(client.query(BEGIN), CONNECT_TIMEOUT_MS, () => new Error(`no answer to BEGIN within ${CONNECT_TIMEOUT_MS / 1000} s`));
    } catch (e) {
      client.release(e as Error);
      throw new SourceUnavailableError(this.name, (e as Error).message);
    }
    return new PostgresSession(client, this.name, (err) => client.release(err), (max) => this.spare(max));
  }

  /**
   * As many pool clients (up to `max`) as are idle or may still be opened right now, less one
   * kept for another dataset's scan or a cross-dataset row count, counted once and requested in
   * the same tick, so none of them queues behind another scan's connections.
   */
  private spare(max: number): Promise<PoolClient | undefined>[] {
    const pool = this.pool;
    if (!pool || pool.waitingCount > 0) return [];
    const free = pool.idleCount + Math.max(0, this.config.poolSize - pool.totalCount) - 1;
    return Array.from({ length: Math.min(max, free) }, () => pool.connect().catch(() => undefined));
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }
}
