import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNotifier } from '../alerts/createNotifier';
import type { Notifier } from '../alerts/types';
import type { Project } from '../config/loadProject';
import { ExporterMetrics } from '../metrics/exporterMetrics';
import { DataTrustService } from '../service/dataTrustService';
import { lineageMetricsSource } from '../service/lineageMetrics';
import { compileValidators } from '../openlineage/validateEvent';
import { privilegeWarnings } from '../sources/privileges';
import { DuckDbStateStore } from '../state/duckdbStateStore';
import type { StateStore } from '../state/stateStore';
import { closeUnlessBodyRead } from './bodyLimits';
import { guardConnections } from './connectionGuard';
import { createApp } from './createApp';
import { renderReport } from '../report/buildReport';
import type { CoverageSource } from '../report/coverage';
import { createGateFastPath } from './gateFastPath';
import { capturedSecurityHeaders } from './securityHeaders';
import { ProfileCache } from '../profile/profileCache';

export const VERSION = '0.1.0';

export interface RunningExporter {
  service: DataTrustService;
  /** What GET /metrics renders (benchmarks time it in-process). */
  metrics: ExporterMetrics;
  server: Server;
  url: string;
  /** Graceful stop: stop listening, release long-polls, finish or cancel scans, flush alerts, close state. */
  stop(graceMs?: number): Promise<void>;
}

export interface ExporterOptions {
  project: Project;
  port?: number;
  host?: string;
  token?: string;
  /** DATATRUST_LINEAGE_TOKEN: producers may post lineage with it, nothing else. */
  lineageToken?: string;
  store?: StateStore;
  log?: (message: string) => void;
  now?: () => Date;
  /** Where `GET /report` reads pipeline and lineage coverage; default: the live lineage store. */
  coverage?: CoverageSource;
}

/** Wires state, service, metrics and HTTP together and starts listening. */
export async function runExporter(opts: ExporterOptions): Promise<RunningExporter> {
  const { project } = opts;
  const log = opts.log ?? (() => undefined);
  const store = opts.store ?? new DuckDbStateStore(project.config.state.path);
  const notifiers = new Map<string, Notifier>(project.config.alerts.channels.map((c) => [c.name, createNotifier(c)]));
  // The metrics need the service and the service reports to the metrics: break the cycle with a late binding.
  let service!: DataTrustService;
  const now = opts.now ?? (() => new Date());
  const lineageSource = lineageMetricsSource(() => service);
  // The report shows the same coverage as datatrust_pipeline/lineage_coverage_ratio.
  const coverage: CoverageSource = opts.coverage ?? (() => Promise.resolve(lineageSource.coverage()));
  const metrics = new ExporterMetrics({
    snapshot: () => service.snapshot,
    upstreamBlocked: (d) => service.gates.upstreamBlocks(d).length > 0,
    upstreamBlockers: (d) => [...new Set(service.gates.upstreamBlocks(d).map((b) => b.dataset))],
    ownOpen: (d) => service.gates.ownOpen(d),
    lineage: lineageSource,
    now,
    version: VERSION,
  });
  service = new DataTrustService({ project, store, notifiers, log, now, observer: metrics.observer() });
  const shutdown = new AbortController();
  const { maxConnections, maxLongPolls } = project.config.server;
  const report = (format: 'html' | 'md', periodMs: number) => renderReport({ config: project.config, store, now: now(), periodMs, coverage }, format);
  const profiles = new ProfileCache(project.config);
  const app = createApp({ service, metrics, token: opts.token, lineageToken: opts.lineageToken, version: VERSION, shutdown: shutdown.signal, report, maxLongPolls, profiles });
  const fastGate = createGateFastPath(service, capturedSecurityHeaders());
  // A client gets 10 s for its headers and 30 s for its whole request, checked every second:
  // a body that never arrives cannot hold a connection (long-polls are past this: their request
  // is complete, it is the answer that waits).
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 65_000, connectionsCheckingInterval: 1000 }, (req, res) => {
    if (!guard.admit(req, res)) return;
    closeUnlessBodyRead(req, res);
    if (!fastGate(req, res)) app(req, res);
  });
  const guard = guardConnections(server, maxConnections);

  compileValidators();
  await service.start();
  void privilegeWarnings(project.config).then((ws) => ws.forEach((w) => log(`warning: ${w}`)));
  const host = opts.host ?? project.config.server.host;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // A deep accept queue: a burst of connections (slow clients reconnecting together) must
      // not overflow it, or the kernel drops the gate's SYN too and the client waits a 1 s retransmit.
      server.listen({ port: opts.port ?? project.config.server.port, host, backlog: 4096 }, () => resolve());
    });
  } catch (e) {
    // Schedules and start-up scans are already running: stop them, or the process never exits.
    await service.stop(1000);
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = (graceMs?: number) =>
    (stopping ??= (async () => {
      shutdown.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await service.stop(graceMs);
      server.closeAllConnections();
      await closed;
    })());
  return { service, metrics, server, url, stop };
}
