import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadProject } from '../config/loadProject';
import { runExporter, type RunningExporter } from '../server/runExporter';
import { type HttpReceiver, startHttpReceiver } from '../testing/httpReceiver';
import { tempProject } from '../testing/tempDir';

const TOKEN = 'sk-serve-Qm3Vt8Xk2Lp9';

/** `datatrust serve`: HTTP datasets are scanned on their schedule, in the scan workers, like tables. */
describe('an HTTP dataset under serve', () => {
  let api: HttpReceiver;
  let exporter: RunningExporter | undefined;
  let fields: Record<string, unknown> = {};
  let failing = false;
  const logs: string[] = [];
  const p = tempProject({ 'checks.yml': 'checks for orders_api:\n  - row_count = 3\n  - schema:\n      warn:\n        when schema changes: any\n' });

  beforeAll(async () => {
    api = await startHttpReceiver((req, res) => {
      if (failing) return void res.writeHead(500).end(`broken for ${String(req.headers['x-api-key'])}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([1, 2, 3].map((id) => ({ id, ...fields }))));
    });
    const config = [
      'datasets:',
      '  orders_api:',
      '    critical: true',
      '    schedule: "*/1 * * * * *"',
      '    http:',
      `      url: ${api.base}/orders`,
      '      headers: { X-Api-Key: "${ORDERS_TOKEN}" }',
      '      retries: 0',
      'checks: [checks.yml]',
      'server: { scan_on_start: false }',
      'state: { path: state.duckdb }',
      '',
    ].join('\n');
    writeFileSync(p.path('datatrust.yml'), config);
    exporter = await runExporter({ project: loadProject(p.path('datatrust.yml'), { env: { ORDERS_TOKEN: TOKEN } }), port: 0, host: '127.0.0.1', log: (m) => logs.push(m) });
  });
  afterAll(async () => {
    await exporter?.stop();
    await api.close();
    p.cleanup();
  });

  it('scans on the schedule, sees a field that appears, and fails closed without leaking the key when the API breaks', async () => {
    const scan = () => exporter!.service.requestScan('orders_api', { trigger: 'api' }).result;
    // The cron fires every second: the API is asked without anyone requesting a scan.
    const deadline = Date.now() + 10_000;
    while (api.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(api.requests.length).toBeGreaterThan(0);
    expect(api.requests[0]!.headers['x-api-key']).toBe(TOKEN);

    const first = await scan();
    expect(first.run.checks.map((c) => c.outcome)).toEqual(['pass', 'pass']);

    fields = { currency: 'KRW' };
    const second = await scan();
    expect(second.run.checks[1]).toMatchObject({ outcome: 'warn' });

    failing = true;
    const third = await scan();
    expect(third.run.checks.map((c) => c.outcome)).toEqual(['error', 'error']);
    expect(third.breaker.state).toBe('open');

    const pages = await Promise.all(['/metrics', '/api/v1/datasets', '/api/v1/breakers/orders_api', '/api/v1/incidents'].map(async (path) => (await fetch(exporter!.url + path)).text()));
    expect(pages[1]).toContain('broken for [redacted]');
    const state = ['state.duckdb', 'state.duckdb.wal'].filter((f) => existsSync(p.path(f))).map((f) => readFileSync(p.path(f)).toString('latin1')).join('');
    for (const text of [...pages, logs.join('\n'), state]) expect(text).not.toContain(TOKEN);
  }, 30_000);
});
