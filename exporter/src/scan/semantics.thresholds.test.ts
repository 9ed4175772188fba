/**
 * Every threshold form (each comparator, between / not between with `(`/`[` bounds, `%`,
 * durations), warn + fail precedence, in-check `filter:` denominators, `name:`/`attributes:`,
 * on the same fixture in DuckDB and PostgreSQL.
 */
import { column, ENGINES, expectClose, FRESHEST_AGE_S, loadDb, type LoadedDb, makeFixture, scan, type ScanOutcome, writeProject } from '../testing/semanticFixture';
import * as o from '../testing/sodaOracle';
import type { Outcome } from '../checks/outcome';

const fx = makeFixture();
const rows = fx.items;
const N = rows.length;
const missingEmail = o.missingCount(column(rows, 'email'));
const missingEmailPct = o.percentOf(missingEmail, N);
const paid = rows.filter((r) => r.status === 'paid');
const paidMissingPct = o.percentOf(o.missingCount(column(paid, 'email')), paid.length);
const paidNegativePct = o.percentOf(o.invalidCount(column(paid, 'amount'), { validMin: 0 }, fx.truth), paid.length);

// The thresholds below are written around these facts; fail loudly if the generator changes them.
if (!(missingEmail > 10 && missingEmail < 50 && missingEmailPct > 4 && missingEmailPct < 5)) throw new Error(`fixture drifted: ${missingEmail} missing emails`);

interface Case {
  line: string;
  config?: Record<string, unknown>;
  value: number;
  outcome: Outcome;
  /** Expected `threshold` text, where the case is about it. */
  threshold?: { warn?: string; fail?: string };
}

const cases: Case[] = [];
const add = (line: string, value: number, outcome: Outcome, config?: Record<string, unknown>, threshold?: Case['threshold']) =>
  cases.push({ line, value, outcome, ...(config ? { config } : {}), ...(threshold ? { threshold } : {}) });

// ---- each comparator, both ways, on a count known exactly (the row count)
add(`row_count = ${N}`, N, 'pass');
add(`row_count = ${N + 1}`, N, 'fail');
add(`row_count != ${N}`, N, 'fail');
add('row_count != 0', N, 'pass');
add(`row_count < ${N + 1}`, N, 'pass');
add(`row_count < ${N}`, N, 'fail');
add(`row_count <= ${N}`, N, 'pass');
add(`row_count <= ${N - 1}`, N, 'fail');
add(`row_count > ${N - 1}`, N, 'pass');
add(`row_count > ${N}`, N, 'fail');
add(`row_count >= ${N}`, N, 'pass');
add(`row_count >= ${N + 1}`, N, 'fail');

// ---- between: inclusive unless written with ( or ), on either bound
add(`row_count between ${N} and ${N + 10}`, N, 'pass');
add(`row_count between ${N - 10} and ${N}`, N, 'pass');
add(`row_count between [${N} and ${N + 10}]`, N, 'pass');
add(`row_count between (${N} and ${N + 10}]`, N, 'fail');
add(`row_count between [${N - 10} and ${N})`, N, 'fail');
add(`row_count between [${N} and ${N + 10})`, N, 'pass');
add(`row_count between (${N - 10} and ${N}]`, N, 'pass');
add(`row_count between ${N + 1} and ${N + 10}`, N, 'fail');
add(`row_count not between 0 and ${N - 1}`, N, 'pass');
add(`row_count not between ${N} and ${N + 1}`, N, 'fail');
add(`row_count not between (${N} and ${N + 10}]`, N, 'pass');
add(`row_count not between [${N - 5} and ${N})`, N, 'pass');
add(`row_count not between (${N - 5} and ${N}]`, N, 'fail');

// ---- percentages written with %, reported 0–100
add('missing_percent(email) < 5%', missingEmailPct, 'pass');
add('missing_percent(email) < 4%', missingEmailPct, 'fail');
add('missing_percent(email) > 1 %', missingEmailPct, 'pass');
add('missing_percent(email) between 4% and 5%', missingEmailPct, 'pass');
add('missing_percent(email) not between 4% and 5%', missingEmailPct, 'fail');
add('missing_percent(email) <= 4.5%', missingEmailPct, missingEmailPct <= 4.5 ? 'pass' : 'fail');

// ---- durations (freshness), including combined units
add('freshness(updated_at) < 2h30m', FRESHEST_AGE_S, 'fail');
add('freshness(updated_at) <= 2h30m', FRESHEST_AGE_S, 'pass');
add('freshness(updated_at) < 9001s', FRESHEST_AGE_S, 'pass');
add('freshness(updated_at) < 1d6h', FRESHEST_AGE_S, 'pass');
add('freshness(updated_at) between 2h and 3h', FRESHEST_AGE_S, 'pass');
add('freshness(updated_at) > 150m', FRESHEST_AGE_S, 'fail');

// ---- warn / fail: the most severe result wins
add('missing_count(email)', missingEmail, 'fail', { warn: 'when > 5', fail: 'when > 10' }, { warn: 'when > 5', fail: 'when > 10' });
add('missing_count(email)', missingEmail, 'warn', { warn: 'when > 5', fail: 'when > 100' });
add('missing_count(email)', missingEmail, 'pass', { warn: 'when > 100', fail: 'when > 200' });
add('missing_count(email)', missingEmail, 'warn', { warn: 'when > 5' });
add('missing_count(email)', missingEmail, 'pass', { warn: 'when < 5' });
add('missing_count(email)', missingEmail, 'fail', { fail: 'when >= 5' });
add('missing_count(email)', missingEmail, 'warn', { warn: 'when between 10 and 50', fail: 'when > 50' });
add('missing_count(email)', missingEmail, 'fail', { warn: 'when not between 0 and 5', fail: 'when not between (0 and 10]' });
add('missing_percent(email)', missingEmailPct, 'warn', { warn: 'when > 1%', fail: 'when > 10%' }, { warn: 'when > 1%', fail: 'when > 10%' });
add('missing_percent(email)', missingEmailPct, 'fail', { warn: 'when > 1%', fail: 'when > 4%' });
add('freshness(updated_at)', FRESHEST_AGE_S, 'warn', { warn: 'when > 2h', fail: 'when > 1d' }, { warn: 'when > 2h', fail: 'when > 1d' });
add('freshness(updated_at)', FRESHEST_AGE_S, 'fail', { warn: 'when > 1h', fail: 'when > 2h' });

// ---- in-check filter: the percent denominator is the filtered row count
add(`row_count = ${paid.length}`, paid.length, 'pass', { filter: "status = 'paid'" });
add('missing_percent(email) < 100%', paidMissingPct, 'pass', { filter: "status = 'paid'" });
add('invalid_percent(amount) < 100%', paidNegativePct, 'pass', { filter: "status = 'paid'", 'valid min': 0 });
add('missing_count(email)', o.missingCount(column(paid, 'email')), 'warn', { filter: "status = 'paid'", warn: 'when > 0', fail: 'when > 1000' });

describe.each(ENGINES)('Soda thresholds on %s', (engine) => {
  let db: LoadedDb;
  let result: ScanOutcome;
  const named = {
    line: 'missing_count(email) < 100',
    config: { name: 'Emails are present', attributes: { owner: 'payments', priority: 1, tags: ['pii', 'gdpr'] } },
  };

  beforeAll(async () => {
    db = await loadDb(engine, fx.tables);
    const entries = [...cases.map((c) => (c.config ? { [c.line]: c.config } : c.line)), { [named.line]: named.config }];
    result = await scan(writeProject(db, { checks: { items: entries } }), { samples: false });
  });
  afterAll(() => db?.cleanup());

  it.each(cases.map((c, i) => [`${c.line}${c.config ? ` ${JSON.stringify(c.config)}` : ''} → ${c.outcome}`, i] as const))('%s', (_label, i) => {
    const want = cases[i]!;
    const got = result.checks()[i]!;
    expect(got.definition).toBe(want.line);
    expect(got.error).toBeUndefined();
    expect(got.outcome).toBe(want.outcome);
    if (Number.isInteger(want.value)) expect(got.value).toBe(want.value);
    else expectClose(got.value, want.value, want.line);
    if (want.threshold) expect(got.threshold).toEqual(want.threshold);
  });

  it('carries `name:` and `attributes:` into the result, keeping the definition', () => {
    const got = result.checks()[cases.length]!;
    expect(got).toMatchObject({ name: 'Emails are present', definition: named.line, outcome: 'pass', value: missingEmail, attributes: named.config.attributes });
  });

  it('names a check by its definition when it has no `name:`', () => {
    const got = result.checks()[0]!;
    expect(got.name).toBe(got.definition);
    expect(got.attributes).toBeUndefined();
  });
});
