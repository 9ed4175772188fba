import type { DuckDBDataChunk } from '@duckdb/node-api';
import type { Dialect, Relation } from './dialect';
import type { TypeCategory } from './typeCategory';

export interface ColumnInfo {
  name: string;
  /** The engine's type name, e.g. `DECIMAL(18,2)` or `character varying`. */
  type: string;
  category: TypeCategory;
}

/** JSON-safe cell: big integers beyond 2^53 and decimals that would lose digits stay strings. */
export type Cell = string | number | boolean | null;

export interface QueryResult {
  columns: string[];
  rows: Cell[][];
}

/** Some rows of a streamed result. */
export interface RowChunk {
  readonly rowCount: number;
  rows(): Cell[][];
  /**
   * DuckDB's own chunk, from a DuckDB source: a DuckDB appender takes it whole, some 25× faster
   * than converting every value to JavaScript and back (a key index rebuild copies every key).
   */
  readonly duckdb?: DuckDBDataChunk;
}

/** Why a query runs; lets tests and metrics count queries per kind. */
export type QueryKind = 'metadata' | 'aggregate' | 'duplicates' | 'outliers' | 'reference' | 'user' | 'failed_rows' | 'row_count' | 'samples' | 'probe' | 'tables';

export interface QueryOptions {
  kind: QueryKind;
  timeoutMs: number;
  /** Stop reading after this many rows. */
  maxRows?: number;
  /** Cancels the running query (where the engine allows it) when aborted. */
  signal?: AbortSignal;
}

export interface DescribedRelation {
  columns: ColumnInfo[];
  /** The relation's FROM item with names resolved against the catalog and quoted. */
  fromSql: string;
  /** The relation as it resolved: the catalog's own spelling, for reference checks. */
  resolved: Relation;
  /** Files on S3: which reader read them (sources/s3/). */
  reader?: S3Reader;
}

/** How an S3 dataset was read: DuckDB's httpfs straight from the bucket, or the SDK into the local cache. */
export type S3Reader =
  | { kind: 'httpfs' }
  | { kind: 'sdk'; objects: number; downloaded: number; downloadedBytes: number; removed: number; evicted: number };

/**
 * One unit of work against a source, typically a dataset scan: one connection, and on
 * PostgreSQL one read-only snapshot, so all of a dataset's checks see the same data.
 */
export interface SourceSession {
  describe(relation: Relation, timeoutMs: number, samplePercent?: number): Promise<DescribedRelation>;
  /** Runs one SELECT. Anything else (DDL, DML, several statements) is refused before it runs. */
  query(sql: string, opts: QueryOptions): Promise<QueryResult>;
  /**
   * Runs one SELECT and hands its rows to `each` a chunk at a time, awaiting each, so a result
   * larger than memory (every key of a table) can be copied elsewhere. Refused like `query`.
   */
  stream(sql: string, opts: QueryOptions, each: (chunk: RowChunk) => Promise<void>): Promise<{ columns: string[]; rows: number }>;
  /** Tables visible in the source, as `schema.table`, for `for each dataset` patterns. */
  listTables(timeoutMs: number): Promise<string[]>;
  /**
   * Up to `max` more sessions reading the very same snapshot, for queries that may run at once;
   * fewer (or none) when the pool has no idle capacity: it never waits for a connection. Call
   * it before reading data. (DuckDB's connections share one engine and its threads: forks help
   * only statements that cannot use every thread alone, such as reads of one Parquet row group.)
   */
  fork?(max: number): Promise<SourceSession[]>;
  close(): Promise<void>;
}

export interface Source {
  readonly name: string;
  readonly dialect: Dialect;
  open(): Promise<SourceSession>;
  close(): Promise<void>;
}

/** A source could not be reached or opened: every check on it is an error, never a pass. */
export class SourceUnavailableError extends Error {
  constructor(source: string, reason: string) {
    super(`source \`${source}\` is unavailable: ${reason}`);
    this.name = 'SourceUnavailableError';
  }
}

export class QueryTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`query cancelled after the ${Math.round(timeoutMs / 1000)}s query timeout (scan.query_timeout)`);
    this.name = 'QueryTimeoutError';
  }
}

/**
 * The engine did not answer at all, not even to cancel (a frozen server, a network partition):
 * the query was abandoned on the client side and its connection closed.
 */
export class SourceTimeoutError extends QueryTimeoutError {
  constructor(source: string, waitedMs: number) {
    super(waitedMs);
    this.message = `source \`${source}\` did not answer within ${Math.round(waitedMs / 100) / 10} s (scan.query_timeout plus grace): the query was abandoned and its connection closed`;
    this.name = 'SourceTimeoutError';
  }
}

/** SQL that is not a single SELECT: user SQL in checks must only read. */
export class NotASelectError extends Error {
  constructor(what: string) {
    super(`only a single SELECT may run in a check; refused ${what}`);
    this.name = 'NotASelectError';
  }
}
