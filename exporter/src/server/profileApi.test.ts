import { duckdbExec } from '../testing/duckdbFile';
import { startTestExporter, type TestExporter, TOKEN } from '../testing/exporterFixture';

describe('GET /api/v1/datasets/{dataset}/profile under serve', () => {
  let fx: TestExporter;
  const get = (path: string, token?: string) => fetch(`${fx.exporter.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  beforeAll(async () => {
    fx = await startTestExporter({
      datasets: ['orders: { table: orders }', 'eu_orders: { table: orders, filter: "country = \'DE\'" }', 'events: { file: events/*.parquet }'],
      checks: 'checks for orders:\n  - row_count > 0\n',
      tables: [
        `CREATE TABLE orders AS SELECT i AS id, (['DE', 'FR', 'US'])[1 + i % 3] AS country, i * 1.5 AS amount, 'buyer' || i || '@example.com' AS email FROM range(1, 301) r(i)`,
      ],
    });
  });
  afterAll(() => fx?.cleanup());

  it('profiles on the first request, then serves the same profile from memory', async () => {
    const first = await get('/api/v1/datasets/orders/profile', TOKEN);
    expect(first.status).toBe(200);
    const a = (await first.json()) as { cached: boolean; valuesShown: boolean; rowCount: number; profiledAt: string; columns: { name: string; min?: number; max?: number; topValues?: unknown[]; format?: { name: string } }[] };
    expect(a).toMatchObject({ cached: false, valuesShown: true, rowCount: 300, dataset: 'orders', source: 'wh', relation: 'orders' });
    expect(a.columns.find((c) => c.name === 'id')).toMatchObject({ min: 1, max: 300 });
    expect(a.columns.find((c) => c.name === 'country')!.topValues).toHaveLength(3);
    expect(a.columns.find((c) => c.name === 'email')!.format).toEqual({ name: 'email', matchPercent: 100 });
    const again = (await (await get('/api/v1/datasets/orders/profile', TOKEN)).json()) as { cached: boolean; profiledAt: string };
    expect(again).toMatchObject({ cached: true, profiledAt: a.profiledAt });
  });

  it('hides data values (min, max, mean, top values) from callers without the token, as it hides samples', async () => {
    const res = await get('/api/v1/datasets/orders/profile');
    expect(res.status).toBe(200);
    const p = (await res.json()) as { valuesShown: boolean; columns: Record<string, unknown>[] };
    expect(p.valuesShown).toBe(false);
    for (const c of p.columns) for (const key of ['min', 'max', 'mean', 'topValues']) expect(c).not.toHaveProperty(key);
    expect(p.columns.find((c) => c.name === 'country')).toMatchObject({ nullCount: 0, distinct: { count: 3, approximate: false } });
  });

  it('takes a new profile on refresh=true, which needs the token (it reads the whole dataset)', async () => {
    expect((await get('/api/v1/datasets/orders/profile?refresh=true')).status).toBe(401);
    expect((await get('/api/v1/datasets/orders/profile?refresh=maybe', TOKEN)).status).toBe(400);
    await duckdbExec(fx.warehouse, ['INSERT INTO orders VALUES (301, NULL, 1.0, NULL)']);
    const fresh = (await (await get('/api/v1/datasets/orders/profile?refresh=true', TOKEN)).json()) as { cached: boolean; rowCount: number; columns: { name: string; nullCount: number }[] };
    expect(fresh).toMatchObject({ cached: false, rowCount: 301 });
    expect(fresh.columns.find((c) => c.name === 'email')!.nullCount).toBe(1);
  });

  it("profiles a filtered dataset through its filter, and says so", async () => {
    const p = (await (await get('/api/v1/datasets/eu_orders/profile', TOKEN)).json()) as { filter?: string; rowCount: number };
    expect(p).toMatchObject({ filter: "country = 'DE'", rowCount: 100 });
  });

  it('answers 502 when the source cannot be read, with paths inside the project only', async () => {
    const res = await get('/api/v1/datasets/events/profile', TOKEN);
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(/^cannot profile `events`: .*events\/\*\.parquet/);
    expect(body.error).not.toContain(fx.dir);
  });

  it('answers 404 for a dataset it does not know', async () => {
    const res = await get('/api/v1/datasets/nope/profile', TOKEN);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'unknown dataset `nope`' });
  });
});
