import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/types';
import { formatMemorySize, parseMemorySize } from '../limits/memorySize';
import { deadlineGraceMs, duckdbDefaults, scanMemoryCapBytes } from '../limits/resourceBudget';
import { ScanWatchdog } from '../limits/scanWatchdog';
import type { MetricHistory } from '../scan/historyEvaluation';
import type { DatasetJob, DatasetRun } from '../scan/runDataset';
import type { ScanProgress, ScanRun } from '../scan/runScan';
import type { IncrementalStore } from '../scan/incremental/state';
import type { FromWorker, ScanWorkerInput, ToWorker } from './scanWorkerProtocol';

/**
 * The compiled worker script. Under ts-jest/swc the service runs from `src/`, where only the
 * TypeScript source exists; the worker then comes from the build (`npm test` builds first).
 */
export function scanWorkerScript(): string {
  const sibling = join(__dirname, 'scanWorker.js');
  if (existsSync(sibling)) return sibling;
  const built = join(__dirname, '../../dist/service/scanWorker.js');
  if (existsSync(built)) return built;
  throw new Error(`scan worker script not found next to ${__dirname} or in dist/: build the exporter (npm run build -w exporter)`);
}

/** The scan was stopped from outside (deadline or memory): the message says why, for the checks' error. */
export class ScanStoppedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScanStoppedError';
  }
}

export interface WorkerLimits {
  queryTimeoutMs: number;
  /** DuckDB memory_limit of the scan's engines together; the worker's memory cap follows from it. */
  memoryLimitBytes: number;
}

export interface WorkerHandlers {
  /** Serves the worker's history lookups (the service's state store). */
  history?: MetricHistory & IncrementalStore;
  onJobs?: (jobs: DatasetJob[]) => void;
  onProgress?: (p: ScanProgress) => void;
  /** Aborting asks the worker to cancel its running query. */
  signal?: AbortSignal;
}

export interface RunningWorker {
  result: Promise<ScanRun>;
  /** The worker's resident memory as last reported. */
  readonly rss: number;
  /** Kills the process at once (its queries die with it); `result` then rejects. */
  terminate(): Promise<void>;
}

/** How often the watchdog looks at the worker. */
const WATCH_EVERY_MS = 100;
/** A worker is reused while it stays this small after its scans (the allocator may keep what a big scan freed)… */
const REUSE_MAX_RSS = 192 * 2 ** 20;
/** …and for this many scans. */
const REUSE_MAX_SCANS = 200;

/** A fresh worker process, idle until it is sent its scan. */
export function spawnScanWorker(): ChildProcess {
  // Its own process group: a Ctrl-C meant for the parent must not kill scans before the parent
  // decides what a cancelled scan means (under `serve`: nothing, it is not recorded).
  return fork(scanWorkerScript(), [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
    execArgv: process.execArgv.filter((a) => !a.startsWith('--inspect')),
  });
}

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null && child.connected;

/**
 * Starts `input` in `child` and supervises it: serves its history lookups, relays its progress,
 * and kills it when the watchdog says a source call ran past `scan.query_timeout` plus grace or
 * its memory passed its cap; `result` then rejects with a ScanStoppedError that says which.
 * After `result` settles the child is the caller's again (to reuse or to kill).
 */
export function superviseWorker(child: ChildProcess, input: ScanWorkerInput, limits: WorkerLimits, handlers: WorkerHandlers = {}): RunningWorker {
  const watchdog = new ScanWatchdog({
    queryTimeoutMs: limits.queryTimeoutMs,
    graceMs: deadlineGraceMs(limits.queryTimeoutMs),
    memoryLimitBytes: limits.memoryLimitBytes,
    memoryCapBytes: scanMemoryCapBytes(limits.memoryLimitBytes),
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const send = (m: ToWorker) => {
    if (child.connected) child.send(m);
  };
  const { signal, history } = handlers;
  let rss = 0;
  const result = new Promise<ScanRun>((resolve, reject) => {
    let settled = false;
    const onAbort = () => send({ type: 'abort' });
    const onMessage = (m: FromWorker) => {
      if (m.type === 'call') watchdog.started(m.id, m.source, m.what);
      else if (m.type === 'call-end') watchdog.ended(m.id);
      else if (m.type === 'memory') watchdog.memory((rss = m.rss));
      else if (m.type === 'jobs') handlers.onJobs?.(m.jobs);
      else if (m.type === 'progress') handlers.onProgress?.({ index: m.index, total: m.total, result: m.result });
      else if (m.type === 'done') finish(() => resolve(m.report));
      else if (m.type === 'failed') finish(() => reject(new Error(m.error)));
      else if (history) {
        const call: Promise<unknown> =
          m.method === 'values'
            ? history.values(...(m.args as [string, string, number]))
            : m.method === 'points'
              ? history.points(...(m.args as Parameters<MetricHistory['points']>))
              : m.method === 'incrementalState' ? history.incrementalState(...(m.args as [string])) : history.previousSchema(...(m.args as [string]));
        call.then(
          (value) => send({ type: 'history-result', id: m.id, value }),
          (e: unknown) => send({ type: 'history-result', id: m.id, error: e instanceof Error ? e.message : String(e) }),
        );
      } else send({ type: 'history-result', id: m.id, error: 'no metric history in a one-off scan' });
    };
    const onError = (e: Error) => finish(() => reject(e));
    const onExit = (code: number | null, sig: NodeJS.Signals | null) => finish(() => reject(new Error(`scan worker exited (${sig ?? `code ${code}`}) before reporting`)));
    const watch = setInterval(() => {
      const stop = watchdog.verdict();
      if (!stop) return;
      finish(() => reject(new ScanStoppedError(stop.message)));
      kill();
    }, WATCH_EVERY_MS);
    function finish(fn: () => void): void {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      signal?.removeEventListener('abort', onAbort);
      child.off('message', onMessage);
      child.off('error', onError);
      child.off('exit', onExit);
      fn();
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('message', onMessage);
    child.on('error', onError);
    child.on('exit', onExit);
  });
  send({ type: 'start', input });
  return {
    result,
    get rss() {
      return rss;
    },
    terminate: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      kill();
      await exited;
    },
  };
}

export interface ScanRequest {
  config: Config;
  job: DatasetJob;
  variables: Record<string, string>;
  /** Scans that may run at once: DuckDB's threads and memory are shared between them. */
  slots: number;
  /** Read every row of an incremental dataset. */
  fullScan?: boolean;
}

export interface ScanWorker {
  result: Promise<DatasetRun>;
  terminate(): Promise<void>;
}

/**
 * The service's scan workers: child processes, one scan at a time each, so a runaway scan can be
 * killed and a big one gives its memory back. Workers are kept ready, one per scan slot, so a scan
 * does not wait for Node and DuckDB to load; one is reused while it stays small, replaced when it
 * grew (the allocator keeps what a big scan freed) or was killed. Replacements are started once
 * the scan has ended, never while scans run, so loading never competes with them for the cores.
 */
export class ScanWorkers {
  private readonly ready: { child: ChildProcess; scans: number }[] = [];
  private readonly running = new Set<RunningWorker>();
  private slots = 0;
  private closed = false;

  /** Keeps `slots` workers ready from now on (the number of scans that may run at once). */
  warm(slots: number): void {
    this.slots = slots;
    this.refill();
  }

  private park(child: ChildProcess, scans: number): void {
    // A ready worker must not keep the exporter's process alive.
    child.unref();
    child.channel?.unref();
    this.ready.push({ child, scans });
  }

  private refill(): void {
    for (let i = this.ready.length - 1; i >= 0; i--) if (!alive(this.ready[i]!.child)) this.ready.splice(i, 1);
    while (!this.closed && this.ready.length + this.running.size < this.slots) this.park(spawnScanWorker(), 0);
  }

  private take(): { child: ChildProcess; scans: number } {
    let next: { child: ChildProcess; scans: number } | undefined;
    while ((next = this.ready.shift()) && !alive(next.child));
    next ??= { child: spawnScanWorker(), scans: 0 };
    next.child.ref();
    next.child.channel?.ref();
    return next;
  }

  /** Starts one dataset scan; `result` resolves with its DatasetRun. */
  start(request: ScanRequest, history: MetricHistory & IncrementalStore, signal: AbortSignal): ScanWorker {
    if (this.closed) throw new Error('scan workers are closed');
    const { config, job } = request;
    const defaults = duckdbDefaults(request.slots, true);
    const source = job.target?.source;
    const memoryLimitBytes = (source?.type === 'duckdb' && source.memoryLimit ? parseMemorySize(source.memoryLimit) : undefined) ?? defaults.memoryLimitBytes;
    const input: ScanWorkerInput = {
      task: { kind: 'dataset', config, job, variables: request.variables, ...(request.fullScan ? { fullScan: true } : {}) },
      defaultThreads: defaults.threads,
      defaultMemoryLimit: formatMemorySize(defaults.memoryLimitBytes),
    };
    const { child, scans } = this.take();
    const worker = superviseWorker(child, input, { queryTimeoutMs: config.scan.queryTimeoutMs, memoryLimitBytes }, { history, signal });
    this.running.add(worker);
    const after = (ok: boolean) => {
      this.running.delete(worker);
      if (ok && !this.closed && alive(child) && worker.rss < REUSE_MAX_RSS && scans + 1 < REUSE_MAX_SCANS && this.ready.length + this.running.size < this.slots) this.park(child, scans + 1);
      else if (alive(child)) child.kill('SIGKILL');
      this.refill();
    };
    worker.result.then(
      () => after(true),
      () => after(false),
    );
    return { result: worker.result.then((report) => report.datasets[0]!), terminate: () => worker.terminate() };
  }

  /** Kills the ready workers and every running one. */
  async close(): Promise<void> {
    this.closed = true;
    for (const { child } of this.ready.splice(0)) if (alive(child)) child.kill('SIGKILL');
    await Promise.allSettled([...this.running].map((w) => w.terminate()));
  }
}
