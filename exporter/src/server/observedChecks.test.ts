import { readFileSync, writeFileSync } from 'node:fs';
import { loadProject } from '../config/loadProject';
import { duckdbExec } from '../testing/duckdbFile';
import { eventually, TOKEN } from '../testing/exporterFixture';
import { type HttpReceiver, startHttpReceiver } from '../testing/httpReceiver';
import { tempProject } from '../testing/tempDir';
import { runExporter, type RunningExporter } from './runExporter';

type Json = Record<string, unknown>;
const DAY = 86400_000;

const CHECKS = ['checks for orders:', '  - row_count > 0', '  - invalid_count(amount) = 0:', '      name: No negative amounts', '      valid min: 0', '      mode: observe', ''].join('\n');

/**
 * PRD 7.2 end to end, on a real exporter, DuckDB warehouse and webhook receiver: an observed rule
 * that fails leaves the critical dataset's breaker closed, pages no one and shows up in the
 * observed list; promoted (the `mode:` line removed), it enforces with its history intact.
 */
describe('observed checks under serve', () => {
  let receiver: HttpReceiver;
  let project: ReturnType<typeof tempProject>;
  let exporter: RunningExporter | undefined;
  // The service's clock: moved forward to spread evaluations over days.
  let clock = Date.now();

  const start = async () => {
    exporter = await runExporter({ project: loadProject(project.path('datatrust.yml')), port: 0, host: '127.0.0.1', token: TOKEN, now: () => new Date(clock) });
  };
  const get = async (path: string) => {
    const res = await fetch(exporter!.url + path);
    const text = await res.text();
    return { status: res.status, text, json: (text.startsWith('{') ? JSON.parse(text) : {}) as Json };
  };
  const scan = async () => {
    const res = await fetch(`${exporter!.url}/api/v1/scans/orders`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(202);
    const id = String(((await res.json()) as Json).scanId);
    return eventually(async () => {
      const s = await get(`/api/v1/scans/${id}`);
      return s.json.status === 'done' ? (s.json as { results: { name: string; outcome: string; mode?: string }[] }) : undefined;
    });
  };
  const breakData = () => duckdbExec(project.path('wh.duckdb'), ['UPDATE orders SET amount = -amount WHERE id IN (3, 4)']);
  const fixData = () => duckdbExec(project.path('wh.duckdb'), ['UPDATE orders SET amount = abs(amount)']);
  const observed = async (query = '') => (await get(`/api/v1/checks/observed${query}`)).json as { since: string; checks: Json[] };
  const alerts = () => receiver.requests.flatMap((r) => (JSON.parse(r.body) as { events: { type: string }[] }).events.map((e) => e.type));

  beforeAll(async () => {
    receiver = await startHttpReceiver((_req, res) => res.end('ok'));
    project = tempProject({
      'datatrust.yml': [
        'sources:',
        '  wh: { type: duckdb, path: wh.duckdb }',
        'datasets:',
        '  orders: { table: main.orders, critical: true }',
        'checks: [checks.yml]',
        'server: { scan_on_start: false }',
        'state: { path: state/state.duckdb }',
        'alerts:',
        '  group_window: 1s',
        '  channels:',
        `    hooks: { type: webhook, url: "${receiver.base}/hook", min_priority: low }`,
      ].join('\n'),
      'checks.yml': CHECKS,
    });
    await duckdbExec(project.path('wh.duckdb'), ["CREATE TABLE orders AS SELECT range AS id, 'c' || (range % 7) AS customer, (range % 100) + 1.5 AS amount FROM range(1000)"]);
    await start();
  });
  afterAll(async () => {
    await exporter?.stop();
    await receiver.close();
    project.cleanup();
  });

  it('a failing observed check leaves the breaker closed, pages no one, and is exported apart', async () => {
    await breakData();
    const done = await scan();
    expect(done.results.map((r) => [r.name, r.outcome, r.mode ?? 'enforce'])).toEqual([
      ['row_count > 0', 'pass', 'enforce'],
      ['No negative amounts', 'fail', 'observe'],
    ]);
    expect(await get('/api/v1/breakers/orders')).toMatchObject({ status: 200, json: { state: 'closed', failingChecks: [] } });
    expect((await get('/api/v1/incidents')).json).toEqual({ incidents: [] });
    // The dataset API shows what the observed check would have done.
    const datasets = (await get('/api/v1/datasets')).json as { datasets: { latest: { results: Json[] } }[] };
    expect(datasets.datasets[0]!.latest.results[1]).toMatchObject({ name: 'No negative amounts', outcome: 'fail', mode: 'observe' });

    const metrics = (await get('/metrics')).text;
    expect(metrics).toContain('datatrust_observed_check_status{dataset="orders",check="No negative amounts"} 2\n');
    expect(metrics).toContain('datatrust_observed_check_value{dataset="orders",check="No negative amounts"} 2\n');
    expect(metrics).not.toMatch(/datatrust_check_status\{[^}]*No negative amounts/);
    expect(metrics).toContain('datatrust_breaker_open{dataset="orders"} 0\n');
    expect(metrics).toContain('datatrust_check_evaluations_total{dataset="orders",outcome="fail"} 0\n');
    expect(metrics).toContain('datatrust_check_evaluations_total{dataset="orders",outcome="pass"} 1\n');
    await eventually(async () => (await get('/metrics')).text.includes('datatrust_check_pass_ratio{dataset="orders",window="1d"} 1\n'));

    // Well past the 1 s grouping window: the webhook (even at min_priority low) heard nothing.
    await new Promise((r) => setTimeout(r, 2500));
    expect(receiver.requests).toEqual([]);
  });

  it('lists observed checks with how often they would have failed, over `since` (default 14 days)', async () => {
    clock += DAY;
    await fixData();
    await scan();
    clock += 3 * DAY;
    await scan();
    const all = await observed();
    expect(Date.parse(all.since)).toBe(clock - 14 * DAY);
    expect(all.checks).toEqual([
      {
        dataset: 'orders',
        check: 'No negative amounts',
        definition: 'invalid_count(amount) = 0',
        location: 'checks.yml:3:5',
        observedSince: expect.any(String),
        lastOutcome: 'pass',
        lastEvaluatedAt: new Date(clock).toISOString(),
        evaluations: 3,
        pass: 2,
        warn: 0,
        fail: 1,
        error: 0,
        wouldHaveFailedRatio: 1 / 3,
        quiet: false,
      },
    ]);
    expect(Date.parse(String(all.checks[0]!.observedSince))).toBe(clock - 4 * DAY);
    // The last two days hold only the latest, passing evaluation: quiet, ready to promote.
    expect((await observed('?since=2d')).checks[0]).toMatchObject({ evaluations: 1, pass: 1, fail: 0, wouldHaveFailedRatio: 0, quiet: true });
  });

  it('answers 400 with the contract for a bad `since`', async () => {
    for (const bad of ['fortnight', '0s', '-1d', '14']) {
      expect(await get(`/api/v1/checks/observed?since=${bad}`)).toMatchObject({ status: 400, json: { error: '`since` must be a duration such as `7d` or `24h`' } });
    }
  });

  it('a promoted check enforces, leaves the observed list, and keeps its history', async () => {
    await exporter!.stop();
    exporter = undefined;
    writeFileSync(project.path('checks.yml'), readFileSync(project.path('checks.yml'), 'utf8').replace('      mode: observe\n', ''));
    clock += DAY;
    await start();
    await breakData();
    const done = await scan();
    expect(done.results.map((r) => [r.name, r.outcome, r.mode ?? 'enforce'])).toEqual([
      ['row_count > 0', 'pass', 'enforce'],
      ['No negative amounts', 'fail', 'enforce'],
    ]);
    expect(await get('/api/v1/breakers/orders')).toMatchObject({ status: 423, json: { state: 'open', failingChecks: [{ name: 'No negative amounts' }] } });
    expect((await observed()).checks).toEqual([]);
    // Enforced now, it pages: the same channel that stayed silent above.
    await eventually(() => alerts().includes('incident.opened'));

    const history = (await get('/api/v1/datasets/orders/history?since=14d')).json as { episodes: Json[]; days: { fail: number }[] };
    expect(history.episodes).toEqual([
      { check: 'No negative amounts', outcome: 'fail', from: new Date(clock - 5 * DAY).toISOString(), resolvedAt: new Date(clock - 4 * DAY).toISOString(), observed: true },
      { check: 'No negative amounts', outcome: 'fail', from: new Date(clock).toISOString() },
    ]);
    // Only the enforced failure counts in the pass ratios.
    expect(history.days.reduce((n, d) => n + d.fail, 0)).toBe(1);
    expect((await get('/metrics')).text).toContain('datatrust_check_status{dataset="orders",check="No negative amounts"} 2\n');
  });
});
