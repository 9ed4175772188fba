/**
 * The single-pass plan: however many aggregate checks a dataset has, with or without in-check
 * filters, they cost ONE aggregate query, and a metric shared by several checks (the row count
 * behind percentages, a count behind both its count and percent check) is computed once in it.
 * It is the reference every other plan must match (plans/plans.test.ts), and what the engine
 * runs on DuckDB tables; other engines split it where that is faster (plans/strategies.ts).
 */
import { column, ENGINES, expectClose, loadDb, type LoadedDb, makeFixture, scan, writeProject } from '../testing/semanticFixture';
import * as o from '../testing/sodaOracle';
import { SINGLE_PASS } from './plans/strategies';

const fx = makeFixture();
const rows = fx.items;
const paid = rows.filter((r) => r.status === 'paid');
const PAID = "status = 'paid'";

const CHECKS: unknown[] = [
  'row_count > 0',
  'missing_count(email) < 1000',
  'missing_percent(email) < 50%',
  { 'invalid_count(email) < 1000': { 'valid format': 'email' } },
  { 'invalid_percent(email) < 50%': { 'valid format': 'email' } },
  { 'valid_count(status) > 0': { 'valid values': ['new', 'paid', 'shipped', 'cancelled'] } },
  { 'valid_percent(status) > 1%': { 'valid values': ['new', 'paid', 'shipped', 'cancelled'] } },
  'avg(amount) > 0',
  'min(amount) < 1000',
  'max(amount) > 0',
  'sum(amount) > 0',
  'stddev(amount) > 0',
  'variance(amount) > 0',
  'percentile(amount, 0.9) > 0',
  'freshness(updated_at) < 1d',
  { 'failed rows': { 'fail condition': 'amount < -1000' } },
  { 'paid_total > 0': { 'paid_total expression': "SUM(CASE WHEN status = 'paid' THEN amount ELSE 0 END)" } },
  // The same metrics again behind an in-check filter: still the same single query.
  { 'row_count > 0': { filter: PAID } },
  { 'missing_percent(email) < 50%': { filter: PAID } },
  { 'invalid_percent(email) < 50%': { filter: PAID, 'valid format': 'email' } },
  { 'avg(amount) > 0': { filter: PAID } },
  { 'freshness(updated_at) < 7d': { filter: PAID } },
  { 'failed rows': { 'fail condition': 'qty > 100', filter: PAID } },
];

describe.each(ENGINES)('single-pass aggregation on %s', (engine) => {
  let db: LoadedDb;

  beforeAll(async () => {
    db = await loadDb(engine, fx.tables);
  });
  afterAll(() => db?.cleanup());

  it(`runs ${CHECKS.length} aggregate checks in exactly one query, sharing common metrics`, async () => {
    expect(CHECKS.length).toBeGreaterThanOrEqual(15);
    const s = await scan(writeProject(db, { checks: { items: CHECKS } }), { samples: false, plan: SINGLE_PASS });
    const checks = s.checks();
    expect(checks).toHaveLength(CHECKS.length);
    expect(checks.filter((c) => c.outcome !== 'pass')).toEqual([]);

    // One query for the dataset, and it is the aggregate.
    const ours = s.queries.filter((q) => q.dataset === 'items');
    expect(ours.map((q) => q.kind)).toEqual(['aggregate']);
    const sql = ours[0]!.sql;

    // Each select-list item is `<expression> AS mN`; no expression appears twice.
    const expressions = sql
      .split('\n')
      .filter((l) => /\bAS m\d+,?$/.test(l))
      .map((l) => l.trim().replace(/ AS m\d+,?$/, ''));
    expect(new Set(expressions).size).toBe(expressions.length);
    // row_count + 2 unfiltered percents + 2 validity percents share the plain row count…
    expect(expressions.filter((e) => e === 'COUNT(*)')).toHaveLength(1);
    // …and the filtered ones share the filtered row count.
    expect(expressions.filter((e) => e === `COUNT(*) FILTER (WHERE (${PAID}))`)).toHaveLength(1);
    // missing_count and missing_percent of email share one count.
    expect(expressions.filter((e) => e === 'COUNT(*) FILTER (WHERE ("email" IS NULL))')).toHaveLength(1);
    // Fewer expressions than checks: sharing happened.
    expect(expressions.length).toBeLessThan(CHECKS.length);

    // And the shared values are right.
    expect(checks[0]!.value).toBe(rows.length);
    expect(checks[1]!.value).toBe(o.missingCount(column(rows, 'email')));
    expectClose(checks[2]!.value, o.percentOf(o.missingCount(column(rows, 'email')), rows.length), 'missing_percent(email)');
    expect(checks[17]!.value).toBe(paid.length);
    expectClose(checks[18]!.value, o.percentOf(o.missingCount(column(paid, 'email')), paid.length), 'filtered missing_percent(email)');
  });
});
