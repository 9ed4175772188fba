import { spawn } from 'node:child_process';
import { loadProject } from '../config/loadProject';
import { runExporter } from '../server/runExporter';
import { duckdbExec } from '../testing/duckdbFile';
import { sampleTreeRss } from '../testing/processTree';
import { CLI } from '../testing/runCli';
import { tempProject } from '../testing/tempDir';

/**
 * `list_sort(range(60M))` ignores DuckDB's interrupt and allocates outside its memory_limit: it
 * ran 38 s to 7 GB under a 3 s timeout, enough to get the exporter killed by the kernel. The scan
 * must end on time with a clear error and the memory stay bounded.
 */
const BOMB = 'SELECT len(list_sort(range(60000000)))';
const TIMEOUT_S = 3;
/** query_timeout + grace (2 s) + the watchdog's and the test's polling. */
const DEADLINE_MS = (TIMEOUT_S + 2 + 1.5) * 1000;
const MB = 2 ** 20;

async function bombProject() {
  const p = tempProject({
    'datatrust.yml': [
      'sources: { wh: { type: duckdb, path: wh.duckdb, memory_limit: 256MB } }',
      'datasets: { ledger: { table: main.ledger, critical: true } }',
      'checks: [checks.yml]',
      `scan: { query_timeout: ${TIMEOUT_S}s }`,
      'server: { scan_on_start: false }',
      'state: { path: state.duckdb }',
    ].join('\n'),
    'checks.yml': ['checks for ledger:', '  - row_count > 0', '  - sorted:', `      sorted query: ${BOMB}`, '      fail: when < 0', ''].join('\n'),
  });
  await duckdbExec(p.path('wh.duckdb'), ['CREATE TABLE ledger AS SELECT range AS id FROM range(10)']);
  return p;
}

describe('a query that ignores its interrupt', () => {
  it('under serve: its worker is killed, the checks error, a critical gate answers 423, and memory stays bounded', async () => {
    const p = await bombProject();
    const exporter = await runExporter({ project: loadProject(p.path('datatrust.yml')), port: 0, host: '127.0.0.1' });
    try {
      const baseline = process.memoryUsage.rss();
      const memory = sampleTreeRss(process.pid);
      const started = Date.now();
      const outcome = await exporter.service.requestScan('ledger', { trigger: 'api' }).result;
      const elapsed = Date.now() - started;
      const peak = memory.stop();
      expect(elapsed).toBeLessThan(DEADLINE_MS);
      expect(outcome.run.checks.map((c) => c.outcome)).toEqual(['error', 'error']);
      expect(outcome.run.checks[1]!.error).toMatch(/^(the scan used \d+MiB of memory, over its cap of \d+MiB \(DuckDB memory_limit 244MiB plus headroom\)|source `wh` did not answer within 5 s \(scan\.query_timeout 3 s plus 2 s grace\)): the scan was stopped$/);
      const gate = await fetch(`${exporter.url}/api/v1/breakers/ledger`);
      expect(gate.status).toBe(423);
      expect(await gate.json()).toMatchObject({ cause: 'scan_error', failingChecks: [{ outcome: 'error', error: outcome.run.checks[0]!.error }, expect.anything()] });
      // The exporter's own memory did not move; the worker's was capped: 896 MiB plus the growth
      // between two samples, which on a loaded 2-core machine reached ~750 MiB (unbounded: 7 GB).
      expect(process.memoryUsage.rss() - baseline).toBeLessThan(100 * MB);
      expect(peak - baseline).toBeLessThan(2048 * MB);
      process.stderr.write(`runaway query under serve: stopped after ${elapsed} ms; peak RSS of the exporter and its workers ${Math.round(peak / MB)} MiB (exporter alone ${Math.round(baseline / MB)} MiB)\n`);
      expect(await (await fetch(`${exporter.url}/metrics`)).text()).toMatch(/^datatrust_scans_running 0$/m);
    } finally {
      await exporter.stop(1000);
      p.cleanup();
    }
  }, 60_000);

  it('under serve: one that stays small is stopped at its deadline, query_timeout plus grace', async () => {
    // Several seconds of one regexp call over an 80 MB string, in a few hundred MB.
    const p = tempProject({
      'datatrust.yml': ['sources: { wh: { type: duckdb, path: wh.duckdb } }', 'datasets: { t: { table: main.t } }', 'checks: [checks.yml]', 'scan: { query_timeout: 1s }', 'server: { scan_on_start: false }', 'state: { path: state.duckdb }'].join('\n'),
      'checks.yml': ['checks for t:', '  - slow:', "      slow query: SELECT strlen(regexp_replace(repeat('a', 80000000), 'a', 'bb', 'g'))", '      fail: when < 0', ''].join('\n'),
    });
    await duckdbExec(p.path('wh.duckdb'), ['CREATE TABLE t AS SELECT 1 AS x']);
    const exporter = await runExporter({ project: loadProject(p.path('datatrust.yml')), port: 0, host: '127.0.0.1' });
    try {
      const started = Date.now();
      const outcome = await exporter.service.requestScan('t', { trigger: 'api' }).result;
      const elapsed = Date.now() - started;
      expect(outcome.run.checks[0]!.error).toBe('source `wh` did not answer within 3 s (scan.query_timeout 1 s plus 2 s grace): the scan was stopped');
      expect(elapsed).toBeGreaterThanOrEqual(3000);
      expect(elapsed).toBeLessThan(5500);
    } finally {
      await exporter.stop(1000);
      p.cleanup();
    }
  }, 60_000);

  it('under scan: the scan process is killed, the checks error with exit code 3, and memory stays bounded', async () => {
    const p = await bombProject();
    try {
      const started = Date.now();
      const child = spawn(process.execPath, [CLI, 'scan', '-c', p.path('datatrust.yml'), '-f', 'json'], { env: { ...process.env, NO_COLOR: '1' } });
      const memory = sampleTreeRss(child.pid!);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      const elapsed = Date.now() - started;
      const peak = memory.stop();
      expect(code).toBe(3);
      // Plus the CLI's own start-up.
      expect(elapsed).toBeLessThan(DEADLINE_MS + 2000);
      expect(stderr).toMatch(/^scan stopped: (the scan used \d+MiB of memory|source `wh` did not answer within 5 s)/m);
      const report = JSON.parse(stdout) as { datasets: { checks: { outcome: string; error: string }[] }[] };
      expect(report.datasets[0]!.checks.map((c) => c.outcome)).toEqual(['error', 'error']);
      expect(peak).toBeLessThan(2048 * MB);
      process.stderr.write(`runaway query under scan: exit 3 after ${elapsed} ms; peak RSS of the CLI and its worker ${Math.round(peak / MB)} MiB\n`);
    } finally {
      p.cleanup();
    }
  }, 60_000);
});
