import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { S3SourceConfig } from '../../config/types';
import type { Relation } from '../dialect';
import { duckdbDialect } from '../duckdbDialect';
import { DuckDbSource } from '../duckdbSource';
import { type DescribedRelation, type QueryOptions, type QueryResult, type RowChunk, type S3Reader, type Source, type SourceSession, SourceUnavailableError } from '../source';
import { httpfsAvailability } from './httpfsProbe';
import { httpfsSecretSql } from './httpfsSecret';
import { ObjectCache } from './objectCache';
import { s3Client, SdkObjectStore } from './objectStore';
import { chooseReader, type HttpfsAvailability } from './readerChoice';
import { parseS3Url } from './s3Glob';

export interface S3SourceOptions {
  /** This source's cache folder (`<cache.path>/<source name>`). */
  cacheRoot: string;
  /** The `s3://` URLs of the datasets it serves: what httpfs may read. */
  urls: string[];
  threads?: number;
  memoryLimit?: string;
  /** Replaces the httpfs probe (tests). */
  httpfs?: () => Promise<HttpfsAvailability>;
}

type Reader = { kind: 'httpfs'; engine: DuckDbSource } | { kind: 'sdk'; engine: DuckDbSource; cache: ObjectCache };

/**
 * Files in S3, read by an in-memory DuckDB: straight from the bucket through httpfs, or through
 * the AWS SDK into a local mirror that DuckDB reads as local files. Either way check SQL may read
 * only the datasets' own files.
 */
export class S3Source implements Source {
  readonly dialect = duckdbDialect;
  private reader: Promise<Reader> | undefined;
  private client: S3Client | undefined;
  /** One sync per dataset per scan (a scan's describe, reference checks and row-count diffs share it). */
  private readonly synced = new Map<string, Promise<{ relation: Relation; reader: S3Reader }>>();

  constructor(
    private readonly config: S3SourceConfig,
    private readonly options: S3SourceOptions,
  ) {}

  get name(): string {
    return this.config.name;
  }

  private get sdk(): S3Client {
    this.client ??= s3Client(this.config);
    return this.client;
  }

  private engineConfig() {
    const { threads, memoryLimit } = this.options;
    return { name: this.config.name, type: 'duckdb' as const, path: ':memory:', isDefault: false, location: this.config.location, ...(threads ? { threads } : {}), ...(memoryLimit ? { memoryLimit } : {}) };
  }

  private async createReader(): Promise<Reader> {
    const availability = this.config.mode === 'sdk' ? undefined : await (this.options.httpfs ?? httpfsAvailability)();
    const choice = chooseReader(this.config.mode, () => availability!);
    if ('error' in choice) throw new SourceUnavailableError(this.name, choice.error);
    if (choice.reader === 'httpfs') {
      // Each dataset's own prefix, so check SQL cannot read the rest of the bucket.
      const directories = this.options.urls.map((u) => parseS3Url(u)).flatMap((l) => ('error' in l ? [] : [`s3://${l.bucket}/${l.prefix.slice(0, l.prefix.lastIndexOf('/') + 1)}`]));
      const setup = async (conn: DuckDBConnection) => {
        const region = await this.sdk.config.region();
        const credentials = this.config.credentials ?? (await this.sdk.config.credentials().catch(() => undefined));
        await conn.run('LOAD httpfs');
        await conn.run(httpfsSecretSql(this.config, region, credentials));
      };
      return { kind: 'httpfs', engine: new DuckDbSource(this.engineConfig(), { directories, files: [] }, setup) };
    }
    const cache = new ObjectCache(this.options.cacheRoot, new SdkObjectStore(this.sdk), { maxBytes: this.config.cache.maxSizeBytes });
    return { kind: 'sdk', engine: new DuckDbSource(this.engineConfig(), { directories: [cache.readableRoot], files: [] }), cache };
  }

  /** The relation DuckDB reads for an `s3://` dataset, syncing the cache first for the SDK reader. */
  async localRelation(relation: Relation, timeoutMs: number): Promise<{ relation: Relation; reader?: S3Reader }> {
    if (relation.kind !== 'files' || !relation.path.startsWith('s3://')) return { relation };
    const reader = await this.reader!;
    if (reader.kind === 'httpfs') return { relation, reader: { kind: 'httpfs' } };
    let pending = this.synced.get(relation.path);
    if (!pending) {
      const location = parseS3Url(relation.path);
      if ('error' in location) throw new Error(location.error);
      pending = (async () => {
        const signal = AbortSignal.timeout(timeoutMs);
        try {
          const r = await reader.cache.sync(location, signal);
          const { localPath, ...counts } = r;
          return { relation: { ...relation, path: localPath }, reader: { kind: 'sdk' as const, ...counts } };
        } catch (e) {
          if (signal.aborted) throw new Error(`copying ${relation.path} into the cache took longer than scan.query_timeout (${Math.round(timeoutMs / 1000)} s); raise it, or read through httpfs`);
          throw e;
        }
      })();
      this.synced.set(relation.path, pending);
      pending.catch(() => this.synced.delete(relation.path));
    }
    return pending;
  }

  async open(): Promise<SourceSession> {
    this.reader ??= this.createReader();
    let reader: Reader;
    try {
      reader = await this.reader;
    } catch (e) {
      this.reader = undefined;
      throw e instanceof SourceUnavailableError ? e : new SourceUnavailableError(this.name, (e as Error).message);
    }
    return new S3Session(this, await reader.engine.open());
  }

  async close(): Promise<void> {
    const pending = this.reader;
    this.reader = undefined;
    this.synced.clear();
    this.client?.destroy();
    this.client = undefined;
    if (pending) await (await pending.catch(() => undefined))?.engine.close();
  }
}

/** A DuckDB session whose `s3://` relations are read where the reader put them. */
class S3Session implements SourceSession {
  readonly fork?: (max: number) => Promise<SourceSession[]>;

  constructor(
    private readonly source: S3Source,
    private readonly inner: SourceSession,
  ) {
    const fork = inner.fork?.bind(inner);
    if (fork) this.fork = async (max) => (await fork(max)).map((s) => new S3Session(source, s));
  }

  async describe(relation: Relation, timeoutMs: number, samplePercent?: number): Promise<DescribedRelation> {
    const local = await this.source.localRelation(relation, timeoutMs);
    const described = await this.inner.describe(local.relation, timeoutMs, samplePercent);
    return { ...described, ...(local.reader ? { reader: local.reader } : {}) };
  }

  query(sql: string, opts: QueryOptions): Promise<QueryResult> {
    return this.inner.query(sql, opts);
  }

  stream(sql: string, opts: QueryOptions, each: (chunk: RowChunk) => Promise<void>): Promise<{ columns: string[]; rows: number }> {
    return this.inner.stream(sql, opts, each);
  }

  listTables(timeoutMs: number): Promise<string[]> {
    return this.inner.listTables(timeoutMs);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** `<cache.path or s3-cache beside the state file>/<source>`: sources never share files. */
export function s3CacheRoot(config: S3SourceConfig, stateFile: string): string {
  return join(config.cache.path ?? join(stateFile, '..', 's3-cache'), config.name);
}
