import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import { OutboxDispatcher } from '../alerts/outboxDispatcher';
import { alertLinks } from '../alerts/alertLinks';
import type { Notifier } from '../alerts/types';
import { activeOverride } from '../breaker/breakerView';
import { type MttdSummary, mttdWindows } from '../breaker/incident';
import { type QualityHistory, qualityHistory } from '../breaker/qualityHistory';
import type { Breaker, BreakerState, BreakerView, Override } from '../breaker/types';
import type { Project } from '../config/loadProject';
import { DatasetNames } from '../lineage/datasetNames';
import { LineageGraph } from '../lineage/lineageGraph';
import { datasetIdentity } from '../lineage/datasetIdentity';
import type { LineageStore } from '../lineage/lineageStore';
import { qualityIncoming } from '../lineage/qualityEvents';
import { buildJobs } from '../scan/buildJobs';
import { type DatasetJob, type DatasetRun, errorResults } from '../scan/runDataset';
import { discoverTables } from '../scan/runScan';
import { SourceRegistry } from '../scan/sourceRegistry';
import type { DeliveryUpdate, ScanRecord, StateStore } from '../state/stateStore';
import { buildScanCommit, type ScanTrigger } from './buildScanCommit';
import { GateWaiters } from './gateWaiters';
import { declaredJobs, Gates, type JobGateView, type RootCauseView } from './gates';
import { type LineageParts, wireLineage } from './lineageWiring';
import { emptySnapshot, LiveState, newestDataAt, withDelivery, withEntry } from './liveState';
import { withProjectPaths } from './projectPaths';
import { ScanStoppedError, ScanWorkers } from './runScanInWorker';
import { type ObservedChecksView, observedChecksView } from './observedChecks';
import { ScanQueue, type Ticket } from './scanQueue';

/** Hooks for metrics that are observed as events happen (histograms). */
export interface ServiceObserver {
  /** A scan took `seconds`; `count` scans did, when history is replayed at start. */
  scanFinished?(dataset: string, seconds: number, count?: number): void;
  mttd?(seconds: number): void;
}

export interface ServiceDeps {
  project: Project;
  store: StateStore;
  notifiers: ReadonlyMap<string, Notifier>;
  now?: () => Date;
  log?: (message: string) => void;
  observer?: ServiceObserver;
}

export interface ScanContext {
  trigger: ScanTrigger;
  /** When the data arrived, if known (the producing run's eventTime). */
  arrivedAt?: Date;
  /** Read every row of an incremental dataset (`POST /api/v1/scans/{dataset}?full=true`). */
  full?: boolean;
}

export interface ScanOutcome {
  scanId: string;
  dataset: string;
  run: DatasetRun;
  breaker: BreakerView;
}

/** Waits for `p`, at most `ms`, without leaving a timer behind. */
async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

const PASS_RATIO_REFRESH_MS = 5 * 60_000;
const PRUNE_EVERY_MS = 6 * 3600_000;

/**
 * The long-running service: schedules scans, applies their results to durable state (breakers,
 * incidents, the alert outbox), delivers alerts, and answers the gate. Every state change is
 * committed before it becomes visible, so a crash loses nothing that anyone has seen.
 */
export class DataTrustService {
  private readonly live: LiveState;
  /** The one lineage graph: OpenLineage jobs plus the `upstream:` declarations of datatrust.yml. */
  readonly graph = new LineageGraph();
  readonly lineage: LineageStore;
  readonly gates: Gates;
  private names: DatasetNames;
  private readonly waiters: GateWaiters;
  private readonly lineageParts: LineageParts;
  /** Events waiting for Marquez, when forwarding is on. */
  forwardBacklog: number | undefined;
  private readonly queue: ScanQueue<ScanContext, ScanOutcome>;
  private readonly jobs = new Map<string, DatasetJob>();
  private readonly crons: Cron[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly abort = new AbortController();
  private readonly running = new Map<string, { scanId: string; startedAt: string; trigger: ScanTrigger }>();
  private dispatcher!: OutboxDispatcher;
  private ready = false;
  private epoch = 0;
  private readonly scanWorkers = new ScanWorkers();
  private readonly overrideTimers = new Map<string, NodeJS.Timeout>();
  private startedAt = new Date(0).toISOString();
  /** Set when the state store refused a commit: results may be missing, so stop claiming readiness. */
  private stateError: string | undefined;
  private readonly now: () => Date;

  constructor(private readonly deps: ServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    const { config } = deps.project;
    this.queue = new ScanQueue(deps.project.config.server.maxConcurrentScans, (d, id, ctx) => this.scanNow(d, id, ctx), randomUUID);
    this.live = new LiveState(emptySnapshot());
    this.names = new DatasetNames(config, Object.keys(config.datasets), (k) => this.graph.hasDataset(k));
    this.gates = new Gates({ config, graph: this.graph, names: () => this.names, snapshot: () => this.live.current, now: this.now, epoch: () => this.epoch, startedAt: () => this.startedAt });
    this.waiters = new GateWaiters((gate) => this.gates.answer(gate));
    this.lineageParts = wireLineage(deps.store.lineage, this.graph, config.lineage, {
      names: () => this.names,
      scannable: (d) => this.jobs.has(d),
      requestScan: (dataset, arrivedAt) => {
        if (this.ready) this.requestScan(dataset, { trigger: 'lineage', arrivedAt }).result.catch((e) => this.log(`lineage-triggered scan of ${dataset}: ${(e as Error).message}`));
      },
      graphChanged: () => this.changed(),
      log: (m) => this.log(m),
      onBacklog: (n) => (this.forwardBacklog = n),
    });
    this.lineage = this.lineageParts.store;
  }

  private log(message: string): void {
    this.deps.log?.(message);
  }

  get snapshot() {
    return this.live.current;
  }

  get isReady(): boolean {
    return this.ready && this.stateError === undefined;
  }

  /** A configured dataset, or one lineage has seen (`namespace/name`). */
  knows(dataset: string): boolean {
    return this.gates.knows(dataset);
  }

  /** Names of configured datasets and OpenLineage identities, for the API and the metrics. */
  get datasetNames(): DatasetNames {
    return this.names;
  }

  /** Restores state, builds the scan jobs, and starts schedules and alert delivery. */
  async start(): Promise<void> {
    this.startedAt = this.now().toISOString();
    // Scan workers load while the state is restored, so the first scans find them ready.
    this.scanWorkers.warm(this.deps.project.config.server.maxConcurrentScans);
    const restored = await this.deps.store.open();
    const { project } = this.deps;
    let discovered: string[] = [];
    let discoveryError: string | undefined;
    const sources = new SourceRegistry(project.config);
    try {
      discovered = await discoverTables(project, sources, project.config.scan.queryTimeoutMs);
    } catch (e) {
      discoveryError = (e as Error).message;
      this.log(`for each dataset: cannot list tables: ${discoveryError}`);
    } finally {
      await sources.closeAll();
    }
    for (const job of buildJobs(project, { discoveredTables: discovered, ...(discoveryError ? { discoveryError } : {}) })) this.jobs.set(job.dataset, job);
    const datasets = [...new Set([...Object.keys(project.config.datasets), ...this.jobs.keys()])].sort();
    this.names = new DatasetNames(project.config, datasets, (k) => this.graph.hasDataset(k));
    await this.lineage.open();
    this.lineageParts.forwarder?.start();
    for (const [job, edges] of declaredJobs(project.config, datasets, this.names)) this.graph.setJob(job, edges);
    const now = this.now();
    const latest = new Map(restored.latest.map((l) => [l.dataset, l]));
    this.live.update(() => ({
      datasets,
      checkCounts: new Map(datasets.map((d) => [d, this.jobs.get(d)?.checks.length ?? 0])),
      breakers: new Map(restored.breakers.map((b) => [b.dataset, b])),
      overrides: new Map(restored.overrides.filter((o) => activeOverride(o, now)).map((o) => [o.dataset, o])),
      latest,
      evaluations: restored.counters.evaluations,
      deliveries: restored.counters.deliveries,
      openIncidents: new Map(restored.openIncidents.map((i) => [i.dataset, i])),
      newestDataAt: new Map([...latest.values()].flatMap((l) => (newestDataAt(l) !== undefined ? [[l.dataset, newestDataAt(l)!] as const] : []))),
    }));
    for (const d of restored.scanDurations) this.deps.observer?.scanFinished?.(d.dataset, d.seconds, d.count);
    for (const m of restored.mttdSamples) this.deps.observer?.mttd?.(m.seconds);
    for (const o of this.live.current.overrides.values()) this.expireLater(o);

    this.dispatcher = new OutboxDispatcher(this.deps.store, this.deps.notifiers, {
      groupWindowMs: project.config.alerts.groupWindowMs,
      now: () => this.now().getTime(),
      onRecorded: (u) => this.onDelivery(u),
      log: (m) => this.log(m),
    });
    await this.dispatcher.start();
    this.refreshOutboxGauge();
    await this.refreshPassRatios();
    await this.prune();

    for (const ds of Object.values(project.config.datasets)) {
      if (!ds.schedule || !this.jobs.has(ds.name)) continue;
      this.crons.push(new Cron(ds.schedule, { protect: true }, () => void this.requestScan(ds.name, { trigger: 'schedule' }).result.catch((e) => this.log(`scheduled scan of ${ds.name}: ${(e as Error).message}`))));
    }
    this.timers.push(setInterval(() => void this.refreshPassRatios(), PASS_RATIO_REFRESH_MS).unref());
    this.timers.push(setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref());
    this.ready = true;
    if (project.config.server.scanOnStart) {
      for (const dataset of this.jobs.keys()) void this.requestScan(dataset, { trigger: 'startup' }).result.catch((e) => this.log(`start-up scan of ${dataset}: ${(e as Error).message}`));
    }
  }

  /** Queues a scan; requests for a dataset already waiting merge into one run. */
  requestScan(dataset: string, context: ScanContext): Ticket<ScanOutcome> {
    if (!this.jobs.has(dataset)) throw new Error(`dataset \`${dataset}\` has no checks to scan`);
    // Kept apart from the context, which a later request replaces when requests merge.
    if (context.full) this.fullScans.add(dataset);
    return this.queue.request({ dataset, context });
  }

  private readonly fullScans = new Set<string>();

  private fileVariables: Record<string, string> | undefined;

  /** SodaCL scan variables from the check files (`variables:`). */
  private variables(): Record<string, string> {
    // Check files do not change while the service runs; NOW is added by the scan itself.
    return (this.fileVariables ??= Object.assign({}, ...this.deps.project.documents.map((d) => d.variables)) as Record<string, string>);
  }

  /** A scan in progress, if any, for the scan status API. */
  runningScan(scanId: string): { dataset: string; startedAt: string; trigger: ScanTrigger } | undefined {
    for (const [dataset, r] of this.running) if (r.scanId === scanId) return { dataset, startedAt: r.startedAt, trigger: r.trigger };
    return undefined;
  }

  private async scanNow(dataset: string, scanId: string, ctx: ScanContext): Promise<ScanOutcome> {
    const job = this.jobs.get(dataset)!;
    this.running.set(dataset, { scanId, startedAt: this.now().toISOString(), trigger: ctx.trigger });
    this.live.update((s) => ({ scansRunning: s.scansRunning + 1 }));
    try {
      let run: DatasetRun;
      const { config } = this.deps.project;
      // In a worker process, its DuckDB sharing what the event loop leaves of the cores with the
      // other concurrent scans: the gate and /metrics stay prompt during and after big scans.
      const worker = this.scanWorkers.start({ config, job, variables: this.variables(), slots: config.server.maxConcurrentScans, fullScan: this.fullScans.delete(dataset) }, this.deps.store, this.abort.signal);
      try {
        run = await worker.result;
      } catch (e) {
        if (this.abort.signal.aborted) throw new Error(`scan of ${dataset} cancelled: shutting down`);
        // An internal failure is still a scan that proved nothing: every check errors, never passes.
        const error = e instanceof ScanStoppedError ? e.message : `scan failed: ${(e as Error).message}`;
        this.log(`scan of ${dataset}: ${error}`);
        run = { dataset, source: job.target?.source.name ?? '', startedAt: this.now().toISOString(), durationMs: 0, checks: errorResults(job.checks, error), measurements: {} };
      }
      // A scan cancelled by shutdown proved nothing; recording its errors would open critical
      // breakers (on_error: open) and alert about an incident that never happened.
      if (this.abort.signal.aborted) throw new Error(`scan of ${dataset} cancelled: shutting down`);
      return await this.apply(withProjectPaths(run, config.dir), scanId, ctx);
    } finally {
      this.running.delete(dataset);
      this.live.update((s) => ({ scansRunning: s.scansRunning - 1 }));
    }
  }

  /** Commits a finished scan, then makes it visible: state first, so nothing seen is ever lost. */
  private async apply(run: DatasetRun, scanId: string, ctx: ScanContext): Promise<ScanOutcome> {
    const s = this.live.current;
    const declared = this.deps.project.config.datasets[run.dataset];
    const finishedAt = this.now();
    const commit = buildScanCommit({
      run,
      scanId,
      trigger: ctx.trigger,
      ...(ctx.arrivedAt ? { arrivedAt: ctx.arrivedAt } : {}),
      finishedAt,
      current: s.breakers.get(run.dataset),
      openIncident: s.openIncidents.get(run.dataset),
      onError: declared?.onError ?? 'ignore',
      channels: this.deps.project.config.alerts.channels,
      impact: this.gates.impact(run.dataset),
      links: (d) => alertLinks(this.deps.project.config, d),
      newId: randomUUID,
    });
    try {
      await this.deps.store.commitScan(commit);
    } catch (e) {
      // Nothing was recorded, and the gate must not keep answering with the old verdict: hold the
      // dataset open in memory (not persisted) and report not ready until the store works again.
      this.stateError = (e as Error).message;
      this.log(`state store refused the scan of ${run.dataset}: ${this.stateError}; holding its breaker open`);
      const held: Breaker = { ...(s.breakers.get(run.dataset) ?? { failingChecks: [], health: 'error' as const }), dataset: run.dataset, state: 'open', since: finishedAt.toISOString(), cause: 'state_error' };
      this.live.update((cur) => ({ breakers: withEntry(cur.breakers, run.dataset, held) }));
      this.changed();
      throw e;
    }
    this.stateError = undefined;

    const latest: ScanRecord = { scanId, dataset: run.dataset, trigger: ctx.trigger, startedAt: run.startedAt, finishedAt: commit.finishedAt, durationMs: run.durationMs, results: run.checks, ...(run.reader ? { reader: run.reader } : {}), ...(run.incremental ? { incremental: run.incremental } : {}) };
    const newest = newestDataAt(latest);
    // Derive from the state as it is now, not as it was before the commit: other datasets'
    // scans and alert deliveries may have changed it while this one was being written.
    this.live.update((cur) => {
      const evaluations = { ...cur.evaluations };
      for (const [outcome, n] of Object.entries(commit.evaluations)) evaluations[`${run.dataset}\u0000${outcome}`] = (evaluations[`${run.dataset}\u0000${outcome}`] ?? 0) + (n ?? 0);
      let openIncidents = cur.openIncidents;
      if (commit.openedIncident) openIncidents = withEntry(openIncidents, run.dataset, commit.openedIncident);
      if (commit.resolvedIncident) openIncidents = withEntry(openIncidents, run.dataset, undefined);
      return {
        breakers: withEntry(cur.breakers, run.dataset, commit.breaker),
        latest: withEntry(cur.latest, run.dataset, latest),
        evaluations,
        openIncidents,
        newestDataAt: newest === undefined ? cur.newestDataAt : withEntry(cur.newestDataAt, run.dataset, newest),
      };
    });
    this.deps.observer?.scanFinished?.(run.dataset, run.durationMs / 1000);
    if (commit.transition) this.log(`breaker ${run.dataset}: ${commit.transition.from} → ${commit.transition.to}${commit.transition.cause ? ` (${commit.transition.cause})` : ''}`);
    // Not only on a transition: a first scan has none, yet it may change what the gate answers.
    this.changed();
    if (commit.outbox.length) {
      this.dispatcher.enqueue(commit.outbox);
      this.refreshOutboxGauge();
    }
    void this.refreshPassRatios([run.dataset]);
    // The results as OpenLineage data quality facets, stored like any event (and so forwarded to Marquez).
    const identity = datasetIdentity(this.deps.project.config, run.dataset);
    if (identity) this.lineage.ingest(qualityIncoming({ ...run, scanId, identity, finishedAt: commit.finishedAt }, this.deps.project.config.lineage.namespace)).catch((e: Error) => this.log(`lineage: scan of ${run.dataset} not recorded: ${e.message}`));
    return { scanId, dataset: run.dataset, run, breaker: this.view(run.dataset)! };
  }

  /** Moves whenever an effective breaker state may have changed without a new snapshot (override expiry). */
  get viewEpoch(): number {
    return this.epoch;
  }

  /** Something may have changed a gate's answer: long-polls whose answer did change are released. */
  private changed(): void {
    this.epoch++;
    this.waiters.recheck();
  }

  private onDelivery(u: DeliveryUpdate): void {
    let detected: number[] = [];
    this.live.update((s) => {
      const r = withDelivery(s, u);
      detected = r.mttdSeconds;
      return r.patch;
    });
    for (const seconds of detected) this.deps.observer?.mttd?.(seconds);
    this.refreshOutboxGauge();
  }

  private refreshOutboxGauge(): void {
    const channels = this.dispatcher.channels();
    this.live.update(() => ({ outboxPending: new Map(channels.map((c) => [c, this.dispatcher.pendingCount(c)])) }));
  }

  private async refreshPassRatios(datasets = this.live.current.datasets): Promise<void> {
    try {
      const ratios = await this.deps.store.passRatios(datasets, this.now());
      this.live.update((s) => {
        const next = new Map(s.passRatios);
        for (const [d, r] of Object.entries(ratios)) next.set(d, r);
        return { passRatios: next };
      });
    } catch (e) {
      this.log(`pass ratios: ${(e as Error).message}`);
    }
  }

  private async prune(): Promise<void> {
    try {
      const before = new Date(this.now().getTime() - this.deps.project.config.state.retentionMs);
      const r = await this.deps.store.prune(before);
      const l = await this.lineage.prune(before);
      if (r.scans + r.incidents + r.outbox + l.events + l.runs > 0) this.log(`retention: removed ${r.scans} scans, ${r.incidents} incidents, ${r.outbox} alert records, ${l.events} lineage events, ${l.runs} runs`);
    } catch (e) {
      this.log(`retention: ${(e as Error).message}`);
    }
  }

  view(dataset: string): BreakerView | undefined {
    return this.gates.view(dataset);
  }

  /** Every configured dataset's gate. */
  views(): BreakerView[] {
    return this.live.current.datasets.map((d) => this.view(d)!);
  }

  jobView(namespace: string, job: string): JobGateView | undefined {
    return this.gates.jobView(namespace, job);
  }

  rootCause(dataset: string): RootCauseView | undefined {
    return this.gates.rootCause(dataset);
  }

  /** Resolves when the dataset's gate answers differently, or after `ms`. */
  waitForChange(dataset: string, ms: number, signal?: AbortSignal): Promise<void> {
    return this.waiters.wait(`dataset:${dataset}`, ms, signal);
  }

  /** Resolves when the job's gate answers differently, or after `ms`. */
  waitForJob(namespace: string, job: string, ms: number, signal?: AbortSignal): Promise<void> {
    return this.waiters.wait(`job:${namespace}\u0000${job}`, ms, signal);
  }

  private expireLater(o: Override): void {
    clearTimeout(this.overrideTimers.get(o.dataset));
    const delay = Date.parse(o.expiresAt) - this.now().getTime();
    // setTimeout cannot wait longer than ~24.8 days; longer overrides are re-checked on restart or reads.
    if (delay > 0 && delay < 2 ** 31 - 1) this.overrideTimers.set(o.dataset, setTimeout(() => this.changed(), delay + 5).unref());
  }

  async setOverride(dataset: string, input: { state: BreakerState; reason: string; ttlMs: number; actor: string }): Promise<Override> {
    const now = this.now();
    const o: Override = { id: randomUUID(), dataset, state: input.state, reason: input.reason, actor: input.actor, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + input.ttlMs).toISOString() };
    await this.deps.store.saveOverride(o);
    this.live.update((s) => ({ overrides: withEntry(s.overrides, dataset, o) }));
    this.log(`override ${dataset}: forced ${o.state} by ${o.actor} until ${o.expiresAt}: ${o.reason}`);
    this.expireLater(o);
    this.changed();
    return o;
  }

  async clearOverride(dataset: string, actor: string): Promise<Override | undefined> {
    const cleared = await this.deps.store.clearOverride(dataset, actor, this.now().toISOString());
    this.live.update((s) => ({ overrides: withEntry(s.overrides, dataset, undefined) }));
    if (cleared) this.log(`override ${dataset}: cleared by ${actor}`);
    this.changed();
    return cleared;
  }

  storedScan(scanId: string) {
    return this.deps.store.scan(scanId);
  }

  incidents(opts: { openOnly?: boolean; limit?: number }) {
    return this.deps.store.incidents(opts);
  }

  /** A dataset's quality over the last `windowMs`: per-day pass ratio, episodes, incidents. */
  async qualityHistory(dataset: string, windowMs: number): Promise<QualityHistory> {
    const now = this.now();
    const since = new Date(now.getTime() - windowMs);
    const [evaluations, incidents] = await Promise.all([this.deps.store.evaluationsOf(dataset, since), this.deps.store.incidents({ dataset, since, limit: 1000 })]);
    return qualityHistory(dataset, evaluations, incidents, since, now);
  }

  /** Observed checks (`mode: observe`) with how often they would have failed over the last `windowMs`. */
  async observedChecks(windowMs: number): Promise<ObservedChecksView> {
    const since = new Date(this.now().getTime() - windowMs);
    return observedChecksView(this.live.current.latest.values(), await this.deps.store.observedStats(since), since);
  }

  async mttd(): Promise<{ d7: MttdSummary; d30: MttdSummary }> {
    const now = this.now();
    return mttdWindows(await this.deps.store.incidents({ since: new Date(now.getTime() - 30 * 86400_000), limit: 100_000 }), now);
  }

  /**
   * Graceful stop: no new scans, running ones cancelled at their next query (waiting up to
   * `graceMs`), one last outbox flush, then the state file is checkpointed and closed.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.ready = false;
    this.lineageParts.triggers.stop();
    this.waiters.releaseAll();
    for (const c of this.crons) c.stop();
    for (const t of [...this.timers, ...this.overrideTimers.values()]) clearTimeout(t);
    this.queue.close();
    const drained = new Promise<void>((resolve) => {
      const check = () => (this.queue.active === 0 ? resolve() : setTimeout(check, 50).unref());
      check();
    });
    // Half the grace lets running scans finish; then they are cancelled at their next query.
    await withTimeout(drained, graceMs / 2);
    this.abort.abort();
    await withTimeout(drained, graceMs / 2);
    // Whatever still runs (a query the engine could not interrupt) dies with its thread.
    await this.scanWorkers.close();
    await withTimeout(drained, 1000);
    // Bounded: a notifier that ignores cancellation (a stuck stdout) must not hold the shutdown.
    await withTimeout(Promise.all([this.dispatcher?.stop(Math.min(5000, graceMs)), this.lineageParts.forwarder?.stop(Math.min(2000, graceMs))]), Math.min(5000, graceMs) + 2000);
    await this.deps.store.close();
  }
}
