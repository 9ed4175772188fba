import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../exporter/src/testing/exporterFixture';
import { freePort } from '../exporter/src/testing/freePort';
import { tempProject } from '../exporter/src/testing/tempDir';

const REPO = join(__dirname, '..');

/** The README's first command, as a new user runs it (minus `npm install`, done by CI). */
describe('npm start', () => {
  let child: ChildProcess;
  let log = '';
  const state = tempProject({});

  afterAll(async () => {
    if (child && child.exitCode === null) {
      process.kill(-child.pid!, 'SIGKILL');
    }
    state.cleanup();
  });

  it('builds, generates the demo, serves it and runs its pipeline: breakers, gates along lineage, metrics, alerts on stdout and MTTD', async () => {
    const port = await freePort();
    // Its own process group, so the whole npm → sh → node tree can be signalled together.
    child = spawn('npm', ['start'], {
      cwd: REPO,
      detached: true,
      env: { ...process.env, DATATRUST_PORT: String(port), DATATRUST_STATE: state.path('state.duckdb') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    await eventually(async () => (await fetch(`${url}/readyz`)).ok, 90_000, 250).catch((e: Error) => {
      throw new Error(`${e.message}\n${log}`);
    });
    await eventually(async () => (await fetch(`${url}/api/v1/breakers/raw_transactions`)).status === 423, 30_000, 100);
    const landing = await (await fetch(url)).text();
    expect(landing).toContain('raw_transactions');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^datatrust_breaker_open\{dataset="raw_transactions"\} 1$/m);
    expect(metrics).toMatch(/^datatrust_breaker_open\{dataset="users"\} 0$/m);

    // The demo's `log` channel delivers the incident as a JSON line on stdout: that delivery is
    // the detection MTTD measures, so /api/v1/mttd and the histogram have figures at once.
    const mttd = await eventually(async () => {
      const m = (await (await fetch(`${url}/api/v1/mttd`)).json()) as { d7: { count: number; avgSeconds: number | null; p95Seconds: number | null } };
      return m.d7.count > 0 ? m : undefined;
    }, 30_000, 250);
    expect(mttd.d7.avgSeconds).toEqual(expect.any(Number));
    expect(mttd.d7.p95Seconds).toBeGreaterThanOrEqual(mttd.d7.avgSeconds!);
    const withMttd = await (await fetch(`${url}/metrics`)).text();
    const count = Number(/^datatrust_mttd_seconds_count (\S+)$/m.exec(withMttd)?.[1]);
    expect(count).toBe(mttd.d7.count);
    const alerts = log.split('\n').filter((l) => l.startsWith('{"time"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(alerts).toContainEqual(expect.objectContaining({ level: 'error', logger: 'datatrust.alerts', channel: 'console', type: 'incident.opened' }));

    // The demo pipeline reported its lineage (no `upstream:` in datatrust.yml): ingest ran, clean
    // waits at its gate, and everything downstream of raw_transactions in lineage answers 423.
    expect(readFileSync(join(REPO, 'datatrust.yml'), 'utf8')).not.toMatch(/^\s+upstream:/m);
    await eventually(() => /demo pipeline: demo\.ingest done[\s\S]*gate: job demo\/demo\.clean is OPEN \(blocked by raw_transactions\)/.test(log), 30_000, 250).catch((e: Error) => {
      throw new Error(`${e.message}\n${log}`);
    });
    const report = encodeURIComponent('duckdb://data/demo.duckdb/demo.main.sales_report');
    const salesReport = (await (await fetch(`${url}/api/v1/breakers/${report}`)).json()) as Record<string, unknown>;
    expect(salesReport).toMatchObject({
      state: 'open',
      cause: 'upstream:raw_transactions',
      path: ['raw_transactions', 'cleaned_transactions', 'aggregated_sales', 'duckdb://data/demo.duckdb/demo.main.sales_report'],
      via: ['demo/demo.clean', 'demo/demo.aggregate', 'demo/demo.report'],
    });
    for (const job of ['demo.clean', 'demo.aggregate', 'demo.report']) expect([job, (await fetch(`${url}/api/v1/gates/jobs/demo/${job}`)).status]).toEqual([job, 423]);
    expect((await fetch(`${url}/api/v1/gates/jobs/demo/demo.ingest`)).status).toBe(200);
    const lineageMetrics = await (await fetch(`${url}/metrics`)).text();
    // report writes sales_report, which has no checks: 3 of 4 pipelines are covered.
    expect(lineageMetrics).toMatch(/^datatrust_pipeline_coverage_ratio 0\.75$/m);
    expect(lineageMetrics).toMatch(/^datatrust_lineage_coverage_ratio 1$/m);
    expect(lineageMetrics).toMatch(/^datatrust_job_blocked\{namespace="demo",pipeline="demo\.report"\} 1$/m);

    process.kill(-child.pid!, 'SIGTERM');
    // `close` waits for every process holding the pipes (npm exits before the exporter finishes).
    await new Promise((r) => child.once('close', r));
    expect(log).toMatch(/SIGTERM: shutting down[\s\S]*stopped cleanly/);
  }, 150_000);
});
