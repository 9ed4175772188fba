import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MetricHistory } from '../scan/historyEvaluation';
import type { IncrementalStore } from '../scan/incremental/state';
import type { DatasetRun } from '../scan/runDataset';
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

export interface ScanWorker {
  result: Promise<DatasetRun>;
  /** Stops the thread at once (its queries die with it); `result` then rejects. */
  terminate(): Promise<void>;
}

/**
 * Runs one dataset scan in a worker thread; `result` resolves with its DatasetRun. History
 * requests from the worker are served from `history`; aborting `signal` asks the worker to
 * cancel its running query; a worker that still does not stop is terminated by the caller.
 */
export function startScanWorker(input: ScanWorkerInput, history: MetricHistory & IncrementalStore, signal: AbortSignal): ScanWorker {
  const worker = new Worker(scanWorkerScript(), { workerData: input });
  const result = new Promise<DatasetRun>((resolve, reject) => {
    let settled = false;
    const send = (m: ToWorker) => worker.postMessage(m);
    const onAbort = () => send({ type: 'abort' });
    signal.addEventListener('abort', onAbort, { once: true });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'done') finish(() => resolve(m.run));
      else if (m.type === 'failed') finish(() => reject(new Error(m.error)));
      else {
        const call: Promise<unknown> =
          m.method === 'values' ? history.values(...(m.args as [string, string, number])) : m.method === 'incrementalState' ? history.incrementalState(...(m.args as [string])) : history.previousSchema(...(m.args as [string]));
        call.then(
          (value) => send({ type: 'history-result', id: m.id, value }),
          (e: unknown) => send({ type: 'history-result', id: m.id, error: e instanceof Error ? e.message : String(e) }),
        );
      }
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`scan worker exited with code ${code} before reporting`))));
  });
  return { result, terminate: async () => void (await worker.terminate()) };
}
