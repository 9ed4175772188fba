/**
 * `datasets.<name>.http`: a JSON API whose records are fetched at every scan and read by an
 * in-memory DuckDB (httpsource/). Durations and sizes are already resolved.
 */
export type HttpPagination =
  /** Follow `Link: <…>; rel="next"` (RFC 8288) until there is none. */
  | { type: 'link_header' }
  /** Send the answer's `cursorField` back as query parameter `param` until it is missing, null or empty. */
  | { type: 'cursor'; cursorField: string[]; param: string }
  /** `param` = start, start + 1, … until a page has no records (or fewer than `size`). */
  | { type: 'page'; param: string; start: number; sizeParam?: string; size?: number }
  /** `param` = 0, then the number of records received so far, until a page has fewer than `size`. */
  | { type: 'offset'; param: string; sizeParam?: string; size: number };

export interface HttpDatasetSettings {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Query parameters added to the first request's URL. */
  query: Record<string, string>;
  /** JSON body of a POST, sent as written. */
  body?: string;
  /** Where the records are in each JSON answer (`data.items` → ['data', 'items']); empty: the answer is the array. */
  records: string[];
  pagination?: HttpPagination;
  /** More pages than this is an error: a truncated dataset must not pass as complete. */
  maxPages: number;
  /** Per request, until the whole answer has arrived. */
  timeoutMs: number;
  /** Extra attempts of a request after a 429, a 5xx, a timeout or a network failure. */
  retries: number;
  /** All pages together, as received; the fetch stops the moment it is passed. */
  maxBytes: number;
  /** Values that came from the environment: never shown in a message, log line or result. */
  secrets: string[];
}

export const HTTP_DATASET_DEFAULTS = { maxPages: 100, timeoutMs: 30_000, retries: 3, maxBytes: 64 * 2 ** 20 };
