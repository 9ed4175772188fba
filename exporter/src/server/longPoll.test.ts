import { duckdbExec } from '../testing/duckdbFile';
import { eventually, startTestExporter, TOKEN } from '../testing/exporterFixture';
import type { RunningExporter } from './runExporter';

/**
 * Long-polls are released whenever their gate's answer changes, by whatever path: a first scan
 * (which has no transition to announce), an override set, cleared or expiring, a breaker
 * upstream, a lineage change. Hundreds of them at once, as pipelines wait in the morning.
 */
describe('long-polling gates wake on every change of their answer', () => {
  let exporter: RunningExporter;
  let cleanup: () => Promise<void>;
  let warehouse: string;

  const gate = async (path: string) => {
    const t = Date.now();
    const res = await fetch(exporter.url + path);
    const body = (await res.json()) as { state: string; cause?: string };
    return { status: res.status, ms: Date.now() - t, at: Date.now(), body };
  };
  const send = async (method: string, path: string, body?: unknown) =>
    fetch(exporter.url + path, { method, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const scanned = async (dataset: string) => {
    const r = (await (await send('POST', `/api/v1/scans/${dataset}`)).json()) as { scanId: string };
    await eventually(async () => ((await (await fetch(`${exporter.url}/api/v1/scans/${r.scanId}`)).json()) as { status: string }).status === 'done');
  };
  const event = (job: string, inputs: string[], outputs: string[], time: string) => ({
    eventType: 'COMPLETE',
    eventTime: time,
    run: { runId: `0194f1b6-3c55-7d1e-9a7e-${String(Date.parse(time) % 1e12).padStart(12, '0')}` },
    job: { namespace: 'etl', name: job },
    inputs: inputs.map((t) => ({ namespace: 'duckdb://wh.duckdb', name: `wh.main.${t}` })),
    outputs: outputs.map((t) => ({ namespace: 'duckdb://wh.duckdb', name: `wh.main.${t}` })),
    producer: 'https://example.com/p',
  });

  beforeAll(async () => {
    ({ exporter, warehouse, cleanup } = await startTestExporter({
      datasets: ['orders: { table: main.orders, critical: true }', 'daily: { table: main.daily, upstream: [orders] }', 'ledger: { table: main.ledger }', 'report: { table: main.report }'],
      checks: ['checks for orders:', '  - min(amount) >= 0', 'checks for ledger:', '  - min(amount) >= 0', 'checks for report:', '  - row_count > 0', ''].join('\n'),
      tables: ['CREATE TABLE orders AS SELECT range AS id, range + 1.0 AS amount FROM range(10)', 'CREATE TABLE daily AS SELECT 1 AS d', 'CREATE TABLE ledger AS SELECT * FROM orders', 'CREATE TABLE report AS SELECT 1 AS r'],
    }));
  });
  afterAll(() => cleanup());

  test('a first scan releases 200 long-polls on a critical dataset waiting as not_scanned', async () => {
    expect((await gate('/api/v1/breakers/orders')).body.cause).toBe('not_scanned');
    const waiting = Array.from({ length: 200 }, () => gate('/api/v1/breakers/orders?wait=60s'));
    await new Promise((r) => setTimeout(r, 300));
    await scanned('orders');
    const closedAt = Date.now();
    const answers = await Promise.all(waiting);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // Released with the scan's commit (which came just before `closedAt`), not at the end of the wait.
    expect(Math.max(...answers.map((a) => a.at)) - closedAt).toBeLessThan(3000);
  });

  test('an override releases a long-poll, and so does its expiry', async () => {
    await duckdbExec(warehouse, ['UPDATE ledger SET amount = -1 WHERE id = 1']);
    await scanned('ledger');
    const forced = gate('/api/v1/breakers/ledger?wait=60s');
    await new Promise((r) => setTimeout(r, 200));
    expect((await send('POST', '/api/v1/breakers/ledger/override', { state: 'closed', reason: 'known issue, approved', ttl: '3s' })).status).toBe(201);
    expect(await forced).toMatchObject({ status: 200 });
    // A forced open: the long-poll waits until the override expires, not until its own deadline.
    expect((await send('POST', '/api/v1/breakers/report/override', { state: 'open', reason: 'freeze for the audit', ttl: '3s' })).status).toBe(201);
    const frozen = await gate('/api/v1/breakers/report?wait=60s');
    expect(frozen.status).toBe(200);
    expect(frozen.ms).toBeLessThan(15_000);
  });

  test('a fix upstream releases the datasets it blocked', async () => {
    await duckdbExec(warehouse, ['UPDATE orders SET amount = -1 WHERE id = 1']);
    await scanned('orders');
    expect((await gate('/api/v1/breakers/daily')).body.cause).toBe('upstream:orders');
    const waiting = gate('/api/v1/breakers/daily?wait=60s');
    await new Promise((r) => setTimeout(r, 200));
    await duckdbExec(warehouse, ['UPDATE orders SET amount = abs(amount)']);
    await scanned('orders');
    const r = await waiting;
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(30_000);
  });

  test('a lineage change releases a dataset no longer downstream of the open breaker', async () => {
    // ledger is open again (its override has expired); a job makes report depend on it…
    expect((await send('POST', '/api/v1/lineage', event('publish', ['ledger'], ['report'], '2026-11-30T01:00:00Z'))).status).toBe(201);
    expect((await gate('/api/v1/breakers/report')).body.cause).toBe('upstream:ledger');
    const waiting = gate('/api/v1/breakers/report?wait=60s');
    await new Promise((r) => setTimeout(r, 200));
    // …and its next run reads from orders instead: the edge is gone, and so is the block.
    expect((await send('POST', '/api/v1/lineage', event('publish', ['orders'], ['report'], '2026-11-30T02:00:00Z'))).status).toBe(201);
    const r = await waiting;
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(30_000);
  });
});
