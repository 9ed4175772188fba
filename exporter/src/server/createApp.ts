import express, { type NextFunction, type Request, type Response } from 'express';
import type { ExporterMetrics } from '../metrics/exporterMetrics';
import type { CheckResult } from '../scan/result';
import type { DataTrustService } from '../service/dataTrustService';
import { hasValidToken, requireToken } from './bearerAuth';
import { jsonBody } from './bodyLimits';
import { HttpError } from './httpError';
import { landingPage } from './landingPage';
import { lineageIngestRoutes } from './lineageIngestRoutes';
import { marquezRoutes } from './marquezRoutes';
import { securityHeaders } from './securityHeaders';
import { parseOverride, parseWait, parseWindow } from './requestParsing';
import { parseReportQuery } from './reportQuery';
import type { ReportFormat } from '../report/buildReport';
import type { ProfileCache } from '../profile/profileCache';
import { profileRoutes } from './profileRoutes';

export interface AppOptions {
  service: DataTrustService;
  metrics: ExporterMetrics;
  /** DATATRUST_API_TOKEN; mutating endpoints answer 401 without it. */
  token: string | undefined;
  /** DATATRUST_LINEAGE_TOKEN: may only post lineage. Neither token: loopback producers only. */
  lineageToken?: string | undefined;
  version: string;
  /** Aborted on shutdown, to release long-polling requests. */
  shutdown: AbortSignal;
  /** The executive report over the last `periodMs` (`GET /report`). */
  report?: (format: ReportFormat, periodMs: number) => Promise<string>;
  /** Long-polls waiting at once; past it 503 + Retry-After (server.max_long_polls). */
  maxLongPolls?: number;
  /** Dataset profiles (`GET /api/v1/datasets/{dataset}/profile`). */
  profiles?: ProfileCache;
}

/** Recent scan requests, so `GET /api/v1/scans/{id}` can say queued or running before results exist. */
class ScanTickets {
  private readonly tickets = new Map<string, { dataset: string; requestedAt: string; done?: boolean; error?: string }>();

  add(id: string, dataset: string, requestedAt: string, result: Promise<unknown>): void {
    this.tickets.set(id, { dataset, requestedAt });
    if (this.tickets.size > 1000) this.tickets.delete(this.tickets.keys().next().value!);
    result.then(
      () => Object.assign(this.tickets.get(id) ?? {}, { done: true }),
      (e: unknown) => Object.assign(this.tickets.get(id) ?? {}, { done: true, error: e instanceof Error ? e.message : String(e) }),
    );
  }

  get(id: string) {
    return this.tickets.get(id);
  }
}

const param = (req: Request, name: string): string => String(req.params[name] ?? '');

/**
 * Failed-row samples are rows of customer and account data: only token holders see them. The
 * outcomes, values and messages stay public, like the gate.
 */
function publicResults<T extends { results: CheckResult[] }>(scan: T, authorized: boolean): T {
  return authorized ? scan : { ...scan, results: scan.results.map(({ samples: _samples, ...rest }) => rest) };
}

/** The HTTP API: gate, breakers, overrides, scans, metrics, health. JSON everywhere but `/` and `/metrics`. */
export function createApp(opts: AppOptions): express.Express {
  const { service, metrics } = opts;
  const app = express();
  const tickets = new ScanTickets();
  const auth = requireToken(opts.token);
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);
  // No app-wide body parser: each route that takes a body reads it (jsonBody, rawBody) after its
  // auth, under its own limit (16 KB unless it declares more, as lineage ingestion does).
  lineageIngestRoutes(app, service, { ...(opts.lineageToken ? { lineageToken: opts.lineageToken } : {}), ...(opts.token ? { apiToken: opts.token } : {}) });
  const maxLongPolls = opts.maxLongPolls ?? Infinity;
  let longPolls = 0;
  /** Counts a long-poll against server.max_long_polls until its response closes; 503 past it. */
  const holdLongPoll = (res: Response) => {
    if (longPolls >= maxLongPolls) {
      res.set('Retry-After', '5');
      throw new HttpError(503, `too many long-polls are waiting (server.max_long_polls: ${maxLongPolls}); retry shortly`);
    }
    longPolls++;
    res.once('close', () => longPolls--);
  };

  app.get('/', (_req, res) => {
    res.type('html').send(landingPage(service.views(), opts.version));
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    res.status(service.isReady ? 200 : 503).json({ status: service.isReady ? 'ready' : 'starting' });
  });
  app.get('/metrics', async (req, res) => {
    const out = await metrics.render(req.get('accept'));
    res.set('Content-Type', out.contentType).send(out.body);
  });

  app.get('/api/v1/breakers', (_req, res) => {
    res.json({ breakers: service.views() });
  });

  // The gate: 200 closed, 423 open, 404 unknown. `?wait=30s` holds the request until the
  // breaker closes or the wait ends, so pipelines learn of a fix at once without hammering us.
  app.get('/api/v1/breakers/:dataset', async (req, res) => {
    const dataset = param(req, 'dataset');
    const waitMs = parseWait(req.query.wait);
    let view = service.view(dataset);
    if (!view) throw new HttpError(404, `unknown dataset \`${dataset}\``, { known: service.snapshot.datasets });
    if (view.state === 'open' && waitMs > 0) {
      holdLongPoll(res);
      const deadline = Date.now() + waitMs;
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      const stop = AbortSignal.any([gone.signal, opts.shutdown]);
      while (view.state === 'open' && Date.now() < deadline && !stop.aborted) {
        await service.waitForChange(dataset, deadline - Date.now(), stop);
        view = service.view(dataset)!;
      }
      if (gone.signal.aborted) return;
    }
    if (view.state === 'open') res.set('Retry-After', '30');
    res.status(view.state === 'open' ? 423 : 200).json(view);
  });

  // Where an open gate's trouble starts: the open breakers upstream, with the paths to them.
  app.get('/api/v1/breakers/:dataset/root-cause', (req, res) => {
    const view = service.rootCause(param(req, 'dataset'));
    if (!view) throw new HttpError(404, `unknown dataset \`${param(req, 'dataset')}\``);
    res.json(view);
  });

  // A pipeline asks by its own name whether it may run: 423 while any current input is open or blocked.
  app.get('/api/v1/gates/jobs/:namespace/:job', async (req, res) => {
    const namespace = param(req, 'namespace');
    const job = param(req, 'job');
    const waitMs = parseWait(req.query.wait);
    let view = service.jobView(namespace, job);
    if (!view) throw new HttpError(404, `unknown job \`${namespace}/${job}\`: no lineage event has reported it`);
    if (view.state === 'open' && waitMs > 0) {
      holdLongPoll(res);
      const deadline = Date.now() + waitMs;
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      const stop = AbortSignal.any([gone.signal, opts.shutdown]);
      while (view && view.state === 'open' && Date.now() < deadline && !stop.aborted) {
        await service.waitForJob(namespace, job, deadline - Date.now(), stop);
        view = service.jobView(namespace, job);
      }
      if (gone.signal.aborted) return;
      if (!view) throw new HttpError(404, `unknown job \`${namespace}/${job}\``);
    }
    if (view.state === 'open') res.set('Retry-After', '30');
    res.status(view.state === 'open' ? 423 : 200).json(view);
  });

  app.post('/api/v1/breakers/:dataset/override', auth, jsonBody(), async (req, res) => {
    const dataset = param(req, 'dataset');
    if (!service.knows(dataset)) throw new HttpError(404, `unknown dataset \`${dataset}\``);
    const o = await service.setOverride(dataset, parseOverride(req.body));
    res.status(201).json({ override: o, breaker: service.view(dataset) });
  });

  app.delete('/api/v1/breakers/:dataset/override', auth, async (req, res) => {
    const dataset = param(req, 'dataset');
    if (!service.knows(dataset)) throw new HttpError(404, `unknown dataset \`${dataset}\``);
    const actor = typeof req.query.actor === 'string' && req.query.actor ? req.query.actor.slice(0, 100) : 'api';
    const cleared = await service.clearOverride(dataset, actor);
    res.json({ cleared: cleared ?? null, breaker: service.view(dataset) });
  });

  app.post('/api/v1/scans/:dataset', auth, (req, res) => {
    const dataset = param(req, 'dataset');
    if (!service.knows(dataset)) throw new HttpError(404, `unknown dataset \`${dataset}\``);
    if (req.query.full !== undefined && req.query.full !== 'true' && req.query.full !== 'false') throw new HttpError(400, '`full` must be `true` or `false`');
    let ticket;
    try {
      ticket = service.requestScan(dataset, { trigger: 'api', ...(req.query.full === 'true' ? { full: true } : {}) });
    } catch (e) {
      throw new HttpError(409, (e as Error).message);
    }
    ticket.result.catch(() => undefined);
    tickets.add(ticket.id, dataset, new Date().toISOString(), ticket.result);
    res.status(202).location(`/api/v1/scans/${ticket.id}`).json({ scanId: ticket.id, dataset, status: 'queued', merged: ticket.merged });
  });

  app.get('/api/v1/scans/:scanId', async (req, res) => {
    const scanId = param(req, 'scanId');
    const running = service.runningScan(scanId);
    if (running) {
      res.json({ scanId, status: 'running', ...running });
      return;
    }
    const stored = await service.storedScan(scanId);
    if (stored) {
      res.json({ ...publicResults(stored, hasValidToken(req, opts.token)), status: 'done' });
      return;
    }
    const t = tickets.get(scanId);
    if (t?.error) res.json({ scanId, status: 'failed', dataset: t.dataset, error: t.error });
    else if (t) res.json({ scanId, status: t.done ? 'done' : 'queued', dataset: t.dataset, requestedAt: t.requestedAt });
    else throw new HttpError(404, `unknown scan \`${scanId}\``);
  });

  app.get('/api/v1/datasets', (req, res) => {
    const s = service.snapshot;
    const authorized = hasValidToken(req, opts.token);
    res.json({
      datasets: s.datasets.map((d) => {
        const latest = s.latest.get(d);
        return { dataset: d, checks: s.checkCounts.get(d) ?? 0, breaker: service.view(d), latest: latest ? publicResults(latest, authorized) : null, passRatio: s.passRatios.get(d) ?? null };
      }),
    });
  });

  // PRD 4.2: "last 7 days 100% pass; freshness warning 3 days ago, resolved", in one call.
  app.get('/api/v1/datasets/:dataset/history', async (req, res) => {
    const dataset = param(req, 'dataset');
    if (!service.snapshot.datasets.includes(dataset)) throw new HttpError(404, `unknown dataset \`${dataset}\``);
    res.json(await service.qualityHistory(dataset, parseWindow(req.query.since)));
  });

  // PRD 7.2: how often each observed rule would have failed, to promote it once it is quiet.
  app.get('/api/v1/checks/observed', async (req, res) => {
    res.json(await service.observedChecks(parseWindow(req.query.since, 14 * 86400_000)));
  });

  if (opts.profiles) profileRoutes(app, service, opts.profiles, opts.token);

  app.get('/api/v1/incidents', async (req, res) => {
    const openOnly = req.query.state === 'open';
    res.json({ incidents: await service.incidents({ openOnly, limit: 200 }) });
  });

  app.get('/api/v1/mttd', async (_req, res) => {
    res.json(await service.mttd());
  });

  marquezRoutes(app, service);

  app.get('/report', async (req, res) => {
    if (!opts.report) throw new HttpError(404, 'no report on this exporter');
    const q = parseReportQuery(req.query);
    const text = await opts.report(q.format, q.periodMs);
    if (q.format === 'md') res.type('text/markdown; charset=utf-8').send(text);
    else res.type('html').send(text);
  });

  app.use((req, _res) => {
    throw new HttpError(404, `no route for ${req.method} ${req.path}`);
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; message?: string };
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: err.message, ...(err.details ?? {}) });
    } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: e.message ?? 'bad request' });
    } else {
      res.status(500).json({ error: 'internal error' });
      process.stderr.write(`http: ${(err as Error).stack ?? String(err)}\n`);
    }
  });
  return app;
}
