import type { ServerResponse } from 'node:http';
import { parseDuration } from '../checks/duration';
import { startHttpReceiver, type CapturedRequest, type HttpReceiver } from './httpReceiver';

export interface FakeBreaker {
  dataset: string;
  state: 'open' | 'closed';
  since: string;
  cause?: string;
  failingChecks: { name: string; definition: string; outcome: string; value: number | null }[];
  incidentId?: string;
}

export function openBreaker(dataset = 'cleaned_transactions'): FakeBreaker {
  return {
    dataset,
    state: 'open',
    since: '2026-03-01T10:00:00.000Z',
    cause: 'check_failed',
    failingChecks: [{ name: 'No negative amounts after cleaning', definition: 'min(amount) >= 0', outcome: 'fail', value: -12.5 }],
    incidentId: 'inc_42',
  };
}

export function closedBreaker(dataset = 'cleaned_transactions'): FakeBreaker {
  return { dataset, state: 'closed', since: '2026-03-01T10:42:00.000Z', failingChecks: [] };
}

export interface FakeExporter {
  base: string;
  requests: CapturedRequest[];
  /** Changes the breaker; long polls waiting on it are answered at once when it closes. */
  set(breaker: FakeBreaker): void;
  /** Answer the next `n` requests with this instead of the breaker (e.g. 500s). */
  failNext(n: number, status: number, body?: string): void;
  close(): Promise<void>;
}

/**
 * A stand-in for the exporter's gate API on loopback: `GET /api/v1/breakers/{dataset}` answers
 * 200 (closed) or 423 (open) with breaker JSON, 404 for other datasets, and honours `?wait=`
 * by holding the request until the breaker closes or the wait elapses (unless `longPoll: false`,
 * to play an older server that answers at once).
 */
export async function startFakeExporter(initial: FakeBreaker, opts: { prefix?: string; longPoll?: boolean } = {}): Promise<FakeExporter> {
  let breaker = initial;
  let failures: { left: number; status: number; body: string } = { left: 0, status: 500, body: '' };
  const waiting = new Set<{ res: ServerResponse; timer: NodeJS.Timeout }>();
  const prefix = `${opts.prefix ?? ''}/api/v1/breakers/`;

  const answer = (res: ServerResponse) => {
    res.writeHead(breaker.state === 'closed' ? 200 : 423, { 'Content-Type': 'application/json' }).end(JSON.stringify(breaker));
  };

  const rx: HttpReceiver = await startHttpReceiver((req, res) => {
    if (failures.left > 0) {
      failures.left--;
      res.writeHead(failures.status, { 'Content-Type': 'text/plain' }).end(failures.body);
      return;
    }
    const url = new URL(req.url, 'http://x');
    if (req.method !== 'GET' || !url.pathname.startsWith(prefix)) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'no such route' }));
      return;
    }
    const dataset = decodeURIComponent(url.pathname.slice(prefix.length));
    if (dataset !== breaker.dataset) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: `unknown dataset \`${dataset}\`` }));
      return;
    }
    const waitSeconds = opts.longPoll !== false && url.searchParams.has('wait') ? (parseDuration(url.searchParams.get('wait')!) ?? 0) : 0;
    if (breaker.state === 'closed' || waitSeconds === 0) {
      answer(res);
      return;
    }
    const entry = {
      res,
      timer: setTimeout(() => {
        waiting.delete(entry);
        answer(res);
      }, waitSeconds * 1000),
    };
    waiting.add(entry);
  });

  return {
    base: rx.base,
    requests: rx.requests,
    set(next) {
      breaker = next;
      if (next.state === 'closed') {
        for (const w of waiting) {
          clearTimeout(w.timer);
          answer(w.res);
        }
        waiting.clear();
      }
    },
    failNext(n, status, body = '') {
      failures = { left: n, status, body };
    },
    async close() {
      for (const w of waiting) clearTimeout(w.timer);
      waiting.clear();
      await rx.close();
    },
  };
}
