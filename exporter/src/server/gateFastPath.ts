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
  let cache = new Map<string, { status: number; body: Buffer; head: string[] }>();
  let cachedFor: { snapshot: LiveSnapshot; epoch: number } | undefined;
  const base = Object.entries({ ...headers, 'content-type': 'application/json; charset=utf-8' }).flat();
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
      const body = Buffer.from(JSON.stringify(view));
      // A flat [name, value, …] array built once: building header objects per request costs
      // more than everything else this path does.
      const head = [...base, 'content-length', String(body.length), ...(status === 423 ? ['retry-after', '30'] : [])];
      hit = { status, body, head };
      cache.set(dataset, hit);
    }
    res.writeHead(hit.status, hit.head);
    res.end(hit.body);
    return true;
  };
}
