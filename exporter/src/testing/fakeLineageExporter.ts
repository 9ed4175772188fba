import type { ServerResponse } from 'node:http';
import { parseDuration } from '../checks/duration';
import type { LineageEvent } from '../openlineage/types';
import { type CapturedRequest, type HttpReceiver, startHttpReceiver } from './httpReceiver';

/** A job gate answer as the exporter sends it (`GET /api/v1/gates/jobs/{namespace}/{job}`). */
export interface FakeJobGate {
  namespace: string;
  job: string;
  state: 'open' | 'closed';
  cause?: string;
  blockedBy?: { dataset: string; path: string[]; via: string[] }[];
  inputs: { dataset: string; namespace: string; name: string; state: string }[];
}

export function openJobGate(namespace: string, job: string): FakeJobGate {
  return {
    namespace,
    job,
    state: 'open',
    cause: 'upstream:raw_transactions',
    blockedBy: [{ dataset: 'raw_transactions', path: ['raw_transactions', 'cleaned_transactions'], via: ['demo/demo.clean'] }],
    inputs: [{ dataset: 'cleaned_transactions', namespace: 'duckdb://data/demo.duckdb', name: 'demo.main.cleaned_transactions', state: 'open' }],
  };
}

export function closedJobGate(namespace: string, job: string): FakeJobGate {
  return { namespace, job, state: 'closed', blockedBy: [], inputs: [{ dataset: 'cleaned_transactions', namespace: 'duckdb://data/demo.duckdb', name: 'demo.main.cleaned_transactions', state: 'closed' }] };
}

export interface FakeLineageExporter {
  base: string;
  requests: CapturedRequest[];
  /** Every event the exporter took (2xx), in arrival order. */
  accepted: LineageEvent[];
  /** Sets a job's gate; long polls waiting on it are answered at once when it closes. */
  setGate(gate: FakeJobGate): void;
  /** Answer the next `n` lineage POSTs with this status and body instead of 201. */
  rejectNext(n: number, status: number, body?: string): void;
  close(): Promise<void>;
}

/**
 * A stand-in for the exporter's lineage side on loopback, following the HTTP contract:
 * `POST /api/v1/lineage` answers 201 (401 on a wrong bearer token when `token` is set), and
 * `GET /api/v1/gates/jobs/{namespace}/{job}[?wait=]` answers 200/423 with the gate JSON, or 404
 * for a job no event has named yet. A job first named by an event gets a closed gate.
 */
export async function startFakeLineageExporter(opts: { token?: string } = {}): Promise<FakeLineageExporter> {
  const gates = new Map<string, FakeJobGate>();
  const accepted: LineageEvent[] = [];
  const waiting = new Set<{ key: string; res: ServerResponse; timer: NodeJS.Timeout }>();
  let rejections = { left: 0, status: 500, body: '' };
  const key = (namespace: string, job: string) => `${namespace}\u0000${job}`;
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
  const answer = (res: ServerResponse, gate: FakeJobGate) => json(res, gate.state === 'closed' ? 200 : 423, gate, gate.state === 'open' ? { 'Retry-After': '30' } : {});

  const rx: HttpReceiver = await startHttpReceiver((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'POST' && url.pathname === '/api/v1/lineage') {
      if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) return json(res, 401, { error: 'wrong or missing bearer token' });
      if (rejections.left > 0) {
        rejections.left--;
        res.writeHead(rejections.status, { 'Content-Type': 'application/json' }).end(rejections.body);
        return;
      }
      const event = JSON.parse(req.body) as LineageEvent;
      accepted.push(event);
      const job = (event as { job?: { namespace: string; name: string } }).job;
      if (job && !gates.has(key(job.namespace, job.name))) gates.set(key(job.namespace, job.name), { namespace: job.namespace, job: job.name, state: 'closed', blockedBy: [], inputs: [] });
      return json(res, 201, {});
    }
    const m = /^\/api\/v1\/gates\/jobs\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && m) {
      const [namespace, job] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
      const gate = gates.get(key(namespace, job));
      if (!gate) return json(res, 404, { error: `unknown job \`${namespace}/${job}\`` });
      const waitSeconds = url.searchParams.has('wait') ? (parseDuration(url.searchParams.get('wait')!) ?? 0) : 0;
      if (gate.state === 'closed' || waitSeconds === 0) return answer(res, gate);
      const entry = {
        key: key(namespace, job),
        res,
        timer: setTimeout(() => {
          waiting.delete(entry);
          answer(res, gates.get(entry.key)!);
        }, waitSeconds * 1000),
      };
      waiting.add(entry);
      return;
    }
    json(res, 404, { error: 'no such route' });
  });

  return {
    base: rx.base,
    requests: rx.requests,
    accepted,
    setGate(gate) {
      const k = key(gate.namespace, gate.job);
      gates.set(k, gate);
      if (gate.state !== 'closed') return;
      for (const w of [...waiting].filter((x) => x.key === k)) {
        clearTimeout(w.timer);
        waiting.delete(w);
        answer(w.res, gate);
      }
    },
    rejectNext(n, status, body = '') {
      rejections = { left: n, status, body };
    },
    async close() {
      for (const w of waiting) clearTimeout(w.timer);
      waiting.clear();
      await rx.close();
    },
  };
}
