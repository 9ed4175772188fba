import type { HttpDatasetSettings } from '../config/httpDataset';
import { networkReason } from '../http/networkReason';
import { HttpDatasetError } from './httpDatasetError';
import { foreignOrigin } from './origin';
import { retryAfterMs } from '../http/retryAfter';
import { type Backoff, backoffMs, DEFAULT_BACKOFF, isRetryableStatus } from './retryPolicy';

/** What all pages of one fetch share: bytes still allowed and the moment it must be done by. */
export interface FetchBudget {
  bytesLeft: number;
  /** Epoch ms. */
  deadline: number;
}

export interface FetchTiming {
  backoff: Backoff;
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const REAL_TIMING: FetchTiming = {
  backoff: DEFAULT_BACKOFF,
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  random: Math.random,
};

export interface PageAnswer {
  text: string;
  link: string | null;
  /** Requests made for this page (1 without retries). */
  attempts: number;
}

type Attempt = { ok: PageAnswer } | { retry: string; waitMs?: number } | { fail: string };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** Error answers are quoted this far: enough for an API's own explanation. */
const SNIPPET_BYTES = 300;

function shown(method: string, url: string): string {
  return `${method} ${url}`;
}

/** Reads the body as it arrives, stopping the moment the fetch's byte budget is spent. */
async function readCapped(res: Response, budget: FetchBudget): Promise<string | { tooLarge: true }> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > budget.bytesLeft) {
    await res.body?.cancel().catch(() => undefined);
    return { tooLarge: true };
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    budget.bytesLeft -= value.byteLength;
    if (budget.bytesLeft < 0) {
      await reader.cancel().catch(() => undefined);
      return { tooLarge: true };
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function snippet(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < SNIPPET_BYTES) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (done || !value) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  const text = Buffer.concat(chunks).toString('utf8').slice(0, SNIPPET_BYTES).replace(/\s+/g, ' ').trim();
  return text ? `: ${text}` : '';
}

async function attempt(url: string, settings: HttpDatasetSettings, budget: FetchBudget, timing: FetchTiming): Promise<Attempt> {
  const what = shown(settings.method, url);
  const timeoutMs = Math.min(settings.timeoutMs, budget.deadline - timing.now());
  if (timeoutMs <= 0) return { fail: `${what}: no time left within the fetch's deadline (90% of scan.query_timeout)` };
  const headers: Record<string, string> = { ...settings.headers };
  const has = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
  if (!has('accept')) headers.accept = 'application/json';
  if (settings.body !== undefined && !has('content-type')) headers['content-type'] = 'application/json';
  const foreign = foreignOrigin(url, settings.url);
  if (foreign !== undefined) return { fail: `${what}: ${foreign} is not the origin of http.url; the configured headers are sent to that origin only` };
  const signal = AbortSignal.timeout(timeoutMs);
  let res: Response;
  let at = url;
  try {
    for (let hops = 0; ; hops++) {
      let request: Request;
      try {
        request = new Request(at, { method: settings.method, headers, signal, redirect: 'manual', ...(settings.body !== undefined ? { body: settings.body } : {}) });
      } catch (e) {
        // Nothing was sent, and retrying the same URL cannot help (e.g. credentials in it).
        return { fail: `${what}: the request cannot be made: ${(e as Error).message}` };
      }
      // Redirects are followed by hand: fetch would carry custom headers (an X-Api-Key) to any host.
      res = await fetch(request);
      const location = REDIRECTS.has(res.status) ? res.headers.get('location') : null;
      if (location === null) break;
      await res.body?.cancel().catch(() => undefined);
      const next = new URL(location, at);
      // Compared with the configured URL, not this page's: a page is never trusted to widen where headers go.
      const elsewhere = foreignOrigin(next.href, settings.url);
      if (elsewhere !== undefined) return { fail: `${what} redirects to another origin, ${elsewhere}: credentials are not sent there; configure that URL instead` };
      if (hops === MAX_REDIRECTS) return { fail: `${what}: more than ${MAX_REDIRECTS} redirects` };
      at = next.href;
    }
  } catch (e) {
    return { retry: signal.aborted ? `${what}: no answer within ${timeoutMs / 1000} s (http.timeout)` : `${what} failed: ${networkReason(e)}` };
  }
  if (!res.ok) {
    const why = `${what} answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${await snippet(res)}`;
    if (!isRetryableStatus(res.status)) return { fail: why };
    const waitMs = retryAfterMs(res.headers.get('retry-after'), timing.now());
    return { retry: why, ...(waitMs !== undefined ? { waitMs } : {}) };
  }
  try {
    const text = await readCapped(res, budget);
    if (typeof text !== 'string') return { fail: `${what}: the answers passed http.max_bytes (${settings.maxBytes} bytes in all); the fetch was stopped` };
    return { ok: { text, link: res.headers.get('link'), attempts: 1 } };
  } catch (e) {
    return { retry: signal.aborted ? `${what}: the answer did not complete within ${timeoutMs / 1000} s (http.timeout)` : `${what}: reading the answer failed: ${networkReason(e)}` };
  }
}

/**
 * One page: retried after a 429, a 5xx, a timeout or a network failure, up to `http.retries`
 * times, waiting as `Retry-After` asks or else with exponential backoff; never past the deadline.
 */
export async function fetchPage(url: string, settings: HttpDatasetSettings, budget: FetchBudget, timing: FetchTiming = REAL_TIMING): Promise<PageAnswer> {
  for (let n = 0; ; n++) {
    const a = await attempt(url, settings, budget, timing);
    if ('ok' in a) return { ...a.ok, attempts: n + 1 };
    if ('fail' in a) throw new HttpDatasetError(a.fail, settings.secrets);
    if (n >= settings.retries) throw new HttpDatasetError(`${a.retry} (after ${n + 1} attempt${n ? 's' : ''}, http.retries: ${settings.retries})`, settings.secrets);
    const wait = a.waitMs ?? backoffMs(n, timing.backoff, timing.random);
    if (timing.now() + wait > budget.deadline) {
      const asked = a.waitMs !== undefined ? `Retry-After asks for ${Math.ceil(wait / 1000)} s` : `the next retry is due in ${Math.ceil(wait / 1000)} s`;
      throw new HttpDatasetError(`${a.retry}; ${asked}, past the fetch's deadline (90% of scan.query_timeout)`, settings.secrets);
    }
    await timing.sleep(wait);
  }
}
