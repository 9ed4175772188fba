import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDbSourceConfig } from '../config/types';
import type { HttpDatasetSettings } from '../config/httpDataset';
import { formatMemorySize } from '../limits/memorySize';
import { duckdbDefaults } from '../limits/resourceBudget';
import { duckdbDialect } from '../sources/duckdbDialect';
import { DuckDbSession } from '../sources/duckdbSource';
import { type Source, type SourceSession, SourceUnavailableError } from '../sources/source';
import { type FetchTiming, REAL_TIMING } from './fetchPage';
import { fetchRecords } from './fetchRecords';
import { HttpDatasetError } from './httpDatasetError';
import { loadRecords } from './loadRecords';

/**
 * The fetch is one source call to the scan watchdog, which stops a worker at `query_timeout`
 * plus its grace: 90% of the timeout leaves the rest for loading the records.
 */
export function httpFetchBudgetMs(queryTimeoutMs: number): number {
  return Math.floor(queryTimeoutMs * 0.9);
}

/**
 * The engine of one HTTP dataset: when first opened in a scan it fetches every page, then loads
 * the records into an in-memory DuckDB (a table named after the dataset) that reads nothing else.
 * The scan's sessions read that table; closing the source drops it, so each scan fetches afresh.
 */
export class HttpDatasetSource implements Source {
  readonly dialect = duckdbDialect;
  private instance: Promise<DuckDBInstance> | undefined;

  constructor(
    private readonly config: DuckDbSourceConfig & { http: { dataset: string; settings: HttpDatasetSettings } },
    /** The whole fetch (all pages, retries and waits) must end within this, as one source call. */
    private readonly fetchTimeoutMs: number,
    private readonly timing: FetchTiming = REAL_TIMING,
  ) {}

  get name(): string {
    return this.config.name;
  }

  private async create(): Promise<DuckDBInstance> {
    const { dataset, settings } = this.config.http;
    const fetched = await fetchRecords(settings, this.timing.now() + this.fetchTimeoutMs, this.timing);
    const fallback = duckdbDefaults(1, false);
    const instance = await DuckDBInstance.create(':memory:', {
      autoinstall_known_extensions: 'false',
      threads: String(this.config.threads ?? fallback.threads),
      memory_limit: this.config.memoryLimit ?? formatMemorySize(fallback.memoryLimitBytes),
    });
    try {
      const conn = await instance.connect();
      try {
        await loadRecords(conn, dataset, fetched.records);
        // Check SQL reads the loaded records and nothing else: no files, no network.
        await conn.run('SET enable_external_access = false');
        await conn.run('SET lock_configuration = true');
      } finally {
        conn.closeSync();
      }
    } catch (e) {
      instance.closeSync();
      throw new HttpDatasetError(`loading the records of \`${dataset}\` failed: ${(e as Error).message}`, settings.secrets);
    }
    return instance;
  }

  async open(): Promise<SourceSession> {
    this.instance ??= this.create();
    let instance: DuckDBInstance;
    try {
      instance = await this.instance;
    } catch (e) {
      this.instance = undefined;
      throw new SourceUnavailableError(this.name, e instanceof HttpDatasetError ? e.message : new HttpDatasetError(String((e as Error)?.message ?? e), this.config.http.settings.secrets).message);
    }
    return new DuckDbSession(await instance.connect());
  }

  async close(): Promise<void> {
    const pending = this.instance;
    this.instance = undefined;
    if (pending) (await pending.catch(() => undefined))?.closeSync();
  }
}
