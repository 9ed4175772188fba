/**
 * The PRD's own check file (section 4.1, `checks/transactions.yml`) on the table it was written
 * for, and its incident scenario (section 4.3): a `currency` column appears between two scans.
 */
import { loadProject } from '../config/loadProject';
import { runScan } from '../scan/runScan';
import { runExporter, type RunningExporter } from '../server/runExporter';
import { duckdbExec } from '../testing/duckdbFile';
import { tempProject } from '../testing/tempDir';

/** Verbatim from the PRD. */
const PRD_CHECKS = `# checks/transactions.yml
table: transactions
checks:
  - row_count > 0
  - missing_count(user_id) = 0
  - invalid_percent(amount) < 1%
  - freshness(created_at) < 1h
  - schema:
      - name: user_id
        type: integer
      - name: amount
        type: decimal
`;

describe('the PRD check file on a real transactions table', () => {
  const p = tempProject({
    'datatrust.yml': ['sources:', '  wh: { type: duckdb, path: wh.duckdb }', 'datasets:', '  transactions: { table: main.transactions }', 'checks: [checks/*.yml]', 'server: { scan_on_start: false }', 'state: { path: state.duckdb }', ''].join('\n'),
    'checks/transactions.yml': PRD_CHECKS,
  });
  let exporter: RunningExporter | undefined;

  beforeAll(async () => {
    // More columns than the check file lists, as every real table has (txn_id, created_at…).
    await duckdbExec(p.path('wh.duckdb'), [
      `CREATE TABLE transactions AS SELECT range::BIGINT AS txn_id, (range % 50 + 1)::INTEGER AS user_id,
         (100 + range)::DECIMAL(18, 2) AS amount, now()::TIMESTAMP - INTERVAL 5 MINUTE AS created_at FROM range(200)`,
    ]);
  });
  afterAll(async () => {
    await exporter?.stop();
    p.cleanup();
  });

  it('passes a one-off scan: columns it does not list are allowed', async () => {
    const report = await runScan(loadProject(p.path('datatrust.yml')), { samples: false });
    // `invalid_percent(amount)` without a validity rule is a SodaCL semantics question of its
    // own (the checks' reference issue); this test is about the schema list and the rest.
    const checks = report.datasets[0]!.checks.filter((c) => !c.name.startsWith('invalid_percent'));
    expect(checks.map((c) => [c.name, c.outcome])).toEqual([
      ['row_count > 0', 'pass'],
      ['missing_count(user_id) = 0', 'pass'],
      ['freshness(created_at) < 1h', 'pass'],
      ['schema', 'pass'],
    ]);
  });

  it('under serve, fails naming `currency` when that column appears between two scans, and passes again once it is the norm', async () => {
    exporter = await runExporter({ project: loadProject(p.path('datatrust.yml')), port: 0, host: '127.0.0.1' });
    const scan = () => exporter!.service.requestScan('transactions', { trigger: 'api' }).result;
    const first = await scan();
    expect(first.breaker.state).toBe('closed');

    await duckdbExec(p.path('wh.duckdb'), [`ALTER TABLE transactions ADD COLUMN currency VARCHAR DEFAULT 'KRW'`]);
    const second = await scan();
    const schema = second.run.checks.find((c) => c.name === 'schema')!;
    expect(schema).toMatchObject({ outcome: 'fail', message: 'unexpected column `currency` appeared since the last scan' });
    expect(second.breaker).toMatchObject({ state: 'open', failingChecks: expect.arrayContaining([expect.objectContaining({ name: 'schema', message: expect.stringContaining('currency') })]) });

    // The change is news once: the next scan compares with a schema that has `currency`.
    const third = await scan();
    expect(third.run.checks.find((c) => c.name === 'schema')!.outcome).toBe('pass');

    await duckdbExec(p.path('wh.duckdb'), ['ALTER TABLE transactions DROP COLUMN currency']);
    const fourth = await scan();
    expect(fourth.run.checks.find((c) => c.name === 'schema')).toMatchObject({ outcome: 'fail', message: 'column `currency` disappeared since the last scan' });
  });
});
