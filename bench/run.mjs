// `npm run bench`: builds the exporter (package.json does that first), then runs each
// benchmark in its own Node process, one after another so they never compete for the two
// cores, and writes results/README.md from the result files.
//
//   BENCH_SCALE=0.1        shrink every size for a smoke run (results go to bench/.work/)
//   BENCH_ONLY=engine,gate run some benchmarks only (engine, postgres, incremental, keyindex, gate, metrics, lineage, anomaly)
//   BENCH_RUNS=5           timed runs / rounds per variant (default 3; the engine uses ≥ 5)
import { join } from 'node:path';
import { BENCH_DIR, FULL_SIZE, log, RESULTS_DIR, runNode, SCALE } from './lib.mjs';
import { writeReport } from './report.mjs';

const ALL = ['engine', 'postgres', 'incremental', 'keyindex', 'gate', 'metrics', 'lineage', 'anomaly'];
const only = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const o of only) if (!ALL.includes(o)) throw new Error(`BENCH_ONLY: unknown benchmark \`${o}\` (known: ${ALL.join(', ')})`);
const selected = only.length ? ALL.filter((b) => only.includes(b)) : ALL;

log('bench', `benchmarks: ${selected.join(', ')}; scale ${SCALE}${FULL_SIZE ? '' : ' (smoke run)'}; results → ${RESULTS_DIR}`);
const failed = [];
for (const name of selected) {
  const started = Date.now();
  log('bench', `── ${name} ──`);
  try {
    await runNode(join(BENCH_DIR, `${name}.mjs`), [], { nodeArgs: ['--expose-gc'], echo: true });
    log('bench', `${name} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } catch (e) {
    failed.push(name);
    log('bench', `${name} FAILED: ${e.message}`);
  }
}

const report = writeReport();
log('bench', `wrote ${report.file}`);
for (const g of report.goals) log('bench', `${g.result.padEnd(5)} ${g.label}: ${g.value}`);
if (failed.length) {
  log('bench', `failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
