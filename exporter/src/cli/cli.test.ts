import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCli } from '../testing/runCli';
import { tempProject } from '../testing/tempDir';

const ORDERS = ['id,customer,amount,email', '1,alice,10.5,alice@example.com', '2,bob,20,bob@example.com', '3,,-5,not-an-email', '4,dave,7,dave@example.com'].join('\n');
const config = (checks: string) => ({
  'datatrust.yml': 'datasets:\n  orders: { file: orders.csv }\nchecks: [checks.yml]\n',
  'orders.csv': ORDERS + '\n',
  'checks.yml': checks,
});

describe('datatrust scan exit codes (Soda Core v3)', () => {
  it.each([
    ['0 when every check passes', 'checks for orders:\n  - row_count = 4\n', 0],
    ['1 when there are only warnings', 'checks for orders:\n  - row_count = 4\n  - missing_count(customer):\n      warn: when > 0\n', 1],
    ['2 when a check fails', 'checks for orders:\n  - row_count = 4\n  - missing_count(customer) = 0\n  - missing_count(id):\n      warn: when >= 0\n', 2],
    ['3 when a check errors, even beside failures', 'checks for orders:\n  - missing_count(customer) = 0\n  - avg(no_such_column) > 0\n', 3],
  ])('exits %s', async (_label, checks, code) => {
    const p = tempProject(config(checks));
    try {
      const r = await runCli(['scan', '-c', p.path('datatrust.yml')]);
      expect(r.code).toBe(code);
    } finally {
      p.cleanup();
    }
  });

  it('exits 3 without scanning when a checks file is not valid YAML, naming file:line:col', async () => {
    const p = tempProject(config('checks for orders:\n  - row_count > 0\n   - bad: [\n'));
    try {
      const r = await runCli(['scan', '-c', p.path('datatrust.yml')]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/checks\.yml:\d+:\d+: invalid YAML/);
      expect(r.stderr).toMatch(/scan not started/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      p.cleanup();
    }
  });

  it('exits 3 on a usage error rather than 1, which means warnings', async () => {
    const r = await runCli(['scan', '--format', 'xml']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Allowed choices are text, json/);
  });

  it('reports every check on an unreachable database as error, never pass', async () => {
    const p = tempProject({
      'datatrust.yml': 'sources:\n  ledger: { type: postgres, url: "postgres://nobody@127.0.0.1:1/none" }\nchecks: [checks.yml]\n',
      'checks.yml': 'checks for accounts:\n  - row_count > 0\n  - missing_count(id) = 0\n',
    });
    try {
      const r = await runCli(['scan', '-c', p.path('datatrust.yml'), '--format', 'json']);
      expect(r.code).toBe(3);
      const json = JSON.parse(r.stdout) as { datasets: { checks: { outcome: string; error: string }[] }[] };
      expect(json.datasets[0]!.checks.map((c) => c.outcome)).toEqual(['error', 'error']);
      expect(json.datasets[0]!.checks[0]!.error).toMatch(/source `ledger` is unavailable: .*ECONNREFUSED/);
    } finally {
      p.cleanup();
    }
  });
});

describe('datatrust scan never passes what it did not check', () => {
  it('exits 3 when no checks ran at all', async () => {
    const p = tempProject({ 'datatrust.yml': 'datasets:\n  orders: { file: orders.csv }\nchecks: [checks.yml]\n', 'orders.csv': ORDERS, 'checks.yml': '' });
    try {
      const r = await runCli(['scan', '-c', p.path('datatrust.yml')]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/no checks ran/);
    } finally {
      p.cleanup();
    }
  });

  it('reports `for each dataset` checks as errors when the tables cannot be listed', async () => {
    const p = tempProject({
      'datatrust.yml': 'sources:\n  wh: { type: duckdb, path: missing.duckdb }\nchecks: [checks.yml]\n',
      'checks.yml': 'for each dataset T:\n  datasets: [fact_%]\n  checks:\n    - row_count > 0\n',
    });
    try {
      const r = await runCli(['scan', '-c', p.path('datatrust.yml'), '--format', 'json']);
      expect(r.code).toBe(3);
      const json = JSON.parse(r.stdout) as { datasets: { dataset: string; checks: { outcome: string; error: string }[] }[] };
      expect(json.datasets).toEqual([expect.objectContaining({ dataset: 'for each dataset' })]);
      expect(json.datasets[0]!.checks[0]).toMatchObject({ outcome: 'error', error: expect.stringMatching(/cannot list the tables .*missing\.duckdb does not exist/) });
    } finally {
      p.cleanup();
    }
  });
});

describe('datatrust serve', () => {
  it('exits 3 promptly when its port is taken, even with schedules configured', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as AddressInfo).port;
    const p = tempProject({ ...config('checks for orders:\n  - row_count > 0\n'), 'datatrust.yml': `datasets:\n  orders: { file: orders.csv, schedule: "* * * * *" }\nchecks: [checks.yml]\nstate: { path: state.duckdb }\n` });
    try {
      const r = await runCli(['serve', '-c', p.path('datatrust.yml'), '--port', String(port)], { timeoutMs: 20_000 });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/already in use/);
    } finally {
      blocker.close();
      p.cleanup();
    }
  });

  it('refuses a port that is not a number as a usage error', async () => {
    const r = await runCli(['serve', '--port', 'abc']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/must be a port number/);
  });
});

describe('datatrust scan --format json', () => {
  it('prints the documented shape, samples included for failing checks', async () => {
    const p = tempProject(
      config('checks for orders:\n  - row_count > 0\n  - invalid_count(email) = 0:\n      valid format: email\n      name: Emails are valid\n  - invalid_percent(amount) < 10%:\n      valid min: 0\n'),
    );
    try {
      const r = await runCli(['scan', '-c', p.path('datatrust.yml'), '--format', 'json']);
      expect(r.code).toBe(2);
      const json = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(Object.keys(json)).toEqual(['datasets', 'summary']);
      expect(json.summary).toEqual({ pass: 1, warn: 0, fail: 2, error: 0, notEvaluated: 0 });
      const [dataset] = json.datasets as Record<string, unknown>[];
      expect(Object.keys(dataset!)).toEqual(['dataset', 'source', 'durationMs', 'checks']);
      expect(dataset).toMatchObject({ dataset: 'orders', source: 'files' });
      const checks = dataset!.checks as Record<string, unknown>[];
      expect(checks[0]).toEqual({ name: 'row_count > 0', definition: 'row_count > 0', outcome: 'pass', value: 4, threshold: { fail: 'when <= 0' }, location: expect.stringMatching(/checks\.yml:2:5$/) });
      expect(checks[1]).toMatchObject({ name: 'Emails are valid', definition: 'invalid_count(email) = 0', outcome: 'fail', value: 1, threshold: { fail: 'when != 0' } });
      // The check's column and the table's first (its key), not every column.
      expect(checks[1]!.samples).toEqual({ columns: ['email', 'id'], rows: [['not-an-email', 3]] });
      // Percent metrics are reported in 0–100.
      expect(checks[2]).toMatchObject({ outcome: 'fail', value: 25, threshold: { fail: 'when >= 10%' } });
    } finally {
      p.cleanup();
    }
  });

  it('leaves samples out when switched off', async () => {
    const p = tempProject(config('checks for orders:\n  - missing_count(customer) = 0\n'));
    try {
      const r = await runCli(['scan', '-c', p.path('datatrust.yml'), '--format', 'json', '--no-samples']);
      const json = JSON.parse(r.stdout) as { datasets: { checks: Record<string, unknown>[] }[] };
      expect(json.datasets[0]!.checks[0]).not.toHaveProperty('samples');
    } finally {
      p.cleanup();
    }
  });
});

describe('datatrust scan text output', () => {
  it('prints a progress line per dataset and a readable table', async () => {
    const p = tempProject(config('checks for orders:\n  - row_count > 0\n  - missing_count(customer) = 0\n'));
    try {
      const r = await runCli(['scan', '-c', p.path('datatrust.yml')]);
      expect(r.stderr).toMatch(/^\[1\/1\] orders {2}2 checks {2}\d+ ms {2}1 pass, 1 fail$/m);
      expect(r.stdout).toMatch(/^DATASET\s+CHECK\s+OUTCOME\s+VALUE\s+THRESHOLD$/m);
      expect(r.stdout).toMatch(/^orders\s+missing_count\(customer\) = 0\s+fail\s+1\s+fail when != 0$/m);
      expect(r.stdout).toMatch(/Summary: 1 pass, 0 warn, 1 fail, 0 error in 1 dataset, \d+ ms \(exit 2\)/);
    } finally {
      p.cleanup();
    }
  });
});

describe('datatrust validate', () => {
  it('exits 0 for valid files without touching data', async () => {
    // The CSV does not exist: validate must not read it.
    const p = tempProject({ 'datatrust.yml': 'datasets:\n  orders: { file: missing.csv }\nchecks: [checks.yml]\n', 'checks.yml': 'checks for orders:\n  - row_count > 0\n' });
    try {
      const r = await runCli(['validate', '-c', p.path('datatrust.yml')]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/valid: 1 check file, 1 checks: 0 errors, 0 warnings/);
    } finally {
      p.cleanup();
    }
  });

  it('points at the exact line and column of a broken check and exits 3', async () => {
    const p = tempProject(config('checks for orders:\n  - row_count > 0\n  - missing_count(customer) < abc\n  - invalid_count(email) = 0:\n      valid fromat: email\n'));
    try {
      const r = await runCli(['validate', '-c', p.path('datatrust.yml')], { cwd: p.dir });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('checks.yml:3:31: expected a number, found `abc`');
      expect(r.stderr).toContain('checks.yml:5:7: unknown check configuration key `valid fromat`; did you mean `valid format`?');
      expect(r.stderr).toMatch(/invalid: .*2 errors/);
    } finally {
      p.cleanup();
    }
  });

  it('reports config problems with positions and accepted alternatives', async () => {
    const p = tempProject({ 'datatrust.yml': 'sources:\n  wh: { type: duckdbb, path: x.duckdb }\ndatasets:\n  t: { tabel: x }\n', 'checks.yml': '' });
    try {
      const r = await runCli(['validate', '-c', p.path('datatrust.yml')], { cwd: p.dir });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('datatrust.yml:2:15: the `type` of source `wh` is `duckdbb`; did you mean `duckdb`? Accepted: `duckdb`, `postgres`');
      expect(r.stderr).toMatch(/datatrust\.yml:4:8: unknown key `tabel` in dataset `t`; did you mean `table`\?/);
    } finally {
      p.cleanup();
    }
  });
});
