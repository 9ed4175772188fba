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
  history?: MetricHistory;
  onJobs?: (jobs: DatasetJob[]) => void;
  onProgress?: (p: ScanProgress) => void;
  /** Aborting asks the worker to cancel its running query. */
  signal?: AbortSignal;
}

export interface RunningWorker {
  result: Promise<ScanRun>;
  /** Kills the process at once (its queries die with it); `result` then rejects. */
  terminate(): Promise<void>;
}

/** How often the watchdog looks at the worker. */
const WATCH_EVERY_MS = 100;
/** A worker that reported but has not exited by then is killed. */
const EXIT_GRACE_MS = 5000;

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

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/**
 * Starts `input` in `child` and supervises it: serves its history lookups, relays its progress,
 * and kills it when the watchdog says a source call ran past `scan.query_timeout` plus grace or
 * its memory passed its cap; `result` then rejects with a ScanStoppedError that says which.
 */
export function superviseWorker(child: ChildProcess, input: ScanWorkerInput, limits: WorkerLimits, handlers: WorkerHandlers = {}): RunningWorker {
  const watchdog = new ScanWatchdog({
    queryTimeoutMs: limits.queryTimeoutMs,
    graceMs: deadlineGraceMs(limits.queryTimeoutMs),
    memoryLimitBytes: limits.memoryLimitBytes,
    memoryCapBytes: scanMemoryCapBytes(limits.memoryLimitBytes),
  });
  const kill = () => {
    if (alive(child)) child.kill('SIGKILL');
  };
  const send = (m: ToWorker) => {
    if (child.connected) child.send(m);
  };
  const { signal, history } = handlers;
  const result = new Promise<ScanRun>((resolve, reject) => {
    let settled = false;
    const onAbort = () => send({ type: 'abort' });
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const watch = setInterval(() => {
      const stop = watchdog.verdict();
      if (!stop) return;
      finish(() => reject(new ScanStoppedError(stop.message)));
      kill();
    }, WATCH_EVERY_MS);
    child.on('message', (m: FromWorker) => {
      if (m.type === 'call') watchdog.started(m.id, m.source, m.what);
      else if (m.type === 'call-end') watchdog.ended(m.id);
      else if (m.type === 'memory') watchdog.memory(m.rss);
      else if (m.type === 'jobs') handlers.onJobs?.(m.jobs);
      else if (m.type === 'progress') handlers.onProgress?.({ index: m.index, total: m.total, result: m.result });
      else if (m.type === 'done' || m.type === 'failed') {
        finish(() => (m.type === 'done' ? resolve(m.report) : reject(new Error(m.error))));
        setTimeout(kill, EXIT_GRACE_MS).unref();
      } else if (history) {
        const call = m.method === 'values' ? history.values(...(m.args as [string, string, number])) : history.previousSchema(...(m.args as [string]));
        call.then(
          (value) => send({ type: 'history-result', id: m.id, value }),
          (e: unknown) => send({ type: 'history-result', id: m.id, error: e instanceof Error ? e.message : String(e) }),
        );
      } else send({ type: 'history-result', id: m.id, error: 'no metric history in a one-off scan' });
    });
    child.on('error', (e) => finish(() => reject(e)));
    child.on('exit', (code, sig) => finish(() => reject(new Error(`scan worker exited (${sig ?? `code ${code}`}) before reporting`))));
  });
  send({ type: 'start', input });
  return {
    result,
    terminate: async () => {
      if (!alive(child)) return;
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
}

export interface ScanWorker {
  result: Promise<DatasetRun>;
  terminate(): Promise<void>;
}

/**
 * The service's scan workers: one child process per dataset scan, with a spare kept started so
 * a scan does not wait for Node and DuckDB to load.
 */
export class ScanWorkers {
  private spare: ChildProcess | undefined;
  private readonly running = new Set<RunningWorker>();
  private closed = false;

  private take(): ChildProcess {
    const spare = this.spare;
    this.spare = undefined;
    const child = spare && alive(spare) && spare.connected ? spare : spawnScanWorker();
    child.ref();
    child.channel?.ref();
    if (!this.closed) {
      this.spare = spawnScanWorker();
      // An idle spare must not keep the exporter's process alive.
      this.spare.unref();
      this.spare.channel?.unref();
    }
    return child;
  }

  /** Starts one dataset scan; `result` resolves with its DatasetRun. */
  start(request: ScanRequest, history: MetricHistory, signal: AbortSignal): ScanWorker {
    if (this.closed) throw new Error('scan workers are closed');
    const { config, job } = request;
    const defaults = duckdbDefaults(request.slots, true);
    const source = job.target?.source;
    const memoryLimitBytes = (source?.type === 'duckdb' && source.memoryLimit ? parseMemorySize(source.memoryLimit) : undefined) ?? defaults.memoryLimitBytes;
    const input: ScanWorkerInput = {
      task: { kind: 'dataset', config, job, variables: request.variables },
      defaultThreads: defaults.threads,
      defaultMemoryLimit: formatMemorySize(defaults.memoryLimitBytes),
    };
    const worker = superviseWorker(this.take(), input, { queryTimeoutMs: config.scan.queryTimeoutMs, memoryLimitBytes }, { history, signal });
    this.running.add(worker);
    const forget = () => this.running.delete(worker);
    worker.result.then(forget, forget);
    return { result: worker.result.then((report) => report.datasets[0]!), terminate: () => worker.terminate() };
  }

  /** Kills the spare and every running worker. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.spare && alive(this.spare)) this.spare.kill('SIGKILL');
    this.spare = undefined;
    await Promise.allSettled([...this.running].map((w) => w.terminate()));
  }
}
