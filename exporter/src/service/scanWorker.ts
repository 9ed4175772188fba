import { parentPort, workerData } from 'node:worker_threads';
import type { MetricHistory } from '../scan/historyEvaluation';
import type { IncrementalState, IncrementalStore } from '../scan/incremental/state';
import { runJobs } from '../scan/runScan';
import { SourceRegistry } from '../scan/sourceRegistry';
import type { FromWorker, HistoryMethod, ScanWorkerInput, ToWorker } from './scanWorkerProtocol';

/**
 * A worker thread that runs one dataset scan. DuckDB's memory (hundreds of MB for a 10M-row
 * scan) then lives and dies in this thread: freeing it at the end of a scan, which takes tens
 * of milliseconds, no longer stalls the exporter's event loop and with it the gate.
 */
const port = parentPort!;
const input = workerData as ScanWorkerInput;
const abort = new AbortController();
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextId = 0;

const post = (m: FromWorker) => port.postMessage(m);

function call(method: HistoryMethod, args: unknown[]): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    post({ type: 'history', id, method, args });
  });
}

/** History lives in the main thread's state store; ask it over the message port. */
const history: MetricHistory & IncrementalStore = {
  incrementalState: (dataset) => call('incrementalState', [dataset]) as Promise<IncrementalState | undefined>,
  values: (dataset, metricKey, limit) => call('values', [dataset, metricKey, limit]) as Promise<number[]>,
  previousSchema: (dataset) => call('previousSchema', [dataset]) as Promise<{ name: string; type: string }[] | undefined>,
};

port.on('message', (m: ToWorker) => {
  if (m.type === 'abort') abort.abort();
  else {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error !== undefined) p?.reject(new Error(m.error));
    else p?.resolve(m.value);
  }
});

async function main(): Promise<void> {
  const sources = new SourceRegistry(input.config, { defaultThreads: input.defaultThreads });
  try {
    const project = { config: input.config, documents: [], diagnostics: [], blocking: [] };
    const report = await runJobs(project, [input.job], { history, incremental: history, variables: input.variables, signal: abort.signal, sources, ...(input.fullScan ? { fullScan: true } : {}) });
    post({ type: 'done', run: report.datasets[0]! });
  } catch (e) {
    post({ type: 'failed', error: e instanceof Error ? e.message : String(e) });
  } finally {
    await sources.closeAll();
    port.close();
  }
}

void main();
