import { networkReason } from '../http/networkReason';
import { interpretResponse, type PollResult } from './gateResponse';

/** One ask of a gate endpoint. */
export interface FetchGateOptions {
  /** Exporter base URL; may carry a path prefix when behind a proxy (`https://host/datatrust`). */
  baseUrl: URL;
  /** Long-poll: the server holds the request up to this long while the gate is open. 0 asks at once. */
  waitSeconds: number;
  timeoutMs: number;
  token?: string;
  now?: () => number;
}

export interface FetchBreakerOptions extends FetchGateOptions {
  dataset: string;
}

/** `{base}{path}?wait=Ns`, keeping any path prefix of the base URL. `path` is already encoded. */
export function gateUrl(baseUrl: URL, path: string, waitSeconds: number): URL {
  const url = new URL(baseUrl.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = '';
  if (waitSeconds > 0) url.searchParams.set('wait', `${waitSeconds}s`);
  return url;
}

/** `{base}/api/v1/breakers/{dataset}?wait=Ns`. */
export function breakerUrl(baseUrl: URL, dataset: string, waitSeconds: number): URL {
  return gateUrl(baseUrl, `/api/v1/breakers/${encodeURIComponent(dataset)}`, waitSeconds);
}

/** Reads one answer of a gate endpoint into a PollResult. */
export type GateInterpreter<V> = (status: number, bodyText: string, retryAfter: string | null, now: number) => PollResult<V>;

/** GETs a gate URL. Never throws: every outcome is a PollResult. */
export async function fetchGate<V>(url: URL, opts: FetchGateOptions, interpret: GateInterpreter<V>): Promise<PollResult<V>> {
  const now = opts.now ?? Date.now;
  const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'datatrust-light-gate' };
  if (opts.token) headers['Authorization'] = `Bearer ${opts.token}`;
  const signal = AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await fetch(url, { headers, signal });
    const text = await res.text();
    return interpret(res.status, text, res.headers.get('retry-after'), now());
  } catch (e) {
    if (signal.aborted) return { kind: 'unreachable', reason: `no answer within ${Math.round(opts.timeoutMs / 1000)}s` };
    return { kind: 'unreachable', reason: networkReason(e) };
  }
}

/** One ask of `GET /api/v1/breakers/{dataset}`. Never throws. */
export function fetchBreaker(opts: FetchBreakerOptions): Promise<PollResult> {
  return fetchGate(breakerUrl(opts.baseUrl, opts.dataset, opts.waitSeconds), opts, (status, text, retryAfter, now) => interpretResponse(opts.dataset, status, text, retryAfter, now));
}
