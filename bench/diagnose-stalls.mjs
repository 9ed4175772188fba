// Diagnostic, not part of `npm run bench`: where does the exporter's event loop stall while it
// scans a big file? Runs the real exporter in this process on the gate benchmark's config (run
// `BENCH_ONLY=gate npm run bench` once first), scans the file three times, and logs every gap
// of more than 15 ms in a 1 ms timer, every GC over 5 ms, and slow synchronous DuckDB calls,
// on one timeline. After each scan it forces two full GCs (needs --expose-gc) so the teardown of
// the scan's DuckDB objects shows up at a known moment instead of inside a later request.
//
//   node --expose-gc bench/diagnose-stalls.mjs
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { dist, requireFromRoot, WORK_DIR } from './lib.mjs';

if (!globalThis.gc) throw new Error('run with node --expose-gc');
const duckdb = requireFromRoot('@duckdb/node-api');
const t0 = performance.now();
const events = [];
const note = (at, what) => events.push([at - t0, what]);

/** Times a synchronous DuckDB call on the main thread. */
function timeSync(proto, method, label) {
  const original = proto[method];
  proto[method] = function (...args) {
    const started = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const ms = performance.now() - started;
      if (ms > 2) note(started, `${label} ${ms.toFixed(1)} ms`);
    }
  };
}
timeSync(duckdb.DuckDBInstance.prototype, 'closeSync', 'DuckDBInstance.closeSync');
timeSync(duckdb.DuckDBConnection.prototype, 'closeSync', 'DuckDBConnection.closeSync');
timeSync(duckdb.DuckDBPreparedStatement.prototype, 'destroySync', 'DuckDBPreparedStatement.destroySync');
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.duration > 5) note(e.startTime, `GC ${e.duration.toFixed(1)} ms`);
}).observe({ entryTypes: ['gc'] });
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  if (now - last > 15) note(last, `STALL ${(now - last).toFixed(1)} ms`);
  last = now;
}, 1).unref();

const { loadProject } = dist('config/loadProject.js');
const { runExporter } = dist('server/runExporter.js');
const dir = join(WORK_DIR, 'gate');
for (const f of ['state.duckdb', 'state.duckdb.wal']) rmSync(join(dir, f), { force: true });
const exporter = await runExporter({ project: loadProject(join(dir, 'datatrust.yml')), port: 0, host: '127.0.0.1', token: 'diagnose' });
const rss = () => `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB RSS`;
for (let i = 0; i < 3; i++) {
  note(performance.now(), `scan ${i + 1} starts (${rss()})`);
  const outcome = await exporter.service.requestScan('tx', { trigger: 'api' }).result;
  note(performance.now(), `scan ${i + 1} done in ${outcome.run.durationMs} ms (${rss()})`);
  for (const k of [1, 2]) {
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    globalThis.gc();
    note(started, `forced full GC #${k}: ${(performance.now() - started).toFixed(1)} ms, then ${rss()}`);
  }
}
await exporter.stop();
for (const [at, what] of events.sort((a, b) => a[0] - b[0])) console.log(`${(at / 1000).toFixed(3).padStart(8)} s  ${what}`);
