/**
 * Bad input never crashes a scan and never passes: the broken check reports `error` with a clear
 * message and every other check still runs, on DuckDB and on PostgreSQL.
 */
import { freePort } from '../testing/freePort';
import { column, ENGINES, type Engine, expectClose, loadDb, type LoadedDb, makeFixture, scan, writeProject } from '../testing/semanticFixture';
import * as o from '../testing/sodaOracle';

const fx = makeFixture();
const rows = fx.items;
const N = rows.length;
const missingEmail = o.missingCount(column(rows, 'email'));
const avgAmount = o.avg(column(rows, 'amount'))!;

/** A query that runs far longer than a second on each engine (a big cross join). */
const SLOW_SQL: Record<Engine, string> = {
  duckdb: 'SELECT COUNT(*) FROM range(0, 300000) a(x), range(0, 300000) b(y) WHERE (x * y) % 7 = 3',
  postgres: 'SELECT COUNT(*) FROM generate_series(1, 100000) a CROSS JOIN generate_series(1, 100000) b WHERE (a * b) % 7 = 3',
};

describe.each(ENGINES)('error behaviour on %s', (engine) => {
  let db: LoadedDb;
  const vars = () => ({ ITEMS: `${db.schema}.items` });

  beforeAll(async () => {
    db = await loadDb(engine, fx.tables);
  });
  afterAll(() => db?.cleanup());

  it('an unknown metric or a missing column fails only that check, with a clear message', async () => {
    const s = await scan(
      writeProject(db, {
        checks: { items: [`row_count = ${N}`, 'bogus_metric(amount) > 0', 'missing_count(no_such_col) = 0', 'mystery > 0', 'avg(no_such_col) > 0', `missing_count(email) = ${missingEmail}`] },
      }),
    );
    const [rowCount, unknown, noColumn, undefinedMetric, noColumnAgg, missing] = s.checks();
    expect(unknown).toMatchObject({ outcome: 'error', value: null });
    expect(unknown!.error).toMatch(/unknown metric `bogus_metric`/);
    expect(noColumn!.outcome).toBe('error');
    expect(noColumn!.error).toMatch(/column `no_such_col` does not exist in dataset `items`/);
    expect(undefinedMetric!.outcome).toBe('error');
    expect(undefinedMetric!.error).toMatch(/mystery/);
    expect(noColumnAgg!.error).toMatch(/no_such_col/);
    expect(rowCount).toMatchObject({ outcome: 'pass', value: N });
    expect(missing).toMatchObject({ outcome: 'pass', value: missingEmail });
    // The bad checks never reached SQL: one clean aggregate query.
    expect(s.queries.filter((q) => q.kind === 'aggregate')).toHaveLength(1);
    expect(s.queries.filter((q) => q.error)).toEqual([]);
  });

  it('a broken user expression errors alone; the rest of the single-pass aggregate still yields values', async () => {
    const s = await scan(
      writeProject(db, {
        checks: {
          items: [
            `row_count = ${N}`,
            { 'broken > 0': { 'broken expression': 'SUM(no_such_col)' } },
            'avg(amount) > 0',
            `missing_count(email) = ${missingEmail}`,
            { [`fine = ${N}`]: { 'fine expression': 'COUNT(*)' } },
          ],
        },
      }),
      { samples: false },
    );
    const [rowCount, broken, avg, missing, fine] = s.checks();
    expect(broken!.outcome).toBe('error');
    expect(broken!.error).toMatch(/no_such_col/);
    expect(rowCount).toMatchObject({ outcome: 'pass', value: N });
    expect(avg!.outcome).toBe('pass');
    expectClose(avg!.value, avgAmount, 'avg(amount)');
    expect(missing).toMatchObject({ outcome: 'pass', value: missingEmail });
    expect(fine).toMatchObject({ outcome: 'pass', value: N });
    // One failed aggregate, cheap probes to find the culprit, one aggregate without it.
    const kinds = s.queries.map((q) => q.kind);
    expect(kinds.filter((k) => k === 'aggregate')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'probe').length).toBeGreaterThan(0);
    expect(s.queries.filter((q) => q.kind === 'probe' && q.error)).toHaveLength(1);
  });

  it('an unreachable source makes every check on it `error`, never `pass`', async () => {
    const source = engine === 'duckdb' ? { type: 'duckdb', path: 'no-such-file.duckdb' } : { type: 'postgres', url: `postgres://postgres@127.0.0.1:${await freePort()}/postgres` };
    const s = await scan(
      writeProject(db, {
        source,
        checks: {
          items: [
            'row_count > 0',
            'missing_count(email) < 1000',
            'duplicate_count(id) = 0',
            'values in (customer_id) must exist in customers (id)',
            { schema: { fail: { 'when required column missing': ['id'] } } },
            { 'failed rows': { 'fail condition': 'amount < 0' } },
            { 'total > 0': { 'total query': 'SELECT 1' } },
          ],
          customers: ['row_count > 0'],
        },
      }),
    );
    const all = s.report.datasets.flatMap((d) => d.checks);
    expect(all).toHaveLength(8);
    for (const c of all) {
      expect(c.outcome).toBe('error');
      expect(c.error).toMatch(/unavailable/);
    }
    expect(s.report.summary).toMatchObject({ pass: 0, warn: 0, fail: 0, error: 8 });
  });

  it('user SQL that is not a single SELECT is refused and changes nothing', async () => {
    const s = await scan(
      writeProject(db, {
        checks: {
          items: [
            { 'failed rows': { name: 'delete as fail query', 'fail query': 'DELETE FROM ${ITEMS}' } },
            { 'failed rows': { name: 'commented delete', 'fail query': '-- looks harmless\nDELETE FROM ${ITEMS}' } },
            { 'failed rows': { name: 'select then drop', 'fail query': 'SELECT * FROM ${ITEMS}; DROP TABLE ${ITEMS}' } },
            { 'dropper > 0': { 'dropper query': 'SELECT 1; DROP TABLE ${ITEMS}' } },
            { 'deleter > 0': { 'deleter query': 'DELETE FROM ${ITEMS} WHERE id > 0' } },
            { 'updater > 0': { 'updater query': 'UPDATE ${ITEMS} SET qty = 0 RETURNING 1' } },
            { 'cte > 0': { 'cte query': 'WITH gone AS (DELETE FROM ${ITEMS} RETURNING id) SELECT COUNT(*) FROM gone' } },
            `row_count = ${N}`,
          ],
        },
      }),
      { variables: vars() },
    );
    const checks = s.checks();
    for (const c of checks.slice(0, 7)) {
      expect(c.outcome).toBe('error');
      expect(c.error).toBeTruthy();
    }
    // Refused by name, not by a puzzling syntax error.
    expect(checks[0]!.error).toMatch(/single SELECT.*`delete`/);
    expect(checks[1]!.error).toMatch(/single SELECT.*`delete`/);
    expect(checks[4]!.error).toMatch(/single SELECT/);
    expect(checks[5]!.error).toMatch(/single SELECT/);
    expect(checks[7]).toMatchObject({ outcome: 'pass', value: N });
    // Nothing was deleted, updated or dropped.
    const qty = column(rows, 'qty').filter((v) => v !== null);
    expect(await db.exec(`SELECT COUNT(*), COUNT(qty), SUM(qty) FROM ${db.schema}.items`)).toEqual([[N, qty.length, o.sum(qty)]]);
  });

  it('malformed values in text columns read as NULL, never as an error, alike on both engines', async () => {
    // Impossible dates, out-of-range numbers and garbage: what a text column in the wild holds.
    const junk = await loadDb(engine, [
      {
        name: 'items',
        columns: [
          { name: 'id', type: 'INTEGER' },
          { name: 'seen_at', type: 'VARCHAR' },
          { name: 'reading', type: 'VARCHAR' },
        ],
        rows: [
          [1, '2024-05-30 10:00:00', '5'],
          [2, '2024-13-01', '1e999'],
          [3, '2024-02-30', 'abc'],
          [4, '2023-02-29', '7'],
          [5, 'garbage', '12.5'],
          [6, '2024-02-29 23:59:59', '-3'],
          [7, '2024-05-31T11:00:00', '1' + '0'.repeat(400)],
          [8, ' 2024-5-31 09:00', null],
          [9, null, '0'],
        ],
      },
    ]);
    try {
      const s = await scan(writeProject(junk, { checks: { items: ['freshness(seen_at) < 1d', { 'invalid_count(reading) = 0': { 'valid min': 0, 'valid max': 10 } }, 'row_count = 9'] } }), { samples: false });
      const [freshness, invalid, rowCount] = s.checks();
      // The newest real timestamp is 2024-05-31 11:00, 25h before NOW.
      expect(freshness).toMatchObject({ outcome: 'fail', value: 25 * 3600 });
      // 1e999, abc, 12.5, -3 and the 401-digit number are invalid; NULL is missing, not invalid.
      expect(invalid).toMatchObject({ outcome: 'fail', value: 5 });
      expect(rowCount).toMatchObject({ outcome: 'pass', value: 9 });
      // No probe, no retry (a statistics lookup may precede the aggregate on PostgreSQL).
      expect(s.queries.map((q) => q.kind).filter((k) => k !== 'metadata')).toEqual(['aggregate']);
      expect(s.queries.filter((q) => q.error)).toEqual([]);
    } finally {
      await junk.cleanup();
    }
  });

  it('a query over `scan.query_timeout` is cancelled and reported, and the other checks still run', async () => {
    const started = Date.now();
    const s = await scan(
      writeProject(db, {
        scan: { query_timeout: '1s' },
        checks: { items: [{ 'slow > 0': { 'slow query': SLOW_SQL[engine] } }, `row_count = ${N}`, `missing_count(email) = ${missingEmail}`] },
      }),
    );
    const [slow, rowCount, missing] = s.checks();
    expect(slow!.outcome).toBe('error');
    expect(slow!.error).toMatch(/1s query timeout/);
    expect(rowCount).toMatchObject({ outcome: 'pass', value: N });
    expect(missing).toMatchObject({ outcome: 'pass', value: missingEmail });
    // Cancelled near the limit, not run to completion.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
