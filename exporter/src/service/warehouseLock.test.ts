import { loadProject } from '../config/loadProject';
import { runExporter } from '../server/runExporter';
import { duckdbExec } from '../testing/duckdbFile';
import { tempProject } from '../testing/tempDir';

/**
 * Scan workers stay alive between scans; the warehouse file must not: pipelines write it between
 * scans and need its lock. Failed-row samples are read from a stream that is left unfinished,
 * which used to keep the file open in the worker.
 */
describe('the warehouse between scans', () => {
  it('is released after every scan, failed-row samples included, so a writer gets its lock at once', async () => {
    const p = tempProject({
      'datatrust.yml': ['sources: { wh: { type: duckdb, path: wh.duckdb } }', 'datasets: { orders: { table: main.orders } }', 'checks: [checks.yml]', 'server: { scan_on_start: false }', 'state: { path: state.duckdb }'].join('\n'),
      'checks.yml': ['checks for orders:', '  - invalid_count(amount) = 0:', '      valid min: 0', ''].join('\n'),
    });
    await duckdbExec(p.path('wh.duckdb'), ['CREATE TABLE orders AS SELECT range AS id, -1.0 * range AS amount FROM range(100000)']);
    const exporter = await runExporter({ project: loadProject(p.path('datatrust.yml')), port: 0, host: '127.0.0.1' });
    try {
      for (let round = 0; round < 3; round++) {
        const outcome = await exporter.service.requestScan('orders', { trigger: 'api' }).result;
        expect(outcome.run.checks[0]!.samples?.rows.length).toBeGreaterThan(0);
        // Not retried: the lock must be free the moment the scan is recorded.
        await duckdbExec(p.path('wh.duckdb'), [`UPDATE orders SET amount = amount - 1 WHERE id = ${round}`]);
      }
    } finally {
      await exporter.stop(1000);
      p.cleanup();
    }
  });
});
