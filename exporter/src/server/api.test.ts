import { execFileSync } from 'node:child_process';
import { eventually, startOrdersExporter, TOKEN } from '../testing/exporterFixture';
import { findBinary } from '../testing/findBinary';
import { type HttpReceiver, startHttpReceiver } from '../testing/httpReceiver';

interface Json {
  [k: string]: unknown;
}

describe('exporter HTTP API', () => {
  let receiver: HttpReceiver;
  let fx: Awaited<ReturnType<typeof startOrdersExporter>>;
  let url: string;
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url + path, { headers });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: (text.startsWith('{') ? JSON.parse(text) : {}) as Json };
  };
  const send = async (method: string, path: string, body?: unknown, token: string | null = TOKEN) => {
    const res = await fetch(url + path, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: (await res.json()) as Json };
  };
  const scan = async (dataset: string) => {
    const r = await send('POST', `/api/v1/scans/${dataset}`);
    expect(r.status).toBe(202);
    const id = String(r.json.scanId);
    return eventually(async () => {
      const s = await get(`/api/v1/scans/${id}`);
      return s.json.status === 'done' ? s.json : undefined;
    });
  };
  const events = () => receiver.requests.flatMap((r) => (JSON.parse(r.body) as { events: { type: string; dataset: string }[] }).events);

  beforeAll(async () => {
    receiver = await startHttpReceiver((_req, res) => res.end('ok'));
    fx = await startOrdersExporter({ webhookUrl: `${receiver.base}/hook` });
    url = fx.exporter.url;
  });
  afterAll(async () => {
    await fx.cleanup();
    await receiver.close();
  });

  it('answers health and readiness', async () => {
    expect((await get('/healthz')).json).toEqual({ status: 'ok' });
    expect(await get('/readyz')).toMatchObject({ status: 200, json: { status: 'ready' } });
  });

  it('serves a landing page linking every endpoint', async () => {
    const page = await get('/');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    for (const link of ['/metrics', '/api/v1/breakers', '/api/v1/incidents', '/api/v1/mttd', '/healthz', '/readyz']) expect(page.text).toContain(`href="${link}"`);
  });

  it('sets defensive headers', async () => {
    const r = await get('/api/v1/breakers');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(r.headers.get('x-powered-by')).toBeNull();
  });

  it('answers the plain gate on its fast path exactly as the Express route does', async () => {
    const fast = await get('/api/v1/breakers/orders');
    const viaExpress = await get('/api/v1/breakers/orders?wait=0s');
    expect(fast.status).toBe(viaExpress.status);
    expect(fast.text).toBe(viaExpress.text);
    const names = (h: Headers) => [...h.keys()].filter((k) => !['date', 'connection', 'keep-alive', 'content-length'].includes(k)).sort();
    expect(names(fast.headers)).toEqual(names(viaExpress.headers));
    for (const k of names(fast.headers)) expect([k, fast.headers.get(k)]).toEqual([k, viaExpress.headers.get(k)]);
  });

  it('answers 404 in JSON for unknown datasets and routes', async () => {
    expect(await get('/api/v1/breakers/nope')).toMatchObject({ status: 404, json: { error: 'unknown dataset `nope`', known: ['orders', 'orders_daily'] } });
    expect(await get('/api/v2/whatever')).toMatchObject({ status: 404, json: { error: 'no route for GET /api/v2/whatever' } });
  });

  it('refuses mutating requests without the token, or with a wrong one', async () => {
    expect(await send('POST', '/api/v1/scans/orders', undefined, null)).toMatchObject({ status: 401, json: { error: expect.stringMatching(/Bearer/) } });
    expect((await send('POST', '/api/v1/scans/orders', undefined, 'wrong')).status).toBe(401);
    expect((await send('POST', '/api/v1/breakers/orders/override', { state: 'open', reason: 'x' }, null)).status).toBe(401);
    expect((await send('DELETE', '/api/v1/breakers/orders/override', undefined, 'wrong')).status).toBe(401);
  });

  it('answers 400 for malformed JSON and 413 for oversized bodies', async () => {
    expect(await send('POST', '/api/v1/breakers/orders/override', '{"state": ')).toMatchObject({ status: 400, json: { error: expect.stringMatching(/not valid JSON/) } });
    expect((await send('POST', '/api/v1/breakers/orders/override', { reason: 'x'.repeat(20_000) })).status).toBe(413);
  });

  it('gates on the breaker: 200 closed, 423 open with the failing checks, blocking downstream too; one alert each way', async () => {
    await scan('orders');
    expect(await get('/api/v1/breakers/orders')).toMatchObject({ status: 200, json: { dataset: 'orders', state: 'closed' } });

    await fx.breakData();
    const done = await scan('orders');
    expect(done).toMatchObject({ dataset: 'orders', status: 'done' });
    // Failed-row samples are customer data: only token holders see them.
    const failing = (r: Json) => (r.results as Json[]).find((c) => c.name === 'No negative amounts')!;
    expect(failing(done)).not.toHaveProperty('samples');
    const withToken = await get(`/api/v1/scans/${String(done.scanId)}`, { Authorization: `Bearer ${TOKEN}` });
    expect((failing(withToken.json).samples as { rows: unknown[] }).rows).toHaveLength(2);
    const datasets = (await get('/api/v1/datasets')).json.datasets as Json[];
    expect(failing(datasets[0]!.latest as Json)).not.toHaveProperty('samples');
    const open = await get('/api/v1/breakers/orders');
    expect(open.status).toBe(423);
    expect(open.headers.get('retry-after')).toBe('30');
    expect(open.json).toMatchObject({ state: 'open', cause: 'check_failed', failingChecks: [{ name: 'No negative amounts', outcome: 'fail', value: 2 }] });
    expect(open.json.incidentId).toEqual(expect.any(String));
    expect(await get('/api/v1/breakers/orders_daily')).toMatchObject({ status: 423, json: { state: 'open', ownState: 'closed', cause: 'upstream:orders', blockedBy: ['orders'] } });

    // A second failing scan is the same incident: no second message.
    await scan('orders');
    await eventually(() => events().length >= 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(events().map((e) => `${e.type} ${e.dataset}`)).toEqual(['incident.opened orders']);
    const opened = JSON.parse(receiver.requests[0]!.body) as { events: { blocked: string[] }[] };
    expect(opened.events[0]!.blocked).toEqual(['orders_daily']);

    // Long-poll: the request waits while open and returns 200 as soon as a passing scan closes it.
    const started = Date.now();
    const polling = get('/api/v1/breakers/orders?wait=20s');
    await new Promise((r) => setTimeout(r, 300));
    await fx.fixData();
    await scan('orders');
    const closed = await polling;
    expect(closed).toMatchObject({ status: 200, json: { state: 'closed' } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await get('/api/v1/breakers/orders_daily')).status).toBe(200);
    await eventually(() => events().length >= 2);
    await new Promise((r) => setTimeout(r, 1500));
    expect(events().map((e) => `${e.type} ${e.dataset}`)).toEqual(['incident.opened orders', 'incident.resolved orders']);
  });

  it('long-polling an open breaker answers 423 when the wait runs out', async () => {
    await send('POST', '/api/v1/breakers/orders/override', { state: 'open', reason: 'maintenance window', ttl: '1h' });
    const started = Date.now();
    const r = await get('/api/v1/breakers/orders?wait=1s');
    expect(r.status).toBe(423);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await send('DELETE', '/api/v1/breakers/orders/override');
  });

  it('lets an audited override decide the gate until cleared', async () => {
    const bad = await send('POST', '/api/v1/breakers/orders/override', { state: 'maybe', ttl: '30d' });
    expect(bad).toMatchObject({ status: 400, json: { error: '`state` must be "open" or "closed"; `reason` is required: overrides are audited; `ttl` must be at most 7d: overrides are temporary by design' } });
    for (const ttl of [0.5, '0.9s', 0.001]) {
      expect(await send('POST', '/api/v1/breakers/orders/override', { state: 'open', reason: 'blink', ttl })).toMatchObject({ status: 400, json: { error: '`ttl` must be at least 1s: a shorter override has expired before anyone reads it' } });
    }
    const set = await send('POST', '/api/v1/breakers/orders/override', { state: 'open', reason: 'regulator hold', ttl: '2h', actor: 'risk-office' });
    expect(set).toMatchObject({ status: 201, json: { override: { state: 'open', reason: 'regulator hold', actor: 'risk-office' }, breaker: { state: 'open', ownState: 'closed' } } });
    expect(await get('/api/v1/breakers/orders')).toMatchObject({ status: 423, json: { overridden: { reason: 'regulator hold', actor: 'risk-office' } } });
    const cleared = await send('DELETE', '/api/v1/breakers/orders/override?actor=kim');
    expect(cleared).toMatchObject({ status: 200, json: { cleared: { reason: 'regulator hold' }, breaker: { state: 'closed' } } });
    expect((await get('/api/v1/breakers/orders')).status).toBe(200);
  });

  it('lists breakers, datasets, incidents and MTTD', async () => {
    const list = await get('/api/v1/breakers');
    expect((list.json.breakers as Json[]).map((b) => b.dataset)).toEqual(['orders', 'orders_daily']);
    const datasets = (await get('/api/v1/datasets')).json.datasets as Json[];
    expect(datasets[0]).toMatchObject({ dataset: 'orders', checks: 3 });
    expect(datasets[1]).toMatchObject({ dataset: 'orders_daily', checks: 0, latest: null });
    const incidents = (await get('/api/v1/incidents')).json.incidents as Json[];
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ dataset: 'orders', cause: 'check_failed', firstAlertAt: expect.any(String), resolvedAt: expect.any(String) });
    const mttd = (await get('/api/v1/mttd')).json;
    expect(mttd).toMatchObject({ d7: { count: 1 }, d30: { count: 1 } });
    expect((mttd.d7 as Json).avgSeconds).toBeGreaterThanOrEqual(0);
  });

  it('reports an unknown scan id as 404', async () => {
    expect((await get('/api/v1/scans/no-such-scan')).status).toBe(404);
  });

  it('serves Prometheus text and OpenMetrics from one process without renaming counters in the other', async () => {
    const first = await get('/metrics');
    expect(first.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(first.text).toContain('# TYPE datatrust_check_evaluations_total counter');
    expect(first.text).toMatch(/datatrust_check_evaluations_total\{dataset="orders",outcome="pass"\} \d+/);
    const om = await get('/metrics', { Accept: 'application/openmetrics-text; version=1.0.0' });
    expect(om.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    expect(om.text).toContain('# TYPE datatrust_check_evaluations counter');
    expect(om.text).toMatch(/datatrust_check_evaluations_total\{dataset="orders",outcome="pass"\} \d+/);
    expect(om.text.trimEnd().endsWith('# EOF')).toBe(true);
    // prom-client PR #829: after an OpenMetrics render, the text format must still say _total.
    const again = await get('/metrics');
    expect(again.text).toContain('# TYPE datatrust_check_evaluations_total counter');
    expect(again.text).toContain('# TYPE datatrust_alert_deliveries_total counter');
  });

  it('exports the documented metrics with consistent values', async () => {
    const m = (await get('/metrics')).text;
    expect(m).toMatch(/^datatrust_check_status\{dataset="orders",check="No negative amounts"\} 0$/m);
    expect(m).toMatch(/^datatrust_check_value\{dataset="orders",check="row_count > 0"\} 1000$/m);
    expect(m).toMatch(/^datatrust_breaker_open\{dataset="orders"\} 0$/m);
    expect(m).toMatch(/^datatrust_breaker_open\{dataset="orders_daily"\} 0$/m);
    expect(m).toMatch(/^datatrust_breaker_overridden\{dataset="orders"\} 0$/m);
    expect(m).toMatch(/^datatrust_incidents_open 0$/m);
    expect(m).toMatch(/^datatrust_check_pass_ratio\{dataset="orders",window="1d"\} 0\.\d+$/m);
    expect(m).toMatch(/^datatrust_dataset_last_scan_timestamp_seconds\{dataset="orders"\} \d+/m);
    expect(m).toMatch(/^datatrust_scan_duration_seconds_count\{dataset="orders"\} 4$/m);
    expect(m).toMatch(/^datatrust_mttd_seconds_count 1$/m);
    expect(m).toMatch(/^datatrust_alert_deliveries_total\{channel="hooks",result="success"\} 2$/m);
    expect(m).toMatch(/^datatrust_dataset_checks\{dataset="orders_daily"\} 0$/m);
    // 4 scans × 3 checks: 10 passes and 2 fails (both broken scans); every outcome series exists, at 0 if unseen.
    const evals = [...m.matchAll(/^datatrust_check_evaluations_total\{dataset="orders",outcome="(\w+)"\} (\d+)$/gm)].map((x) => [x[1], Number(x[2])]);
    expect(Object.fromEntries(evals)).toEqual({ pass: 10, fail: 2, warn: 0, error: 0, not_evaluated: 0 });
    expect(m).toMatch(/^datatrust_alert_deliveries_total\{channel="hooks",result="failed"\} 0$/m);
    expect(m).toMatch(/^datatrust_lineage_edge_info\{source_dataset="orders",target_dataset="orders_daily",pipeline=""\} 1$/m);
    expect(m).toMatch(/^datatrust_build_info\{version="0\.1\.0",nodejs="v20\.[\d.]+"\} 1$/m);
  });

  it('passes promtool check metrics', () => {
    const promtool = findBinary('promtool');
    if (!promtool) throw new Error('promtool not found: install the Debian `prometheus` package (.ci/run does)');
    return get('/metrics').then((r) => {
      const out = execFileSync(promtool, ['check', 'metrics'], { input: r.text }).toString();
      expect(out).toBe('');
    });
  });
});
