import { loadProject } from '../config/loadProject';
import { formatDiagnostic } from '../diagnostics/diagnostic';
import { runScan } from '../scan/runScan';
import { type HttpReceiver, startHttpReceiver } from '../testing/httpReceiver';
import { tempProject } from '../testing/tempDir';

const NOW = new Date('2026-12-01T12:00:00Z');
const at = (minutesAgo: number, offset = 'Z') => {
  const t = new Date(NOW.getTime() - minutesAgo * 60_000);
  if (offset === 'Z') return t.toISOString();
  // The same instant written with a +02:00 offset.
  return new Date(t.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
};

/** 12 orders, 5 a page, nested customers, a list of tags, timestamps in two offsets. */
const ORDERS = Array.from({ length: 12 }, (_, i) => ({
  id: i + 1,
  amount: i === 3 ? 12.5 : (i + 1) * 10,
  status: i === 7 ? 'lost' : 'paid',
  customer: { name: i === 5 ? null : `c${i}`, address: { country: 'KR' } },
  tags: ['a', 'b'],
  updated_at: i === 0 ? at(20, '+02:00') : at(120 + i),
  day: '2026-11-30',
}));

let api: HttpReceiver;
let calls = 0;
beforeEach(async () => {
  calls = 0;
  api = await startHttpReceiver((req, res) => {
    calls++;
    const page = Number(new URL(req.url, api.base).searchParams.get('page'));
    const items = ORDERS.slice((page - 1) * 5, page * 5);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { items }, total: ORDERS.length }));
  });
});
afterEach(() => api.close());

async function scan(checks: string[], extra = '') {
  const p = tempProject({
    'datatrust.yml': [
      'datasets:',
      '  orders_api:',
      '    http:',
      `      url: ${api.base}/v1/orders`,
      '      records: data.items',
      '      pagination: { type: page, param: page, start: 1, size: 5 }',
      extra,
      'checks: [checks.yml]',
      '',
    ].join('\n'),
    'checks.yml': ['checks for orders_api:', ...checks.map((c) => `  - ${c}`), ''].join('\n'),
  });
  try {
    const project = loadProject(p.path('datatrust.yml'));
    expect(project.blocking.map(formatDiagnostic)).toEqual([]);
    return await runScan(project, { now: () => NOW, samples: true });
  } finally {
    p.cleanup();
  }
}

describe('SodaCL checks on an HTTP dataset', () => {
  it('reads every page into a relation that metrics, validity, duplicates and failed-rows queries run on', async () => {
    const r = await scan([
      'row_count = 12',
      'missing_count(customer.name) = 1',
      'missing_count("customer.address.country") = 0',
      'duplicate_count(id) = 0',
      'sum(amount) = 752.5',
      'invalid_count(status) = 0:\n      valid values: [paid]',
      'failed rows:\n      name: negative amounts\n      fail query: SELECT * FROM orders_api WHERE amount < 0',
      "count_tags:\n      count_tags query: SELECT count(*) FROM orders_api WHERE tags = '[\"a\",\"b\"]'\n      fail: when != 12",
    ]);
    const ds = r.datasets[0]!;
    expect(ds.checks.map((c) => [c.definition.split('\n')[0], c.outcome, c.value])).toEqual([
      ['row_count = 12', 'pass', 12],
      ['missing_count(customer.name) = 1', 'pass', 1],
      ['missing_count("customer.address.country") = 0', 'pass', 0],
      ['duplicate_count(id) = 0', 'pass', 0],
      ['sum(amount) = 752.5', 'pass', 752.5],
      ['invalid_count(status) = 0', 'fail', 1],
      ['failed rows', 'pass', 0],
      ['count_tags', 'pass', 12],
    ]);
    expect(ds.source).toBe('http:orders_api');
    expect(calls).toBe(3);
  });

  it('types columns from every value: ISO date-times become TIMESTAMP (offsets applied), so freshness works', async () => {
    const r = await scan(['freshness(updated_at) < 1h', 'freshness(updated_at) < 10m']);
    const [fresh, stale] = r.datasets[0]!.checks;
    // The newest row is 20 minutes old, written as +02:00 local time.
    expect(fresh).toMatchObject({ outcome: 'pass', value: 1200 });
    expect(stale).toMatchObject({ outcome: 'fail', value: 1200 });
    expect(r.datasets[0]!.schema).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'amount', type: 'DOUBLE' },
      { name: 'status', type: 'VARCHAR' },
      { name: 'customer.name', type: 'VARCHAR' },
      { name: 'customer.address.country', type: 'VARCHAR' },
      { name: 'tags', type: 'VARCHAR' },
      { name: 'updated_at', type: 'TIMESTAMP' },
      { name: 'day', type: 'DATE' },
    ]);
  });

  it('runs schema checks on the flattened columns', async () => {
    const r = await scan([
      'schema:\n      fail:\n        when required column missing: [id, customer.name, updated_at]\n        when wrong column type:\n          id: bigint\n          updated_at: timestamp',
      'schema:\n      name: no email\n      fail:\n        when required column missing: [email]',
    ]);
    expect(r.datasets[0]!.checks.map((c) => c.outcome)).toEqual(['pass', 'fail']);
  });

  it('reads nothing but the fetched records: files and the network stay closed to check SQL', async () => {
    const r = await scan(["files:\n      files query: SELECT count(*) FROM read_text('/etc/hostname')\n      fail: when > 0"]);
    expect(r.datasets[0]!.checks[0]).toMatchObject({ outcome: 'error' });
    expect(r.datasets[0]!.checks[0]!.error).toMatch(/external access|disabled/i);
  });

  it('ends every check in error, never pass, when a page is malformed', async () => {
    api.respond((req, res) => {
      const page = Number(new URL(req.url, api.base).searchParams.get('page'));
      res.writeHead(200).end(page === 1 ? JSON.stringify({ data: { items: ORDERS.slice(0, 5) } }) : JSON.stringify({ data: { rows: [] } }));
    });
    const r = await scan(['row_count > 0', 'missing_count(id) = 0']);
    expect(r.datasets[0]!.checks.map((c) => c.outcome)).toEqual(['error', 'error']);
    expect(r.datasets[0]!.checks[0]!.error).toMatch(/^source `http:orders_api` is unavailable: page 2 \(GET http:\/\/127\.0\.0\.1:\d+\/v1\/orders\?page=2\): the answer has no `data\.items` \(http\.records\)$/);
    expect(r.summary.error).toBe(2);
  });

  it('gives an empty relation for an API without records: row_count is 0', async () => {
    api.respond((_req, res) => res.writeHead(200).end(JSON.stringify({ data: { items: [] } })));
    const r = await scan(['row_count > 0']);
    expect(r.datasets[0]!.checks[0]).toMatchObject({ outcome: 'fail', value: 0 });
  });

  it('fetches once per scan for all checks, and again at the next scan', async () => {
    await scan(['row_count = 12', 'max(amount) = 120', 'duplicate_count(id) = 0']);
    expect(calls).toBe(3);
    await scan(['row_count = 12']);
    expect(calls).toBe(6);
  });
});
