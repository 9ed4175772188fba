import { loadProject } from '../config/loadProject';
import { runExporter } from '../server/runExporter';
import { duckdbExec, duckdbQuery } from '../testing/duckdbFile';
import { eventually } from '../testing/exporterFixture';
import { tempProject } from '../testing/tempDir';

/** A critical dataset whose only check runs for a long time: shutdown must cancel it cleanly. */
async function slowExporter() {
  const p = tempProject({
    'datatrust.yml': [
      'sources: { wh: { type: duckdb, path: wh.duckdb } }',
      'datasets: { t: { table: main.t, critical: true } }',
      'checks: [checks.yml]',
      'server: { scan_on_start: false }',
      'state: { path: state.duckdb }',
    ].join('\n'),
    'checks.yml': ['checks for t:', '  - slow:', '      slow query: SELECT count(*) FROM range(100000) a, range(100000) b', '      fail: when < 0', ''].join('\n'),
  });
  await duckdbExec(p.path('wh.duckdb'), ['CREATE TABLE t AS SELECT 1 AS x']);
  const exporter = await runExporter({ project: loadProject(p.path('datatrust.yml')), port: 0, host: '127.0.0.1' });
  return { p, exporter };
}

describe('service shutdown and start-up', () => {
  it('holds a critical dataset closed to pipelines (423 not_scanned) until its first scan', async () => {
    const { p, exporter } = await slowExporter();
    try {
      const r = await fetch(`${exporter.url}/api/v1/breakers/t`);
      expect(r.status).toBe(423);
      expect(await r.json()).toMatchObject({ state: 'open', cause: 'not_scanned' });
      expect(await (await fetch(`${exporter.url}/metrics`)).text()).toMatch(/^datatrust_breaker_open\{dataset="t"\} 1$/m);
    } finally {
      await exporter.stop(1000);
      p.cleanup();
    }
  });

  it('cancels a running scan on stop without recording it: no breaker opened, no incident, no alert', async () => {
    const { p, exporter } = await slowExporter();
    const ticket = exporter.service.requestScan('t', { trigger: 'api' });
    ticket.result.catch(() => undefined);
    await eventually(() => exporter.service.snapshot.scansRunning === 1);
    const started = Date.now();
    await exporter.stop(1000);
    // Cancelled within the grace period, not after the query would have finished.
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(ticket.result).rejects.toThrow(/cancelled: shutting down/);
    const state = p.path('state.duckdb');
    expect(await duckdbQuery(state, 'SELECT count(*) AS n FROM scans')).toEqual([{ n: 0 }]);
    expect(await duckdbQuery(state, 'SELECT count(*) AS n FROM breakers')).toEqual([{ n: 0 }]);
    expect(await duckdbQuery(state, 'SELECT count(*) AS n FROM outbox')).toEqual([{ n: 0 }]);
    p.cleanup();
  });
});
