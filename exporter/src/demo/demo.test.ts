import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../config/loadProject';
import { runScan } from '../scan/runScan';
import { tempProject } from '../testing/tempDir';
import { DEMO_USERS, NULL_BURST } from './demoSql';
import { DuckDbStateStore } from '../state/duckdbStateStore';
import { duckdbExec } from '../testing/duckdbFile';
import { generateDemo } from './generateDemo';
import { seedDemoHistory } from './seedDemoHistory';
import { todaysSettlements } from './settlementHistory';

const REPO = join(__dirname, '../../..');

describe('the demo warehouse', () => {
  const project = tempProject({});
  const now = new Date('2026-11-26T10:00:00Z');

  beforeAll(async () => {
    // The repository's own datatrust.yml and checks/, pointed at a fresh demo file.
    mkdirSync(project.path('checks'));
    for (const f of ['raw_transactions.yml', 'cleaned_transactions.yml', 'aggregated_sales.yml', 'reference_data.yml', 'card_settlements.yml']) copyFileSync(join(REPO, 'checks', f), project.path(join('checks', f)));
    copyFileSync(join(REPO, 'datatrust.yml'), project.path('datatrust.yml'));
    await generateDemo({ output: project.path('data/demo.duckdb'), rows: 300_000, now });
  });
  afterAll(() => project.cleanup());

  it('is regenerated only when stale', async () => {
    const again = await generateDemo({ output: project.path('data/demo.duckdb'), rows: 300_000, now: new Date(now.getTime() + 60_000) });
    expect(again.generated).toBe(false);
  });

  it('catches every planted defect with the right outcome, and nothing else', async () => {
    const report = await runScan(loadProject(project.path('datatrust.yml')), { now: () => new Date(now.getTime() + 30_000) });
    const outcome = (dataset: string, name: string) => report.datasets.find((d) => d.dataset === dataset)!.checks.find((c) => c.name === name || c.definition === name)!;
    // The NULL burst: exactly the planted range.
    expect(outcome('raw_transactions', 'Every transaction has a customer')).toMatchObject({ outcome: 'fail', value: NULL_BURST.last - NULL_BURST.first + 1 });
    // Negative amounts written by the cleaning job.
    expect(outcome('cleaned_transactions', 'No negative amounts after cleaning')).toMatchObject({ outcome: 'fail', value: 3 });
    // Orphan user ids (ids ≥ 990000 do not exist among 1..DEMO_USERS).
    const orphans = outcome('cleaned_transactions', 'Every transaction belongs to a known customer');
    expect(orphans).toMatchObject({ outcome: 'fail', value: 5 });
    for (const row of orphans.samples!.rows) expect(Number(row[orphans.samples!.columns.indexOf('user_id')])).toBeGreaterThan(DEMO_USERS);
    // The `currency` column nobody listed: allowed in a one-off scan (the short format's list
    // names required columns); `serve` fails the check when such a column appears between scans.
    expect(outcome('cleaned_transactions', 'schema')).toMatchObject({ outcome: 'pass' });
    // Stale aggregate: three days old.
    expect(outcome('aggregated_sales', 'Sales aggregate rebuilt within a day')).toMatchObject({ outcome: 'fail' });
    expect(outcome('aggregated_sales', 'Sales aggregate rebuilt within a day').value).toBeCloseTo(3 * 86400 + 30, 0);
    // Malformed phone numbers: a warning, not a failure.
    expect(outcome('users', 'Phone numbers are well formed')).toMatchObject({ outcome: 'warn', value: 0.8 });
    // A one-off scan has no history to judge the settlement volume against.
    expect(outcome('card_settlements', 'Settlement volume is normal for the weekday')).toMatchObject({ outcome: 'not_evaluated' });

    const notPassing = report.datasets.flatMap((d) => d.checks.filter((c) => c.outcome !== 'pass').map((c) => `${d.dataset}: ${c.name}`));
    expect(notPassing.sort()).toEqual(
      [
        'aggregated_sales: Sales aggregate rebuilt within a day',
        'cleaned_transactions: Every transaction belongs to a known customer',
        'cleaned_transactions: No negative amounts after cleaning',
        'raw_transactions: Every transaction has a customer',
        'users: Phone numbers are well formed',
        'card_settlements: Settlement volume is normal for the weekday',
      ].sort(),
    );
    expect(report.datasets.find((d) => d.dataset === 'accounts')!.checks.every((c) => c.outcome === 'pass')).toBe(true);
  });

  it("flags today's short settlement file against the history the demo writes, naming the weekday", async () => {
    const statePath = project.path('data/state.duckdb');
    expect(await seedDemoHistory(statePath, now)).toBe(56);
    // Seeded once: a restarted demo keeps the history it has.
    expect(await seedDemoHistory(statePath, now)).toBe(0);
    const store = new DuckDbStateStore(statePath);
    await store.open();
    try {
      const report = await runScan(loadProject(project.path('datatrust.yml')), { datasets: ['card_settlements'], history: store, now: () => new Date(now.getTime() + 30_000) });
      const check = report.datasets[0]!.checks.find((c) => c.name === 'Settlement volume is normal for the weekday')!;
      // 26 November 2026 is a Thursday: 9,500 records usually, 5,700 today.
      expect(check).toMatchObject({ outcome: 'fail', measured: todaysSettlements(now), expected: { season: 'Thursday', model: 'seasonal(day_of_week)' } });
      expect(check.message).toMatch(/^row_count 5,700, expected \d,\d{3}–\d,\d{3} for a Thursday$/);
      // The band holds a usual Thursday and leaves today's short file out.
      expect(check.expected!.lower).toBeLessThanOrEqual(9500);
      expect(check.expected!.upper).toBeGreaterThanOrEqual(9500);
      expect(check.expected!.lower).toBeGreaterThan(5700);
    } finally {
      await store.close();
    }
  });

  it('regenerates a recent warehouse written by an older version, which lacks a table', async () => {
    const path = project.path('old/demo.duckdb');
    await generateDemo({ output: path, rows: 1000, now });
    await duckdbExec(path, ['DROP TABLE card_settlements']);
    expect((await generateDemo({ output: path, rows: 1000, now: new Date(now.getTime() + 60_000) })).generated).toBe(true);
  });

  it('writes through a temporary file, leaving nothing but the database behind', async () => {
    const r = await generateDemo({ output: project.path('other/demo.duckdb'), rows: 1000, now });
    expect(r.generated).toBe(true);
    expect(readdirSync(project.path('other'))).toEqual(['demo.duckdb']);
  });
});
