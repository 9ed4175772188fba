/**
 * Every built-in metric, `missing …`/`valid …` key, duplicate, reference, user-defined and
 * failed-rows check on one fixture, loaded identically into DuckDB and PostgreSQL. Expected
 * values come from the plain-JS oracle over the same rows, never from the engine.
 */
import {
  column,
  ENGINES,
  expectClose,
  FRESHEST_AGE_S,
  type ItemColumn,
  type ItemRow,
  loadDb,
  type LoadedDb,
  makeFixture,
  NOW,
  scan,
  type ScanOutcome,
  STATUSES,
  writeProject,
} from '../testing/semanticFixture';
import * as o from '../testing/sodaOracle';
import type { Outcome } from '../checks/outcome';

const fx = makeFixture();
const rows = fx.items;
const N = rows.length;
const truth = fx.truth;
const col = (name: ItemColumn, subset: readonly ItemRow[] = rows) => column(subset, name);
const paid = rows.filter((r) => r.status === 'paid');
const german = rows.filter((r) => r.country === 'DE');
const french = rows.filter((r) => r.country === 'FR');
const american = rows.filter((r) => r.country === 'US');
const bigQty = rows.filter((r) => r.qty !== null && r.qty > 10);

interface Case {
  line: string;
  config?: Record<string, unknown>;
  value: number | null;
  outcome: Outcome;
}

const cases: Case[] = [];
/** A check whose inline threshold holds (pass) or not (fail), as decided here in JS. */
function add(line: string, config: Record<string, unknown> | undefined, value: number | null, holds: boolean): void {
  cases.push({ line, ...(config ? { config } : {}), value, outcome: holds ? 'pass' : 'fail' });
}

// ---- row_count
add(`row_count = ${N}`, undefined, N, true);
add(`row_count > ${paid.length}`, { filter: "status = 'paid'" }, paid.length, false);

// ---- missing_count / missing_percent with `missing values` / `missing regex`
{
  const plain = o.missingCount(col('email'));
  add(`missing_count(email) = ${plain}`, undefined, plain, true);
  const pct = o.percentOf(plain, N);
  add('missing_percent(email) < 5%', undefined, pct, pct < 5);
  const markers = { missingValues: ['N/A', ''] };
  const st = o.missingCount(col('status'), markers);
  add('missing_count(status) = 0', { 'missing values': ['N/A', ''] }, st, st === 0);
  const stUs = o.percentOf(o.missingCount(col('status', american), markers), american.length);
  add('missing_percent(status) < 10%', { 'missing values': ['N/A', ''], filter: "country = 'US'" }, stUs, stUs < 10);
  const rx = o.missingCount(col('status'), { missingRegex: '^ *$' });
  add('missing_count(status) < 40', { 'missing regex': '^ *$' }, rx, rx < 40);
  const emailNa = o.missingCount(col('email'), { missingRegex: '^(N/A|n/a)$' });
  add('missing_count(email) > 30', { 'missing regex': '^(N/A|n/a)$' }, emailNa, emailNa > 30);
  const zeroQty = o.missingCount(col('qty'), { missingValues: [0] });
  add('missing_count(qty) <= 60', { 'missing values': [0] }, zeroQty, zeroQty <= 60);
}

// ---- invalid_/valid_ count and percent, every validity key
{
  const statusValid = { validValues: [...STATUSES] };
  const statusBoth = { ...statusValid, missingValues: ['N/A', ''] };
  const n1 = o.invalidCount(col('status'), statusBoth, truth);
  add('invalid_count(status) = 0', { 'valid values': [...STATUSES], 'missing values': ['N/A', ''] }, n1, n1 === 0);
  // Without the markers as missing, 'N/A' and '' are invalid too.
  const n2 = o.invalidCount(col('status'), statusValid, truth);
  add(`invalid_count(status) = ${n2}`, { 'valid values': [...STATUSES] }, n2, true);
  const n3 = o.invalidCount(col('status'), { invalidValues: ['lost', 'N/A'] }, truth);
  add('invalid_count(status) < 10', { 'invalid values': ['lost', 'N/A'] }, n3, n3 < 10);
  const v1 = o.validCount(col('status'), statusBoth, truth);
  add(`valid_count(status) >= ${v1}`, { 'valid values': [...STATUSES], 'missing values': ['N/A', ''] }, v1, true);
  const v2 = o.percentOf(o.validCount(col('email'), { validFormat: 'email' }, truth), N);
  add('valid_percent(email) > 80%', { 'valid format': 'email' }, v2, v2 > 80);

  const neg = o.percentOf(o.invalidCount(col('amount'), { validMin: 0 }, truth), N);
  add('invalid_percent(amount) < 1%', { 'valid min': 0 }, neg, neg < 1);
  const band = o.invalidCount(col('amount'), { validMin: 0, validMax: 500 }, truth);
  add('invalid_count(amount) < 100', { 'valid min': 0, 'valid max': 500 }, band, band < 100);
  const qtyMax = o.invalidCount(col('qty'), { validMax: 15 }, truth);
  add('invalid_count(qty) > 50', { 'valid max': 15 }, qtyMax, qtyMax > 50);
  const textRange = o.invalidCount(col('num_text'), { validMin: 0, validMax: 100 }, truth);
  add('invalid_count(num_text) = 0', { 'valid min': 0, 'valid max': 100 }, textRange, textRange === 0);

  for (const [column_, format] of [
    ['email', 'email'],
    ['uid', 'uuid'],
    ['phone', 'phone number'],
    ['event_date', 'date iso 8601'],
    ['num_text', 'integer'],
    ['num_text', 'decimal'],
  ] as const) {
    const n = o.invalidCount(col(column_), { validFormat: format }, truth);
    add(`invalid_count(${column_}) = ${n}`, { 'valid format': format }, n, true);
  }
  // `N/A` configured as missing is no longer invalid.
  const emailNa = o.invalidCount(col('email'), { validFormat: 'email', missingValues: ['N/A'] }, truth);
  add(`invalid_count(email) = ${emailNa}`, { 'valid format': 'email', 'missing values': ['N/A'] }, emailNa, true);
  const deEmail = o.percentOf(o.invalidCount(col('email', german), { validFormat: 'email' }, truth), german.length);
  add('invalid_percent(email) < 50%', { 'valid format': 'email', filter: "country = 'DE'" }, deEmail, deEmail < 50);

  const len = o.invalidCount(col('code'), { validLength: 4 }, truth);
  add('invalid_count(code) > 0', { 'valid length': 4 }, len, len > 0);
  const minLen = o.invalidCount(col('code'), { validMinLength: 2 }, truth);
  add(`invalid_count(code) = ${minLen}`, { 'valid min length': 2 }, minLen, true);
  const maxLen = o.invalidCount(col('code'), { validMaxLength: 6 }, truth);
  add(`invalid_count(code) = ${maxLen}`, { 'valid max length': 6 }, maxLen, true);
  const bothLen = o.invalidCount(col('code'), { validMinLength: 2, validMaxLength: 6 }, truth);
  add(`invalid_count(code) = ${bothLen}`, { 'valid min length': 2, 'valid max length': 6 }, bothLen, true);
  const rx = o.invalidCount(col('code'), { validRegex: '^[A-Z]+[0-9]+$' }, truth);
  add(`invalid_count(code) = ${rx}`, { 'valid regex': '^[A-Z]+[0-9]+$' }, rx, true);
  const notRx = o.invalidCount(col('code'), { invalidRegex: '[0-9]' }, truth);
  add(`invalid_count(code) = ${notRx}`, { 'invalid regex': '[0-9]' }, notRx, true);
}

// ---- numeric aggregates (sample statistics, as Soda's stddev/variance are)
{
  const amount = col('amount');
  const score = col('score');
  const qty = col('qty');
  const numeric: [string, number | null][] = [
    ['avg(amount)', o.avg(amount)],
    ['min(amount)', o.min(amount)],
    ['max(amount)', o.max(amount)],
    ['sum(amount)', o.sum(amount)],
    ['stddev(amount)', o.stddev(amount, 1)],
    ['stddev_samp(amount)', o.stddev(amount, 1)],
    ['stddev_pop(score)', o.stddev(score, 0)],
    ['variance(amount)', o.variance(amount, 1)],
    ['var_samp(qty)', o.variance(qty, 1)],
    ['var_pop(score)', o.variance(score, 0)],
    ['avg(score)', o.avg(score)],
    ['percentile(amount, 0.5)', o.percentileDisc(amount, 0.5)],
    ['percentile(amount, 0.9)', o.percentileDisc(amount, 0.9)],
    ['percentile(qty, 0.25)', o.percentileDisc(qty, 0.25)],
    ['percentile(score, 0.99)', o.percentileDisc(score, 0.99)],
    ['avg_length(code)', o.avg(o.lengths(col('code')))],
    ['min_length(code)', o.min(o.lengths(col('code')))],
    ['max_length(code)', o.max(o.lengths(col('code')))],
  ];
  for (const [metric, v] of numeric) add(`${metric} > -1000`, undefined, v, v! > -1000);
  const paidQty = o.sum(col('qty', paid));
  add('sum(qty) < 100', { filter: "status = 'paid'" }, paidQty, paidQty! < 100);
  const deAvg = o.avg(col('amount', german));
  add('avg(amount) between 400 and 500', { filter: "country = 'DE'" }, deAvg, deAvg! >= 400 && deAvg! <= 500);
}

// ---- freshness: scan time (NOW) minus MAX(col), in seconds
{
  const ageOf = (subset: readonly ItemRow[]) => (NOW.getTime() - Math.max(...subset.filter((r) => r.updated_at).map((r) => r.updated_at!.getTime()))) / 1000;
  add('freshness(updated_at) < 3h', undefined, FRESHEST_AGE_S, true);
  add('freshness(updated_at) < 1h', undefined, ageOf(rows), false);
  // A DATE's newest day counts until its last microsecond (Soda Core: `datetime.combine(day, time.max)`).
  const bookedAge = (NOW.getTime() - Math.max(...rows.filter((r) => r.booked_on).map((r) => Date.parse(`${r.booked_on}T00:00:00Z`)))) / 1000 - (86_400 - 1e-6);
  add('freshness(booked_on) < 1d6h', undefined, bookedAge, bookedAge < 108_000);
  const cancelled = rows.filter((r) => r.status === 'cancelled');
  const cancelledAge = ageOf(cancelled);
  add('freshness(updated_at) < 1d', { filter: "status = 'cancelled'" }, cancelledAge, cancelledAge < 86_400);
}

// ---- duplicates: distinct non-NULL combinations occurring more than once
{
  const single = o.duplicateCount(rows.map((r) => [r.order_no]));
  add('duplicate_count(order_no) = 0', undefined, single, single === 0);
  const singlePct = o.percentOf(single, N);
  add('duplicate_percent(order_no) < 10%', undefined, singlePct, singlePct < 10);
  const pair = o.duplicateCount(rows.map((r) => [r.customer_id, r.country]));
  add(`duplicate_count(customer_id, country) = ${pair}`, undefined, pair, true);
  const pairPct = o.percentOf(pair, N);
  add('duplicate_percent(customer_id, country) > 5%', undefined, pairPct, pairPct > 5);
  add('duplicate_count(id) = 0', undefined, 0, true);
  const filtered = o.duplicateCount(bigQty.map((r) => [r.order_no]));
  add(`duplicate_count(order_no) = ${filtered}`, { filter: 'qty > 10' }, filtered, true);
  const filteredPct = o.percentOf(o.duplicateCount(paid.map((r) => [r.customer_id, r.country])), paid.length);
  add('duplicate_percent(customer_id, country) < 50%', { filter: "status = 'paid'" }, filteredPct, filteredPct < 50);
}

// ---- reference checks, one and two columns, must / must not exist
{
  const ids = (subset: readonly ItemRow[]) => subset.map((r) => [r.customer_id]);
  const pairs = rows.map((r) => [r.customer_id, r.country]);
  const orphans = o.referenceCount(ids(rows), fx.customers.map((c) => [c.id]), false);
  add('values in (customer_id) must exist in customers (id)', undefined, orphans, orphans === 0);
  add('values in (country) must exist in countries (code)', undefined, o.referenceCount(col('country').map((v) => [v]), fx.countries.map((c) => [c]), false), true);
  const pairOrphans = o.referenceCount(pairs, fx.customers.map((c) => [c.id, c.country]), false);
  add('values in (customer_id, country) must exist in customers (id, country)', undefined, pairOrphans, pairOrphans === 0);
  const blocked = o.referenceCount(ids(rows), fx.blocked.map((b) => [b]), true);
  add('values in (customer_id) must not exist in blocked_customers (id)', undefined, blocked, blocked === 0);
  const blockedPairs = o.referenceCount(pairs, fx.blockedPairs, true);
  add('values in (customer_id, country) must not exist in blocked_pairs (id, country)', undefined, blockedPairs, blockedPairs === 0);
  const frOrphans = o.referenceCount(ids(french), fx.customers.map((c) => [c.id]), false);
  cases.push({ line: 'values in (customer_id) must exist in customers (id)', config: { filter: "country = 'FR'" }, value: frOrphans, outcome: frOrphans === 0 ? 'pass' : 'fail' });
}

// ---- user-defined metrics and failed rows
{
  const paidTotal = o.sum(rows.map((r) => (r.status === 'paid' ? r.amount : 0)));
  add('paid_total > 0', { 'paid_total expression': "SUM(CASE WHEN status = 'paid' THEN amount ELSE 0 END)" }, paidTotal, paidTotal! > 0);
  add(`big_qty_rows = ${bigQty.length}`, { 'big_qty_rows expression': 'COUNT(*)', filter: 'qty > 10' }, bigQty.length, true);
  const paidAvgQty = o.avg(col('qty', paid));
  add('paid_avg_qty between 5 and 15', { 'paid_avg_qty query': "SELECT AVG(qty) FROM ${ITEMS} WHERE status = 'paid'" }, paidAvgQty, paidAvgQty! >= 5 && paidAvgQty! <= 15);

  const negative = rows.filter((r) => r.amount !== null && r.amount < 0);
  cases.push({ line: 'failed rows', config: { name: 'No negative amounts', 'fail condition': 'amount < 0' }, value: negative.length, outcome: negative.length ? 'fail' : 'pass' });
  cases.push({ line: 'failed rows', config: { name: 'No absurd quantities', 'fail condition': 'qty > 100' }, value: 0, outcome: 'pass' });
  const usNegative = american.filter((r) => r.amount !== null && r.amount < 0);
  cases.push({ line: 'failed rows', config: { name: 'No negative US amounts', 'fail condition': 'amount < 0', filter: "country = 'US'" }, value: usNegative.length, outcome: usNegative.length ? 'fail' : 'pass' });
  const bulky = rows.filter((r) => r.qty !== null && r.qty > 18);
  cases.push({ line: 'failed rows', config: { name: 'No bulky orders', 'fail query': 'SELECT * FROM ${ITEMS} WHERE qty > 18' }, value: bulky.length, outcome: bulky.length ? 'fail' : 'pass' });
}

/** Cases whose value is a float computed through SQL arithmetic (compared with a relative tolerance). */
const isFloat = (c: Case) => c.value !== null && !Number.isInteger(c.value);

describe.each(ENGINES)('Soda metric semantics on %s', (engine) => {
  let db: LoadedDb;
  let result: ScanOutcome;

  beforeAll(async () => {
    db = await loadDb(engine, fx.tables);
    const entries = cases.map((c) => (c.config ? { [c.line]: c.config } : c.line));
    const project = writeProject(db, { checks: { items: entries } });
    result = await scan(project, { variables: { ITEMS: `${db.schema}.items` }, samples: false });
  });
  afterAll(() => db?.cleanup());

  it('reports every check, in file order, without errors', () => {
    const checks = result.checks();
    expect(checks.map((c) => c.definition)).toEqual(cases.map((c) => c.line));
    expect(checks.filter((c) => c.error)).toEqual([]);
  });

  it.each(cases.map((c, i) => [`${c.line}${c.config ? ` ${JSON.stringify(c.config)}` : ''}`, i] as const))('%s', (_label, i) => {
    const want = cases[i]!;
    const got = result.checks()[i]!;
    if (isFloat(want)) expectClose(got.value, want.value, want.line);
    else expect(got.value).toBe(want.value);
    expect(got.outcome).toBe(want.outcome);
  });
});
