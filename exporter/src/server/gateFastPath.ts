import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BreakerView } from '../breaker/types';
import type { LiveSnapshot } from '../service/liveState';

/** What the fast path reads: the service's snapshot, a counter that moves on every view change, and the view. */
export interface GateViews {
  readonly snapshot: LiveSnapshot;
  readonly viewEpoch: number;
  view(dataset: string): BreakerView | undefined;
}

const PREFIX = '/api/v1/breakers/';

/**
 * The gate is polled by every pipeline, so its plain form (`GET /api/v1/breakers/{dataset}`,
 * no query) is answered without Express from responses cached until the next state change.
 * Everything else (long polls, unknown datasets, every other route) falls through to Express.
 * Returns true when it answered.
 */
export function createGateFastPath(views: GateViews, headers: Record<string, string>): (req: IncomingMessage, res: ServerResponse) => boolean {
  let cache = new Map<string, { status: number; body: string; head: Record<string, string> }>();
  let cachedFor: { snapshot: LiveSnapshot; epoch: number } | undefined;
  const base = { ...headers, 'content-type': 'application/json; charset=utf-8' };
  return (req, res) => {
    const url = req.url ?? '';
    if (req.method !== 'GET' || !url.startsWith(PREFIX) || url.includes('?')) return false;
    const raw = url.slice(PREFIX.length);
    if (raw === '' || raw.includes('/')) return false;
    let dataset: string;
    try {
      dataset = decodeURIComponent(raw);
    } catch {
      return false;
    }
    if (!cachedFor || cachedFor.snapshot !== views.snapshot || cachedFor.epoch !== views.viewEpoch) {
      cache = new Map();
      cachedFor = { snapshot: views.snapshot, epoch: views.viewEpoch };
    }
    let hit = cache.get(dataset);
    if (!hit) {
      const view = views.view(dataset);
      if (!view) return false;
      const status = view.state === 'open' ? 423 : 200;
      // A string body lets Node join it to the status line and headers in one chunk (a Buffer
      // body is written as a second one).
      const body = JSON.stringify(view);
      // Built once per answer: building header objects per request costs more than everything
      // else this path does (and Node handles an object faster than a flat array).
      const head: Record<string, string> = { ...base, 'content-length': String(Buffer.byteLength(body)), ...(status === 423 ? { 'retry-after': '30' } : {}) };
      hit = { status, body, head };
      cache.set(dataset, hit);
    }
    res.writeHead(hit.status, hit.head);
    res.end(hit.body);
    return true;
  };
}
