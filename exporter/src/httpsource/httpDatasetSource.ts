import type { DuckDbSourceConfig } from '../config/types';
import type { HttpDatasetSettings } from '../config/httpDataset';
import { DuckDbSource } from '../sources/duckdbSource';
import { REAL_TIMING } from './fetchPage';
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
 * The engine of one HTTP dataset: an in-memory DuckDB that, when first opened in a scan, fetches
 * every page and loads the records into a table named after the dataset, then reads nothing else
 * (no files, no network: DuckDbSource locks that down after loading). Closing the source drops
 * it, so each scan fetches afresh.
 */
export function httpDatasetSource(
  config: DuckDbSourceConfig & { http: { dataset: string; settings: HttpDatasetSettings } },
  /** The whole fetch (all pages, retries and waits) must end within this, as one source call. */
  fetchTimeoutMs: number,
): DuckDbSource {
  const { dataset, settings } = config.http;
  return new DuckDbSource(config, { directories: [], files: [] }, async (conn) => {
    let records;
    try {
      ({ records } = await fetchRecords(settings, REAL_TIMING.now() + fetchTimeoutMs, REAL_TIMING));
    } catch (e) {
      // Every message leaving here is redacted: an API may echo the credentials it was sent.
      throw e instanceof HttpDatasetError ? e : new HttpDatasetError(String((e as Error)?.message ?? e), settings.secrets);
    }
    try {
      await loadRecords(conn, dataset, records);
    } catch (e) {
      throw new HttpDatasetError(`loading the records of \`${dataset}\` failed: ${(e as Error).message}`, settings.secrets);
    }
  });
}
