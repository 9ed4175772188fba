import { loadProject } from '../config/loadProject';
import { duckdbExec } from '../testing/duckdbFile';
import { tempProject } from '../testing/tempDir';
import { runExporter } from './runExporter';

describe('paths in what the API shows without a token', () => {
  it('are relative to the project: check locations, and file paths quoted in errors', async () => {
    const p = tempProject({
      'datatrust.yml': [
        'sources: { wh: { type: duckdb, path: wh.duckdb } }',
        'datasets:',
        '  orders: { table: main.orders }',
        '  events: { file: data/events/*.parquet }',
        'checks: [checks/all.yml]',
        'server: { scan_on_start: false }',
        'state: { path: state/state.duckdb }',
      ].join('\n'),
      'checks/all.yml': 'checks for orders:\n  - row_count > 0\nchecks for events:\n  - row_count > 0\n',
      'data/events/.keep': '',
    });
    await duckdbExec(p.path('wh.duckdb'), ['CREATE TABLE orders AS SELECT 1 AS id']);
    const exporter = await runExporter({ project: loadProject(p.path('datatrust.yml')), port: 0, host: '127.0.0.1' });
    try {
      await exporter.service.requestScan('orders', { trigger: 'api' }).result;
      const events = await exporter.service.requestScan('events', { trigger: 'api' }).result;
      // The engine quotes the glob it could not read: an absolute path before it is recorded.
      expect(events.run.checks[0]!.error).toMatch(/data\/events\/\*\.parquet/);
      for (const path of ['/api/v1/datasets', '/api/v1/breakers', '/api/v1/breakers/events', `/api/v1/scans/${events.scanId}`, '/api/v1/incidents']) {
        const text = await (await fetch(`${exporter.url}${path}`)).text();
        expect({ path, leaks: text.includes(p.dir) }).toEqual({ path, leaks: false });
      }
      const datasets = (await (await fetch(`${exporter.url}/api/v1/datasets`)).json()) as { datasets: { dataset: string; latest: { results: { id: string; error?: string }[] } }[] };
      const latest = Object.fromEntries(datasets.datasets.map((d) => [d.dataset, d.latest.results[0]!]));
      expect(latest.orders!.id).toBe('checks/all.yml:2:5');
      expect(latest.events!.id).toBe('checks/all.yml:4:5');
      expect(latest.events!.error).toContain('data/events/*.parquet');
    } finally {
      await exporter.stop(1000);
      p.cleanup();
    }
  });
});
