import { parseDuration } from '../checks/duration';

/**
 * `30m`, `15s`, `1h30m` (SodaCL durations), or bare seconds (`90`), as milliseconds. Throws an
 * Error whose message states what is accepted.
 */
export function parseGateDuration(text: string): number {
  const trimmed = text.trim();
  const seconds = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : parseDuration(trimmed);
  if (seconds === undefined || !Number.isFinite(seconds)) throw new Error(`expected a duration such as 30m, 15s or 1h30m, got "${text}"`);
  return Math.round(seconds * 1000);
}

/** Like parseGateDuration, but 0 is refused: an interval of 0 would poll in a hot loop. */
export function parseGateInterval(text: string): number {
  const ms = parseGateDuration(text);
  if (ms <= 0) throw new Error(`the interval must be more than 0, got "${text}"`);
  return ms;
}

/**
 * The exporter's base URL: http(s), without credentials (fetch refuses them, and they would be
 * printed in progress lines; use --token), query or fragment.
 */
export function parseExporterUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`expected an http(s) URL such as http://127.0.0.1:8470, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`expected an http(s) URL, got ${url.protocol}`);
  if (url.username || url.password) throw new Error('the URL must not contain credentials; pass a token with --token or DATATRUST_API_TOKEN');
  if (url.search || url.hash) throw new Error('the URL must be the exporter base URL, without ?query or #fragment');
  return url;
}
