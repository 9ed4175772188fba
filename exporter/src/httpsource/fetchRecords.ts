import type { HttpDatasetSettings } from '../config/httpDataset';
import { type FetchTiming, fetchPage, REAL_TIMING } from './fetchPage';
import { type FlatRecord, flattenRecord } from './flatten';
import { HttpDatasetError } from './httpDatasetError';
import { foreignOrigin } from './origin';
import { firstUrl, nextPage } from './pagination';
import { recordsAt } from './recordsAt';

export interface FetchedRecords {
  records: FlatRecord[];
  pages: number;
  /** Requests made, retries included. */
  requests: number;
  bytes: number;
}

/**
 * Every page of an HTTP dataset, flattened. Anything that would leave the dataset partial or
 * wrong (a page that is not JSON or has no records list, more pages than `http.max_pages`, the
 * byte cap, the deadline) throws: the dataset's checks then end `error`, never `pass`.
 */
export async function fetchRecords(settings: HttpDatasetSettings, deadline: number, timing: FetchTiming = REAL_TIMING): Promise<FetchedRecords> {
  const budget = { bytesLeft: settings.maxBytes, deadline };
  const records: FlatRecord[] = [];
  const fail = (message: string): never => {
    throw new HttpDatasetError(message, settings.secrets);
  };
  let url = firstUrl(settings);
  let requests = 0;
  for (let index = 0; ; index++) {
    if (index === settings.maxPages) {
      fail(`${settings.method} ${url}: there are more than ${settings.maxPages} pages (http.max_pages); the dataset would be incomplete, so it is not scanned. Raise max_pages or narrow the query`);
    }
    const page = await fetchPage(url, settings, budget, timing);
    requests += page.attempts;
    const where = `page ${index + 1} (${settings.method} ${url})`;
    let answer: unknown;
    try {
      answer = JSON.parse(page.text);
    } catch (e) {
      return fail(`${where} is not JSON: ${(e as Error).message}`);
    }
    const found = recordsAt(answer, settings.records);
    if (!Array.isArray(found)) return fail(`${where}: ${found.error}`);
    for (const [i, r] of found.entries()) {
      const flat = flattenRecord(r);
      if ('error' in flat) return fail(`${where}, record ${i + 1}: ${flat.error}`);
      records.push(flat);
    }
    const next = nextPage(settings.pagination, { url, link: page.link, answer, records: found.length, total: records.length, index });
    if ('error' in next) return fail(`${where}: ${next.error}`);
    if ('done' in next) return { records, pages: index + 1, requests, bytes: settings.maxBytes - budget.bytesLeft };
    // A `Link` header may name any host; the configured headers must not follow it there.
    const foreign = foreignOrigin(next.url, settings.url);
    if (foreign !== undefined) return fail(`${where}: its next page is at another origin, ${foreign}; the configured headers are sent only to ${new URL(settings.url).origin}, the origin of http.url`);
    url = next.url;
  }
}
