/**
 * The acceptance test: suggestions learned from clean demo tables validate, pass on the
 * data they came from, and catch every defect the demo plants (demo/demoSql.ts). The clean copy
 * is the generated warehouse with exactly those defects repaired; the defective original is the
 * warehouse as generated, i.e. the defects planted after profiling.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DEMO_USERS } from '../demo/demoSql';
import { generateDemo } from '../demo/generateDemo';
import { runCli } from '../testing/runCli';
import { tempProject } from '../testing/tempDir';

const REPO = join(__dirname, '../../..');
const DATASETS = ['raw_transactions', 'users', 'accounts', 'cleaned_transactions', 'aggregated_sales'];

/** Undoes each planted defect in a copy of the warehouse. */
const REPAIRS = [
  // The NULL burst and the orphan user ids of raw_transactions.
  `DELETE FROM raw_transactions WHERE user_id IS NULL OR user_id > ${DEMO_USERS}`,
  // cleaned_transactions: orphans, refunds flipped negative, and the unagreed `currency` column.
  `DELETE FROM cleaned_transactions WHERE user_id > ${DEMO_USERS}`,
  'UPDATE cleaned_transactions SET amount = -amount WHERE amount < 0',
  'ALTER TABLE cleaned_transactions DROP COLUMN currency',
  // aggregated_sales rebuilt on time instead of three days ago.
  'UPDATE aggregated_sales SET updated_at = (SELECT generated_at FROM demo_metadata)',
  // users: the malformed phone numbers in the well-formed shape.
  `UPDATE users SET phone = '+82-10-0000-' || lpad(CAST(user_id % 10000 AS VARCHAR), 4, '0') WHERE phone NOT LIKE '+82-10-%'`,
];

interface JsonCheck {
  definition: string;
  outcome: string;
  value: number | null;
}
interface JsonScan {
  datasets: { dataset: string; checks: JsonCheck[] }[];
}

describe('suggested checks on the demo warehouse', () => {
  const project = tempProject({});
  const config = (db: string) => readFileSync(join(REPO, 'datatrust.yml'), 'utf8').replace('path: data/demo.duckdb', `path: ${db}`).replace('  - checks/*.yml', '  - suggested/*.yml');

  beforeAll(async () => {
    await generateDemo({ output: project.path('data/demo.duckdb'), rows: 300_000 });
    copyFileSync(project.path('data/demo.duckdb'), project.path('data/clean.duckdb'));
    const db = await DuckDBInstance.create(project.path('data/clean.duckdb'));
    const conn = await db.connect();
    for (const sql of REPAIRS) await conn.run(sql);
    await conn.run('CHECKPOINT');
    conn.closeSync();
    db.closeSync();
    writeFileSync(project.path('datatrust.yml'), config('data/demo.duckdb'));
    writeFileSync(project.path('clean.yml'), config('data/clean.duckdb'));
  }, 60_000);
  afterAll(() => project.cleanup());

  const cli = (args: string[]) => runCli(args, { cwd: project.dir, timeoutMs: 60_000 });
  const scan = async (configFile: string) => {
    const r = await cli(['scan', '-c', configFile, 'suggested/demo.yml', '-f', 'json', '--no-samples']);
    return { code: r.code, report: JSON.parse(r.stdout) as JsonScan, stderr: r.stderr };
  };

  it('writes a check file that validates and passes on the clean data it was profiled from', async () => {
    const suggest = await cli(['suggest', '-c', 'clean.yml', ...DATASETS, '--out', 'suggested/demo.yml']);
    expect(suggest.stderr).toMatch(/wrote \d+ suggested checks to suggested\/demo\.yml/);
    expect(suggest.code).toBe(0);
    const text = readFileSync(project.path('suggested/demo.yml'), 'utf8');
    // Every check is justified by a comment giving the profile's figures.
    expect(text).toMatch(/# user_id: no NULL in 299,595 rows\n  - missing_count\(user_id\) = 0/);
    expect(text).toMatch(/# phone: every value is 16 characters long\n  - invalid_count\(phone\) = 0:\n      valid length: 16/);

    const validate = await cli(['validate', '-c', 'datatrust.yml', 'suggested/demo.yml']);
    expect(validate.stderr).toMatch(/^valid: 1 check file, \d+ checks: 0 errors, 0 warnings/m);
    expect(validate.code).toBe(0);

    const clean = await scan('clean.yml');
    const notPassing = clean.report.datasets.flatMap((d) => d.checks.filter((c) => c.outcome !== 'pass').map((c) => `${d.dataset}: ${c.definition}`));
    expect(notPassing).toEqual([]);
    expect(clean.code).toBe(0);
  }, 120_000);

  it('catches every planted defect of the original warehouse, and nothing else fails', async () => {
    const { code, report } = await scan('datatrust.yml');
    const failing = report.datasets.flatMap((d) => d.checks.filter((c) => c.outcome !== 'pass').map((c) => ({ at: `${d.dataset}: ${c.definition.split('\n')[0]}`, outcome: c.outcome, value: c.value })));
    expect(failing.sort((a, b) => a.at.localeCompare(b.at))).toEqual(
      [
        // The NULL burst of 400 user ids.
        { at: 'raw_transactions: missing_count(user_id) = 0', outcome: 'fail', value: 400 },
        // Orphan user ids (990000+), outside the profiled range. Profiling cannot suggest a
        // reference check: an orphan inside the range would need `values in … must exist in`.
        { at: 'raw_transactions: invalid_count(user_id) = 0', outcome: 'fail', value: 5 },
        { at: 'cleaned_transactions: invalid_count(user_id) = 0', outcome: 'fail', value: 5 },
        // The three refunds flipped negative: no negative amount was profiled, so 0 is the floor.
        { at: 'cleaned_transactions: invalid_count(amount) = 0', outcome: 'fail', value: 3 },
        // The `currency` column the profiled schema did not have.
        { at: 'cleaned_transactions: schema', outcome: 'fail', value: 1 },
        // The aggregate rebuilt three days ago.
        { at: 'aggregated_sales: freshness(updated_at) < 1h', outcome: 'fail', value: expect.any(Number) as number },
        // 0.8% malformed phone numbers (shorter than the 16 characters of every profiled one).
        { at: 'users: invalid_count(phone) = 0', outcome: 'fail', value: DEMO_USERS / 125 },
      ].sort((a, b) => a.at.localeCompare(b.at)),
    );
    const stale = failing.find((f) => f.at.startsWith('aggregated_sales'))!;
    expect(stale.value).toBeGreaterThan(3 * 86400);
    expect(code).toBe(2);
  }, 120_000);

  it('refuses to overwrite an existing --out file unless --force', async () => {
    writeFileSync(project.path('suggested/mine.yml'), '# reviewed by hand\n');
    const refused = await cli(['suggest', '-c', 'clean.yml', 'users', '--out', 'suggested/mine.yml']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('suggested/mine.yml exists: not overwritten (use --force to replace it)');
    expect(readFileSync(project.path('suggested/mine.yml'), 'utf8')).toBe('# reviewed by hand\n');
    const forced = await cli(['suggest', '-c', 'clean.yml', 'users', '--out', 'suggested/mine.yml', '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(project.path('suggested/mine.yml'), 'utf8')).toMatch(/^checks for users:$/m);
  }, 60_000);

  it('exits 3 naming what it cannot do: a table that does not exist, --force without --out', async () => {
    const missing = await cli(['profile', '-c', 'datatrust.yml', 'no_such_table']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('cannot profile `no_such_table`: ');
    const force = await cli(['suggest', '-c', 'clean.yml', 'users', '--force']);
    expect(force.code).toBe(3);
    expect(force.stderr).toContain('--force only applies with --out FILE');
  }, 60_000);

  it('prints the profile as JSON: exact counts below the threshold, estimates labelled, formats and top values', async () => {
    const r = await cli(['profile', '-c', 'datatrust.yml', 'users', '-f', 'json']);
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout) as { rowCount: number; columns: { name: string; nullCount: number; distinct?: { count: number; approximate: boolean }; format?: { name: string; matchPercent: number }; length?: { min: number; max: number }; topValues?: { value: string; count: number }[]; min?: number; max?: number; newestAgeSeconds?: number }[] };
    const col = (n: string) => p.columns.find((c) => c.name === n)!;
    expect(p.rowCount).toBe(DEMO_USERS);
    expect(col('user_id')).toMatchObject({ nullCount: 0, min: 1, max: DEMO_USERS, distinct: { count: DEMO_USERS, approximate: false } });
    expect(col('email').format).toEqual({ name: 'email', matchPercent: 100 });
    // Korean numbers are not Soda's (North American) `phone number`: no format is claimed.
    expect(col('phone').format).toBeUndefined();
    expect(col('phone').length).toEqual({ min: 2, max: 16 });
    expect(col('country')).toMatchObject({ distinct: { count: 3, approximate: false }, topValues: [{ value: 'KR', count: 12_000 }, { value: 'JP', count: 4_000 }, { value: 'US', count: 4_000 }] });
    // 20,000 e-mails, above the exact threshold but estimated near-unique: a possible key, counted exactly.
    expect(col('email').distinct).toEqual({ count: DEMO_USERS, approximate: false });
    expect(col('created_at').newestAgeSeconds).toBeGreaterThan(399 * 86400);

    // ~30,000 account ids among 300,000 transactions: neither few nor a key, so an estimate, marked `~`.
    const text = await cli(['profile', '-c', 'datatrust.yml', 'raw_transactions']);
    expect(text.stdout).toMatch(/^raw_transactions \(warehouse: main\.raw_transactions\): 300,000 rows, 7 columns, profiled /);
    expect(text.stdout).toMatch(/^account_id +INTEGER +0% +~\d\d,\d{3} /m);
    expect(text.stdout).toContain('~ estimated distinct count (HyperLogLog)');
  }, 60_000);
});
