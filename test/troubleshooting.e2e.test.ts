/**
 * The README's troubleshooting table quotes error messages: each is produced here the way a
 * user meets it, so the table cannot drift from what the CLI really says.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runCli } from '../exporter/src/testing/runCli';
import { tempProject } from '../exporter/src/testing/tempDir';
import { DuckDbStateStore } from '../exporter/src/state/duckdbStateStore';
import { REPO } from './support/repo';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const table = README.slice(README.indexOf('## Troubleshooting'), README.indexOf('## ', README.indexOf('## Troubleshooting') + 5));

describe('README troubleshooting', () => {
  const p = tempProject({
    'datatrust.yml': ['sources:', '  wh: { type: duckdb, path: wh.duckdb }', '  ledger: { type: postgres, url: "${LEDGER_PG_URL}" }', 'datasets:', '  t: { source: wh, table: main.t }', '  p: { source: ledger, table: public.p }', 'checks: [checks.yml]', 'state: { path: state.duckdb }', ''].join('\n'),
    'checks.yml': 'checks for t:\n  - row_count > 0\nchecks for p:\n  - row_count > 0\n',
    'secret.yml': 'alerts:\n  channels:\n    team: { type: slack, webhook_url: "https://hooks.slack.com/services/T0/B0/x" }\n',
  });
  afterAll(() => p.cleanup());

  jest.setTimeout(60_000);

  it('port in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCli(['serve', '-c', 'datatrust.yml', '--port', String(port)], { cwd: p.dir, env: { LEDGER_PG_URL: 'postgres://u@127.0.0.1:1/db' } });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`not started: port ${port} is already in use (pass --port)`);
      expect(table).toContain('`not started: port 8470 is already in use (pass --port)`');
    } finally {
      blocker.close();
    }
  });

  it('a DuckDB file locked by its writer, and PostgreSQL unreachable', async () => {
    const db = await DuckDBInstance.create(p.path('wh.duckdb'));
    const conn = await db.connect();
    await conn.run('CREATE TABLE t AS SELECT 1 AS a');
    try {
      const r = await runCli(['scan'], { cwd: p.dir, env: { LEDGER_PG_URL: 'postgres://u:pw@127.0.0.1:1/db' } });
      expect(r.code).toBe(3);
      expect(r.stdout).toMatch(/source `wh` is unavailable: IO Error: Could not set lock on file ".*wh\.duckdb": Conflicting lock is held in .* \(PID \d+\)/);
      expect(r.stdout).toContain('source `ledger` is unavailable: connect ECONNREFUSED 127.0.0.1:1');
    } finally {
      conn.closeSync();
      db.closeSync();
    }
    expect(table).toContain('Could not set lock on file "…duckdb": Conflicting lock is held in … (PID n)');
    expect(table).toContain('is unavailable: connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('a state file in use by serve, for serve and for report', async () => {
    const store = new DuckDbStateStore(p.path('state.duckdb'));
    await store.open();
    try {
      const report = await runCli(['report'], { cwd: p.dir, env: { LEDGER_PG_URL: 'postgres://u@127.0.0.1:1/db' } });
      expect(report.code).toBe(3);
      expect(report.stderr).toMatch(/no report: cannot open state file .*state\.duckdb: `datatrust serve` holds it; fetch the report from the exporter instead \(GET \/report\)/);
      const serve = await runCli(['serve', '--port', '0'], { cwd: p.dir, env: { LEDGER_PG_URL: 'postgres://u@127.0.0.1:1/db' } });
      expect(serve.code).toBe(3);
      expect(serve.stderr).toMatch(/cannot open state file .*state\.duckdb: .* \(is another datatrust serve using it\?\)/);
    } finally {
      await store.close();
    }
    expect(table).toContain('`cannot open state file …: … (is another datatrust serve using it?)`');
    expect(table).toContain("`no report: cannot open state file …: \\`datatrust serve\\` holds it; fetch the report from the exporter instead (GET /report)`");
  });

  it('a literal secret', async () => {
    const r = await runCli(['validate', '-c', 'secret.yml'], { cwd: p.dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/secret\.yml:3:\d+: `webhook_url` of channel `team` is a secret: write it as `\$\{VARIABLE\}`/);
    expect(table).toContain('\\`webhook_url\\` of channel \\`team\\` is a secret: write it as \\`${VARIABLE}\\`');
  });
});
