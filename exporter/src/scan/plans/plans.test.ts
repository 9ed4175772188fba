/**
 * Every plan the engine can choose returns exactly the values of the single pass: each strategy
 * forced on alone, all of them at once, and the engine's own choice, on the semantic fixture in
 * DuckDB, PostgreSQL (analyzed, so its statistics steer the plan) and a Parquet file (whose
 * footers answer counts and bounds). Each forced strategy is also shown to change the SQL, so a
 * strategy that silently did nothing could not pass.
 */
import { duckdbExec } from '../../testing/duckdbFile';
import { ENGINES, type Engine, loadDb, type LoadedDb, makeFixture, scan, type ScanOutcome, STATUSES, writeProject } from '../../testing/semanticFixture';
import type { CheckResult } from '../result';
import { type PlanOverrides, SINGLE_PASS, type Strategies } from './strategies';

const fx = makeFixture();
const PAID = "status = 'paid'";

const CHECKS: unknown[] = [
  'row_count > 0',
  { 'row_count > 0': { filter: PAID } },
  'missing_count(email) >= 0',
  'missing_percent(email) >= 0',
  'missing_count(amount) >= 0',
  { 'missing_count(status) >= 0': { 'missing values': ['N/A', ''] } },
  { 'missing_count(status) >= 0': { 'missing regex': '^N' } },
  { 'invalid_count(email) >= 0': { 'valid format': 'email' } },
  { 'invalid_percent(code) >= 0': { 'valid regex': '^[A-Z]+[0-9]+$' } },
  { 'invalid_count(code) >= 0': { 'valid length': 4 } },
  { 'valid_count(status) >= 0': { 'valid values': [...STATUSES] } },
  { 'invalid_count(country) >= 0': { 'valid values': ['US', 'DE', 'FR'] } },
  { 'invalid_count(num_text) >= 0': { 'valid min': 0, 'valid max': 100 } },
  { 'invalid_count(amount) >= 0': { 'valid min': 0 } },
  { 'invalid_count(email) >= 0': { 'valid format': 'email', filter: PAID } },
  'avg(amount) > -1000000',
  'min(amount) > -1000000',
  'max(amount) > -1000000',
  'min(qty) >= 0',
  'max(order_no) > 0',
  'sum(amount) > -1000000',
  'stddev(amount) >= 0',
  'variance(score) >= 0',
  'percentile(amount, 0.9) > -1000000',
  'percentile(amount, 0.5) > -1000000',
  'percentile(qty, 0.25) >= 0',
  'percentile(score, 0.99) >= 0',
  { 'percentile(amount, 0.75) > -1000000': { filter: PAID } },
  'freshness(updated_at) < 10000d',
  'freshness(booked_on) < 10000d',
  { 'max(amount) > -1000000': { filter: PAID } },
  'avg_length(email) > 0',
  'max_length(code) > 0',
  'duplicate_count(order_no) >= 0',
  'duplicate_count(customer_id, country) >= 0',
  'duplicate_percent(order_no) >= 0',
  'duplicate_count(status) >= 0',
  { 'duplicate_count(order_no) >= 0': { filter: PAID } },
  { 'failed rows': { name: 'negative', 'fail condition': 'amount < 0' } },
  { 'failed rows': { name: 'bulky paid', 'fail condition': 'qty > 18', filter: PAID } },
  { 'paid_total > -1000000': { 'paid_total expression': "SUM(CASE WHEN status = 'paid' THEN amount ELSE 0 END)" } },
];
/** Failing checks of every kind that takes row samples. */
const FAILING: unknown[] = [
  'missing_count(email) = 0',
  'missing_count(updated_at) = 0',
  { 'missing_count(status) = 0': { 'missing regex': '^N' } },
  { 'invalid_count(email) = 0': { 'valid format': 'email' } },
  { 'invalid_count(code) = 0': { 'valid regex': '^[A-Z]+[0-9]+$' } },
  { 'invalid_count(num_text) = 0': { 'valid min': 0, 'valid max': 100 } },
  { 'valid_count(status) > 10000': { 'valid values': [...STATUSES] } },
  'duplicate_count(order_no) = 0',
  { 'failed rows': { name: 'negative', 'fail condition': 'amount < 0' } },
];
const TABLE_ONLY: unknown[] = ['values in (customer_id) must exist in customers (id)', { 'bulky > -1': { 'bulky query': 'SELECT COUNT(*) FROM ${ITEMS} WHERE qty > 18' } }];

/** Each strategy forced on alone, and the SQL that proves it took effect on that target. */
const FORCED: { name: string; overrides: PlanOverrides; targets: Target[]; shows: RegExp }[] = [
  { name: 'metadata', overrides: { metadata: true }, targets: ['parquet'], shows: /parquet_metadata/ },
  { name: 'split counts', overrides: { splitCounts: true }, targets: ['duckdb', 'postgres', 'parquet'], shows: /UNION ALL/ },
  { name: 'own percentiles', overrides: { ownPercentiles: true }, targets: ['duckdb', 'postgres', 'parquet'], shows: /^SELECT (quantile_disc|"amount" FROM .* OFFSET)/m },
  { name: 'grouped conditions', overrides: { groupedConditions: true }, targets: ['postgres'], shows: /GROUPING SETS/ },
  { name: 'sorted duplicates', overrides: { duplicates: 'sort' }, targets: ['duckdb', 'postgres', 'parquet'], shows: /LAG\(/ },
  { name: 'concurrent', overrides: { concurrent: true }, targets: ['duckdb', 'postgres', 'parquet'], shows: /./ },
  { name: 'column groups', overrides: { columnGroups: true, concurrent: true }, targets: ['duckdb', 'postgres', 'parquet'], shows: /./ },
];
const ALL_ON: Strategies = { metadata: true, splitCounts: true, ownPercentiles: true, groupedConditions: true, duplicates: 'sort', concurrent: true, batchSamples: true, columnGroups: true };

type Target = Engine | 'parquet';

function values(checks: CheckResult[]): unknown[] {
  return checks.map((c) => ({ name: c.name, outcome: c.outcome, value: c.value, error: c.error }));
}

describe.each([...ENGINES, 'parquet'] as Target[])('plans on %s return the single-pass values', (target) => {
  let db: LoadedDb;
  let project: ReturnType<typeof writeProject>;
  let dataset: string;
  let single: ScanOutcome;
  let failing: ReturnType<typeof writeProject>;
  const vars = () => ({ ITEMS: `${db.schema}.items` });
  const run = (plan: PlanOverrides) => scan(project, { samples: false, variables: vars(), plan });

  beforeAll(async () => {
    db = await loadDb(target === 'parquet' ? 'duckdb' : target, fx.tables);
    if (target === 'postgres') await db.exec(`ANALYZE ${db.schema}.items`);
    if (target === 'parquet') {
      // Small row groups: footers answer per row group, and some groups hold no NULL of a column.
      await duckdbExec(db.path('fixture.duckdb'), [`COPY main.items TO '${db.path('items.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 100)`]);
      dataset = 'items_file';
      project = writeProject(db, { datasets: { items_file: { file: 'items.parquet' } }, checks: { items_file: CHECKS } });
      failing = writeProject(db, { datasets: { items_file: { file: 'items.parquet' } }, checks: { items_file: FAILING } });
    } else {
      dataset = 'items';
      project = writeProject(db, { checks: { items: [...CHECKS, ...TABLE_ONLY] } });
      failing = writeProject(db, { checks: { items: [...FAILING, 'values in (customer_id) must exist in customers (id)'] } });
    }
    single = await run(SINGLE_PASS);
    expect(single.checks(dataset).filter((c) => c.outcome === 'error')).toEqual([]);
  });
  afterAll(() => db?.cleanup());

  it.each(FORCED.filter((f) => f.targets.includes(target)).map((f) => [f.name, f] as const))('%s', async (_name, f) => {
    const s = await run({ ...SINGLE_PASS, ...f.overrides });
    expect(values(s.checks(dataset))).toEqual(values(single.checks(dataset)));
    expect(s.queries.filter((q) => q.error)).toEqual([]);
    expect(s.queries.some((q) => f.shows.test(q.sql))).toBe(true);
    // Two aggregates over different columns, each naming a part of the single pass's expressions.
    if (f.name === 'column groups') expect(s.queries.filter((q) => q.kind === 'aggregate' && q.sql.startsWith('SELECT\n')).length).toBe(2);
    if (f.name === 'metadata') {
      // Answered from the footers, and the JSON result says so; a sum still reads the rows.
      const byName = (n: string) => s.checks(dataset).find((c) => c.name === n)!;
      for (const n of ['row_count > 0', 'missing_count(amount) >= 0', 'min(amount) > -1000000', 'max(order_no) > 0', 'freshness(updated_at) < 10000d', 'missing_percent(email) >= 0']) expect([n, byName(n).source]).toEqual([n, 'metadata']);
      expect(byName('sum(amount) > -1000000').source).toBeUndefined();
      expect(byName('missing_count(status) >= 0').source).toBeUndefined();
    }
  });

  it('every strategy at once', async () => {
    const s = await run(ALL_ON);
    expect(values(s.checks(dataset))).toEqual(values(single.checks(dataset)));
    expect(s.queries.filter((q) => q.error)).toEqual([]);
  });

  it("the engine's own choice", async () => {
    const s = await run({});
    expect(values(s.checks(dataset))).toEqual(values(single.checks(dataset)));
  });

  it('samples: batched in one statement, the same failing rows as one query per check', async () => {
    const one = await scan(failing, { variables: vars(), plan: { ...SINGLE_PASS } });
    const batched = await scan(failing, { variables: vars(), plan: { ...SINGLE_PASS, batchSamples: true, ...(target === 'postgres' ? { concurrent: true, groupedConditions: true } : {}) } });
    expect(one.checks(dataset).filter((c) => c.outcome !== 'fail')).toEqual([]);
    expect(one.queries.filter((q) => q.kind === 'samples').length).toBe(one.checks(dataset).length);
    // One statement for the row samples; the duplicates' samples come with their count.
    expect(batched.queries.filter((q) => q.kind === 'samples' && !/^SELECT set_config/.test(q.sql))).toHaveLength(1);
    expect(batched.queries.filter((q) => q.kind === 'duplicates')).toHaveLength(1);
    const a = one.checks(dataset);
    const b = batched.checks(dataset);
    a.forEach((c, i) => {
      const other = b[i]!;
      expect([c.name, other.samples?.columns]).toEqual([c.name, c.samples?.columns]);
      expect([c.name, other.samples?.rows.length]).toEqual([c.name, c.samples?.rows.length]);
      // Fewer failing rows than the limit: both hold all of them.
      if (c.samples && c.value !== null && c.value < 10 && !c.definition.startsWith('duplicate')) {
        const key = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
        expect(key(other.samples!.rows)).toEqual(key(c.samples.rows));
      }
    });
  });
});
