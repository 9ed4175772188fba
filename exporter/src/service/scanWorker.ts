import { loadProject } from '../config/loadProject';
import type { MetricPoint } from '../anomaly/detector';
import type { MetricHistory } from '../scan/historyEvaluation';
import { runJobs, runScan, type ScanRun } from '../scan/runScan';
import type { IncrementalState, IncrementalStore } from '../scan/incremental/state';
import { SourceRegistry } from '../scan/sourceRegistry';
import type { SourceActivity } from '../sources/watchedSource';
import type { FromWorker, HistoryMethod, ScanWorkerInput, ToWorker } from './scanWorkerProtocol';

/**
 * A child process that runs scans, one at a time (started by runScanInWorker). A process, not a thread:
 * DuckDB's memory lives and dies with it, off the parent's event loop, and when a query ignores
 * its interrupt or a server stops answering, the parent kills it outright. Nothing else can end
 * such a query: a worker thread cannot be terminated while it runs, and even `process.exit`
 * waits for it.
 */
const send = (m: FromWorker) => process.send!(m);
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextId = 0;

function call(method: HistoryMethod, args: unknown[]): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    send({ type: 'history', id, method, args });
  });
}

/** History lives in the main process's state store; ask it over the IPC channel. */
const history: MetricHistory & IncrementalStore = {
  incrementalState: (dataset) => call('incrementalState', [dataset]) as Promise<IncrementalState | undefined>,
  values: (dataset, metricKey, limit) => call('values', [dataset, metricKey, limit]) as Promise<number[]>,
  points: (dataset, metricKey, query) => call('points', [dataset, metricKey, query]) as Promise<MetricPoint[]>,
  previousSchema: (dataset) => call('previousSchema', [dataset]) as Promise<{ name: string; type: string }[] | undefined>,
};

let nextCall = 0;
const activity: SourceActivity = {
  begin(source, what) {
    const id = nextCall++;
    send({ type: 'call', id, source, what });
    return () => send({ type: 'call-end', id });
  },
};

/** Waits for `p`, at most `ms`: closing a source whose server is gone must not hold the worker. */
async function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

async function run(input: ScanWorkerInput, signal: AbortSignal): Promise<{ report: ScanRun; cleanup: Promise<unknown> }> {
  const registry = { defaultThreads: input.defaultThreads, defaultMemoryLimit: input.defaultMemoryLimit, activity };
  const { task } = input;
  if (task.kind === 'project') {
    const project = loadProject(task.configPath, { checkFiles: task.checkFiles });
    if (project.blocking.length) throw new Error(`the configuration changed and is no longer valid: ${project.blocking[0]!.message}`);
    const report = await runScan(project, {
      ...(task.datasets ? { datasets: task.datasets } : {}),
      variables: task.variables,
      samples: task.samples,
      registry,
      signal,
      onJobs: (jobs) => send({ type: 'jobs', jobs: [...jobs] }),
      onProgress: (p) => send({ type: 'progress', ...p }),
    });
    return { report, cleanup: Promise.resolve() };
  }
  const sources = new SourceRegistry(task.config, registry);
  const project = { config: task.config, documents: [], diagnostics: [], blocking: [] };
  try {
    return {
      report: await runJobs(project, [task.job], { history, incremental: history, variables: task.variables, signal, sources, ...(task.fullScan ? { fullScan: true } : {}) }),
      cleanup: sources.closeAll(),
    };
  } catch (e) {
    void sources.closeAll();
    throw e;
  }
}

let abort = new AbortController();

process.on('message', (m: ToWorker) => {
  if (m.type === 'start') {
    // One scan at a time; the worker then waits for the next (the parent may reuse it).
    abort = new AbortController();
    const memory = setInterval(() => send({ type: 'memory', rss: process.memoryUsage.rss() }), 100);
    void run(m.input, abort.signal)
      .then(
        async ({ report, cleanup }): Promise<FromWorker> => {
          await bounded(cleanup, 2000);
          return { type: 'done', report };
        },
        (e: unknown): FromWorker => ({ type: 'failed', error: e instanceof Error ? e.message : String(e) }),
      )
      .then((result) => {
        clearInterval(memory);
        send({ type: 'memory', rss: process.memoryUsage.rss() });
        send(result);
      });
  } else if (m.type === 'abort') abort.abort();
  else {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error !== undefined) p?.reject(new Error(m.error));
    else p?.resolve(m.value);
  }
});
// The parent is gone: nobody is left to report to. SIGKILL, because exiting normally would
// wait for a native query that may never end.
process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
