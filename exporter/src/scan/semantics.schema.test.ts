/**
 * `schema:` checks with all four `when …` keys, passing and failing, at warn and fail level.
 * Types are written as portable aliases (`integer`, `varchar`, `double`, `decimal`, `timestamp`,
 * `date`): DuckDB reports `INTEGER`/`VARCHAR`/`DOUBLE`, PostgreSQL `integer`/`character
 * varying`/`double precision`, and both must satisfy the same check.
 */
import { ENGINES, loadDb, type LoadedDb, makeFixture, scan, type ScanOutcome, writeProject } from '../testing/semanticFixture';
import type { Outcome } from '../checks/outcome';

const fx = makeFixture();
const COLUMNS = fx.tables[0]!.columns.map((c) => c.name);

interface Case {
  title: string;
  config: Record<string, unknown>;
  outcome: Outcome;
  /** Number of problems at the deciding level. */
  value: number;
  /** Each must appear in the message. */
  mentions?: string[];
}

const everythingRight = {
  'when required column missing': ['id', 'email', 'updated_at'],
  'when forbidden column present': ['password', 'ssn%'],
  'when wrong column type': { id: 'integer', customer_id: 'integer', amount: 'decimal', score: 'double', email: 'varchar', updated_at: 'timestamp', booked_on: 'date' },
  'when wrong column index': { id: 0, customer_id: 1, booked_on: COLUMNS.indexOf('booked_on') },
};

const cases: Case[] = [
  { title: 'all four keys hold', config: { fail: everythingRight }, outcome: 'pass', value: 0 },
  { title: 'precision is checked only when written', config: { fail: { 'when wrong column type': { amount: 'decimal(12,2)' } } }, outcome: 'pass', value: 0 },
  { title: 'a required column is missing', config: { fail: { 'when required column missing': ['id', 'password'] } }, outcome: 'fail', value: 1, mentions: ['password'] },
  { title: 'a forbidden column is present', config: { fail: { 'when forbidden column present': ['email'] } }, outcome: 'fail', value: 1, mentions: ['email'] },
  { title: 'a forbidden wildcard matches', config: { fail: { 'when forbidden column present': ['%_at'] } }, outcome: 'fail', value: 1, mentions: ['updated_at'] },
  { title: 'a column has the wrong type', config: { fail: { 'when wrong column type': { amount: 'varchar', id: 'integer' } } }, outcome: 'fail', value: 1, mentions: ['amount', 'varchar'] },
  { title: 'integer is not bigint', config: { fail: { 'when wrong column type': { id: 'bigint' } } }, outcome: 'fail', value: 1, mentions: ['id'] },
  { title: 'a stated precision must match', config: { fail: { 'when wrong column type': { amount: 'decimal(10,2)' } } }, outcome: 'fail', value: 1, mentions: ['amount'] },
  { title: 'a column is at the wrong index', config: { fail: { 'when wrong column index': { email: 0, id: 0 } } }, outcome: 'fail', value: 1, mentions: ['email'] },
  {
    title: 'every key broken at once counts every problem',
    config: { fail: { 'when required column missing': ['nope'], 'when forbidden column present': ['email'], 'when wrong column type': { id: 'date' }, 'when wrong column index': { id: 5 } } },
    outcome: 'fail',
    value: 4,
  },
  { title: 'problems only under warn: give warn', config: { warn: { 'when required column missing': ['password'] }, fail: { 'when forbidden column present': ['password'] } }, outcome: 'warn', value: 1, mentions: ['password'] },
  { title: 'problems under both give fail', config: { warn: { 'when required column missing': ['password'] }, fail: { 'when wrong column index': { id: 2 } } }, outcome: 'fail', value: 1, mentions: ['id'] },
  { title: 'warn and fail both hold', config: { warn: everythingRight, fail: { 'when required column missing': ['id'] } }, outcome: 'pass', value: 0 },
];

describe.each(ENGINES)('schema checks on %s', (engine) => {
  let db: LoadedDb;
  let result: ScanOutcome;

  beforeAll(async () => {
    db = await loadDb(engine, fx.tables);
    result = await scan(writeProject(db, { checks: { items: cases.map((c) => ({ schema: { name: c.title, ...c.config } })) } }), { samples: false });
  });
  afterAll(() => db?.cleanup());

  it.each(cases.map((c, i) => [c.title, i] as const))('%s', (_title, i) => {
    const want = cases[i]!;
    const got = result.checks()[i]!;
    expect(got.name).toBe(want.title);
    expect(got.error).toBeUndefined();
    expect(got.outcome).toBe(want.outcome);
    expect(got.value).toBe(want.value);
    for (const m of want.mentions ?? []) expect(got.message).toContain(m);
  });
});
