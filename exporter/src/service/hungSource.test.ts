import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadProject } from '../config/loadProject';
import { runExporter } from '../server/runExporter';
import { eventually } from '../testing/exporterFixture';
import { startPostgres } from '../testing/postgresServer';
import { processTree } from '../testing/processTree';
import { tempProject } from '../testing/tempDir';

const TIMEOUT_S = 3;
/** query_timeout + grace (2 s) + the test's polling. */
const FAIL_CLOSED_WITHIN_MS = (TIMEOUT_S + 2 + 1) * 1000;

/** Signals a process that may have ended meanwhile (a backend or worker of the cluster that exited). */
function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

/** Every process of a PostgreSQL cluster: the postmaster (first line of postmaster.pid) and its children. */
function clusterProcesses(dataDir: string): number[] {
  return processTree(Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]));
}

/**
 * A PostgreSQL that stops answering mid-query (frozen, partitioned, stuck) cannot enforce its own
 * statement_timeout. The scan must still end on time as `error`, so a critical dataset fails
 * closed and says why, and recover once the server is back.
 */
describe('a source that stops answering mid-scan', () => {
  it('fails the critical dataset closed within query_timeout plus grace, names the cause, and recovers when the server is back', async () => {
    // Its own cluster: freezing the shared one would stall every other test.
    const pg = await startPostgres();
    const frozen: number[] = [];
    const admin = new Client({ connectionString: pg.url });
    const p = tempProject({
      'datatrust.yml': [
        `sources: { ledger: { type: postgres, url: "${pg.url}" } }`,
        'datasets: { payments: { table: public.payments, critical: true } }',
        'checks: [checks.yml]',
        `scan: { query_timeout: ${TIMEOUT_S}s }`,
        'server: { scan_on_start: false }',
        'state: { path: state.duckdb }',
      ].join('\n'),
      // The second check takes a second: the window in which the server is frozen.
      'checks.yml': ['checks for payments:', '  - row_count > 0', '  - settled:', '      settled query: SELECT count(*) FROM payments, pg_sleep(1)', '      fail: when < 1', ''].join('\n'),
    });
    let exporter: Awaited<ReturnType<typeof runExporter>> | undefined;
    try {
      await admin.connect();
      await admin.query('CREATE TABLE payments AS SELECT g AS id, g * 1.5 AS amount FROM generate_series(1, 1000) g');
      exporter = await runExporter({ project: loadProject(p.path('datatrust.yml')), port: 0, host: '127.0.0.1' });
      const gate = async () => {
        const r = await fetch(`${exporter!.url}/api/v1/breakers/payments`);
        return { status: r.status, json: (await r.json()) as { cause?: string; failingChecks?: { error?: string }[] } };
      };
      await exporter.service.requestScan('payments', { trigger: 'api' }).result;
      expect((await gate()).status).toBe(200);

      const scan = exporter.service.requestScan('payments', { trigger: 'api' }).result;
      await eventually(async () => (await admin.query("SELECT 1 FROM pg_stat_activity WHERE application_name = 'datatrust' AND query LIKE '%pg_sleep%' AND state = 'active'")).rowCount === 1, 10_000, 20);
      await admin.end();
      const frozenAt = Date.now();
      for (const pid of clusterProcesses(pg.dataDir)) if (signal(pid, 'SIGSTOP')) frozen.push(pid);
      const closed = await eventually(async () => {
        const g = await gate();
        return g.status === 423 ? g : undefined;
      }, 30_000, 50);
      const failClosedMs = Date.now() - frozenAt;
      process.stderr.write(`frozen PostgreSQL: the critical gate answered 423 ${failClosedMs} ms after the freeze (query_timeout ${TIMEOUT_S} s)\n`);
      expect(failClosedMs).toBeLessThan(FAIL_CLOSED_WITHIN_MS);
      const cause = /^source `ledger` did not answer within 4 s/;
      expect(closed.json.cause).toBe('scan_error');
      expect(closed.json.failingChecks![0]!.error).toMatch(cause);
      const outcome = await scan;
      // row_count was read before the freeze.
      expect(outcome.run.checks.map((c) => c.outcome)).toEqual(['pass', 'error']);
      const incidents = (await (await fetch(`${exporter.url}/api/v1/incidents?state=open`)).json()) as { incidents: { dataset: string; cause: string; failingChecks: { error: string }[] }[] };
      expect(incidents.incidents).toHaveLength(1);
      expect(incidents.incidents[0]).toMatchObject({ dataset: 'payments', cause: 'scan_error' });
      expect(incidents.incidents[0]!.failingChecks[0]!.error).toMatch(cause);
      expect(await (await fetch(`${exporter.url}/metrics`)).text()).toMatch(/^datatrust_scans_running 0$/m);

      for (const pid of frozen.splice(0)) signal(pid, 'SIGCONT');
      await exporter.service.requestScan('payments', { trigger: 'api' }).result;
      expect(await gate()).toMatchObject({ status: 200 });
    } finally {
      for (const pid of frozen) signal(pid, 'SIGCONT');
      await admin.end().catch(() => undefined);
      await exporter?.stop(1000);
      pg.stop();
      p.cleanup();
    }
  }, 90_000);
});
