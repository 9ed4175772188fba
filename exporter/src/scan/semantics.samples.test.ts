/**
 * Failed-row samples: present for failing missing / invalid / duplicate / reference /
 * failed-rows checks, made of rows that really fail, capped by `samples limit` (default 10,
 * `scan.samples_limit`), and absent when switched off in any of the three ways.
 */
import type { Cell } from '../sources/source';
import { column, ENGINES, loadDb, type LoadedDb, makeFixture, scan, writeProject } from '../testing/semanticFixture';
import * as o from '../testing/sodaOracle';
import type { CheckResult } from './result';

const fx = makeFixture();
const rows = fx.items;
const customerIds = new Set(fx.customers.map((c) => c.id));
const isInvalidEmail = (v: Cell) => typeof v === 'string' && fx.truth.get('email')!.get(v) === false;
const duplicateOrderNos = o.duplicateCount(rows.map((r) => [r.order_no]));

/** The sample column of a result, by name. */
function sampleColumn(r: CheckResult, name: string): Cell[] {
  const i = r.samples!.columns.indexOf(name);
  if (i < 0) throw new Error(`no \`${name}\` in sample columns ${r.samples!.columns.join(', ')}`);
  return r.samples!.rows.map((row) => row[i]!);
}

const CHECKS = [
  'missing_count(email) = 0',
  { 'invalid_count(email) = 0': { 'valid format': 'email', 'samples limit': 3 } },
  'duplicate_count(order_no) = 0',
  'values in (customer_id) must exist in customers (id)',
  { 'failed rows': { name: 'negative amounts', 'fail condition': 'amount < 0', 'samples limit': 5 } },
  { 'failed rows': { name: 'bulky orders', 'fail query': 'SELECT id, qty FROM ${ITEMS} WHERE qty > 18' } },
  { 'missing_count(status) = 0': { 'samples limit': 0 } },
  { 'missing_count(uid) = 0': { 'collect failed rows': false } },
  `row_count = ${rows.length}`,
  { 'missing_count(phone) = 0': { 'samples columns': ['id'] } },
  { 'missing_count(code)': { warn: 'when > 0' } },
];

describe.each(ENGINES)('failed-row samples on %s', (engine) => {
  let db: LoadedDb;
  let checks: CheckResult[];

  beforeAll(async () => {
    db = await loadDb(engine, fx.tables);
    checks = (await scan(writeProject(db, { checks: { items: CHECKS } }), { variables: { ITEMS: `${db.schema}.items` } })).checks();
  });
  afterAll(() => db?.cleanup());

  it('missing_count: the default 10 rows, each with the column NULL, the check column first', () => {
    const r = checks[0]!;
    expect(r.outcome).toBe('fail');
    expect(r.samples!.columns[0]).toBe('email');
    expect(r.samples!.rows).toHaveLength(Math.min(10, o.missingCount(column(rows, 'email'))));
    expect(sampleColumn(r, 'email').every((v) => v === null)).toBe(true);
  });

  it('invalid_count: capped by `samples limit`, every row truly invalid', () => {
    const r = checks[1]!;
    expect(r.samples!.rows).toHaveLength(3);
    expect(sampleColumn(r, 'email').every(isInvalidEmail)).toBe(true);
  });

  it('duplicate_count: the duplicated values with their frequency', () => {
    const r = checks[2]!;
    expect(r.samples!.columns).toEqual(['order_no', 'frequency']);
    expect(r.samples!.rows).toHaveLength(Math.min(10, duplicateOrderNos));
    for (const [value, frequency] of r.samples!.rows) {
      expect(Number(frequency)).toBe(rows.filter((x) => x.order_no === Number(value)).length);
      expect(Number(frequency)).toBeGreaterThan(1);
    }
  });

  it('reference: rows whose value is not in the other dataset', () => {
    const r = checks[3]!;
    expect(r.outcome).toBe('fail');
    expect(r.samples!.rows.length).toBe(Math.min(10, r.value!));
    for (const v of sampleColumn(r, 'customer_id')) expect(customerIds.has(Number(v))).toBe(false);
  });

  it('failed rows (condition): the failing rows, capped at 5', () => {
    const r = checks[4]!;
    expect(r.samples!.rows).toHaveLength(5);
    expect(sampleColumn(r, 'amount').every((v) => Number(v) < 0)).toBe(true);
  });

  it('failed rows (query): rows of the query itself', () => {
    const r = checks[5]!;
    expect(r.samples!.columns).toEqual(['id', 'qty']);
    expect(r.samples!.rows).toHaveLength(Math.min(10, r.value!));
    expect(sampleColumn(r, 'qty').every((v) => Number(v) > 18)).toBe(true);
  });

  it('`samples limit: 0` and `collect failed rows: false` turn samples off for that check', () => {
    expect(checks[6]).toMatchObject({ outcome: 'fail' });
    expect(checks[6]!.samples).toBeUndefined();
    expect(checks[7]).toMatchObject({ outcome: 'fail' });
    expect(checks[7]!.samples).toBeUndefined();
  });

  it('a passing check has no samples', () => {
    expect(checks[8]).toMatchObject({ outcome: 'pass' });
    expect(checks[8]!.samples).toBeUndefined();
  });

  it('`samples columns` narrows the sample to the check column plus the listed ones', () => {
    expect(checks[9]!.samples!.columns).toEqual(['phone', 'id']);
  });

  it('a warning collects samples too', () => {
    expect(checks[10]).toMatchObject({ outcome: 'warn' });
    expect(checks[10]!.samples!.rows.length).toBeGreaterThan(0);
  });

  it('the scan option `samples: false` runs no sample query and attaches none', async () => {
    const s = await scan(writeProject(db, { checks: { items: CHECKS } }), { variables: { ITEMS: `${db.schema}.items` }, samples: false });
    expect(s.checks().filter((c) => c.samples)).toEqual([]);
    expect(s.queries.filter((q) => q.kind === 'samples')).toEqual([]);
    expect(s.checks()[0]!.outcome).toBe('fail');
  });

  it('`scan.samples_limit` sets the default cap', async () => {
    const s = await scan(writeProject(db, { checks: { items: CHECKS }, scan: { samples_limit: 2 } }), { variables: { ITEMS: `${db.schema}.items` } });
    expect(s.checks()[0]!.samples!.rows).toHaveLength(2);
    // A check's own `samples limit` still wins.
    expect(s.checks()[1]!.samples!.rows).toHaveLength(3);
  });
});
