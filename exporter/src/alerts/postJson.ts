import { networkReason } from '../http/networkReason';
import { redact, secretsOf } from './redact';
import { oneLine, truncate } from './truncate';
import { DeliveryError } from './types';

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Enough of an error body to tell `invalid_payload` from `no_service`; bodies can be huge HTML pages. */
const EXCERPT_BYTES = 2048;
const EXCERPT_CHARS = 200;

export interface PostJsonOptions {
  /** How errors name the receiver, e.g. "slack channel `alerts`". Never the URL: it may hold a secret. */
  label: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** The caller's cancellation (shutdown); combined with the timeout. */
  signal?: AbortSignal;
}

/**
 * What a receiver's status means for the outbox: 5xx and 429 (rate limited) say "try later", and
 * so does 408 (the receiver timed out reading us). Other 4xx say the request itself is wrong,
 * which a retry would repeat. Redirects are not followed (see postJson), so 3xx is permanent too.
 */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/** Reads at most EXCERPT_BYTES of a body and drops the rest, so one bad receiver cannot make us buffer megabytes. */
async function bodyExcerpt(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = Buffer.from(value as Uint8Array);
      chunks.push(chunk);
      size += chunk.length;
    }
  } catch {
    // A body that breaks off midway: the status alone still classifies the failure.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
}

/** Headers we set ourselves, with nothing secret in them. */
const PUBLIC_HEADERS = new Set(['content-type', 'user-agent', 'idempotency-key']);

/** Lets undici reuse the connection without reading a success body we do not need. */
async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => undefined);
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

/**
 * POSTs `body` as JSON and resolves on any 2xx. Every failure becomes a DeliveryError whose
 * `retryable` tells the outbox whether to try again, and whose message never contains the URL
 * (Slack and webhook URLs are credentials). Redirects are not followed: headers such as
 * Authorization must reach only the configured receiver.
 */
export async function postJson(url: string, body: unknown, opts: PostJsonOptions): Promise<void> {
  // Header values (an Authorization token, say) are secrets too: a receiver may echo them back.
  const headerSecrets = Object.entries(opts.headers ?? {})
    .filter(([name]) => !PUBLIC_HEADERS.has(name.toLowerCase()))
    .flatMap(([, v]) => [v, ...v.split(/\s+/)].filter((x) => x.length >= 8));
  const secrets = [...secretsOf(url), ...headerSecrets];
  const clean = (text: string) => truncate(oneLine(redact(text, secrets)), EXCERPT_CHARS);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  const headers = new Headers(opts.headers);
  headers.set('Content-Type', 'application/json');

  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal, redirect: 'manual' });
  } catch (e) {
    if (timeout.aborted) throw new DeliveryError(`${opts.label}: no response within ${seconds(timeoutMs)}`, true);
    if (opts.signal?.aborted) throw new DeliveryError(`${opts.label}: delivery cancelled`, true);
    throw new DeliveryError(`${opts.label}: network error: ${clean(networkReason(e))}`, true);
  }
  if (res.ok) {
    await discard(res);
    return;
  }
  const excerpt = clean(await bodyExcerpt(res));
  const retryable = isRetryableStatus(res.status);
  const retryAfter = res.headers.get('retry-after');
  const parts = [`HTTP ${res.status}${res.statusText ? ` ${clean(res.statusText)}` : ''}`];
  if (res.status >= 300 && res.status < 400) parts.push('redirects are not followed, configure the final URL');
  if (retryAfter) parts.push(`retry after ${clean(retryAfter)}`);
  if (excerpt) parts.push(excerpt);
  throw new DeliveryError(`${opts.label}: ${parts.join(': ')}`, retryable);
}
