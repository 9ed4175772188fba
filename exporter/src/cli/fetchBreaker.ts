import { networkReason } from '../http/networkReason';
import { interpretResponse, type PollResult } from './gateResponse';

export interface FetchBreakerOptions {
  /** Exporter base URL; may carry a path prefix when behind a proxy (`https://host/datatrust`). */
  baseUrl: URL;
  dataset: string;
  /** Long-poll: the server holds the request up to this long while the breaker is open. 0 asks at once. */
  waitSeconds: number;
  timeoutMs: number;
  token?: string;
  now?: () => number;
}

/** `{base}/api/v1/breakers/{dataset}?wait=Ns`, keeping any path prefix of the base URL. */
export function breakerUrl(baseUrl: URL, dataset: string, waitSeconds: number): URL {
  const url = new URL(baseUrl.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/breakers/${encodeURIComponent(dataset)}`;
  url.search = '';
  if (waitSeconds > 0) url.searchParams.set('wait', `${waitSeconds}s`);
  return url;
}

/** One ask of the exporter. Never throws: every outcome is a PollResult. */
export async function fetchBreaker(opts: FetchBreakerOptions): Promise<PollResult> {
  const now = opts.now ?? Date.now;
  const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'datatrust-light-gate' };
  if (opts.token) headers['Authorization'] = `Bearer ${opts.token}`;
  const signal = AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await fetch(breakerUrl(opts.baseUrl, opts.dataset, opts.waitSeconds), { headers, signal });
    const text = await res.text();
    return interpretResponse(opts.dataset, res.status, text, res.headers.get('retry-after'), now());
  } catch (e) {
    if (signal.aborted) return { kind: 'unreachable', reason: `no answer within ${Math.round(opts.timeoutMs / 1000)}s` };
    return { kind: 'unreachable', reason: networkReason(e) };
  }
}
