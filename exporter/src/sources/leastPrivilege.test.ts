import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadProject } from '../config/loadProject';
import type { PostgresSourceConfig } from '../config/types';
import { runScan } from '../scan/runScan';
import { requirePostgres } from '../testing/requirePostgres';
import { tempProject } from '../testing/tempDir';
import { PostgresSource } from './postgresSource';
import { privilegeWarnings } from './privileges';

/**
 * With the role docs/deployment.md documents (CONNECT, USAGE on the schema, SELECT on the
 * checked tables), check SQL can read the checked tables and nothing else; a superuser source
 * is warned about; session state a check leaves behind does not outlive its session.
 */
describe('least privilege on PostgreSQL', () => {
  const suffix = randomBytes(4).toString('hex');
  const schema = `lp_${suffix}`;
  const role = `datatrust_${suffix}`;
  let admin: Client;
  let superUrl: string;
  let readerUrl: string;

  beforeAll(async () => {
    superUrl = requirePostgres();
    admin = new Client({ connectionString: superUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.payments AS SELECT g AS id, g * 10 AS amount FROM generate_series(1, 5) g`);
    await admin.query(`CREATE TABLE ${schema}.secrets AS SELECT 'pin 1234' AS note`);
    // The documented role, word for word.
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`GRANT CONNECT ON DATABASE postgres TO ${role}`);
    await admin.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
    await admin.query(`GRANT SELECT ON ${schema}.payments TO ${role}`);
    const url = new URL(superUrl);
    url.username = role;
    readerUrl = url.toString();
  });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.query(`REVOKE CONNECT ON DATABASE postgres FROM ${role}`);
    await admin.query(`DROP ROLE ${role}`);
    await admin.end();
  });

  it('lets check SQL read the checked table and refuses other tables and server files', async () => {
    const metric = (name: string, sql: string) => [`  - ${name}:`, `      ${name} query: ${sql}`, '      fail: when < 0'];
    const p = tempProject({
      'datatrust.yml': [`sources: { ledger: { type: postgres, url: "${readerUrl}" } }`, `datasets: { payments: { table: ${schema}.payments } }`, 'checks: [checks.yml]'].join('\n'),
      'checks.yml': [
        'checks for payments:',
        '  - row_count = 5',
        ...metric('other_table', `SELECT count(*) FROM ${schema}.secrets`),
        ...metric('server_file', "SELECT length(pg_read_file('/etc/hostname'))"),
        ...metric('server_dir', "SELECT count(*) FROM pg_ls_dir('.')"),
        ...metric('large_object', "SELECT lo_import('/etc/hostname')"),
        '',
      ].join('\n'),
    });
    try {
      const report = await runScan(loadProject(p.path('datatrust.yml')), { samples: false });
      const [count, ...escapes] = report.datasets[0]!.checks;
      expect(count!.outcome).toBe('pass');
      expect(escapes.map((c) => [c.name, c.outcome])).toEqual([
        ['other_table', 'error'],
        ['server_file', 'error'],
        ['server_dir', 'error'],
        ['large_object', 'error'],
      ]);
      for (const c of escapes) expect(c.error).toMatch(/permission denied|read-only transaction/);
    } finally {
      p.cleanup();
    }
  });

  it('warns about a source that connects as a superuser, and not about the documented role', async () => {
    const projects: { cleanup(): void }[] = [];
    const config = (url: string) => {
      const p = tempProject({ 'datatrust.yml': `sources: { ledger: { type: postgres, url: "${url}" } }\n` });
      projects.push(p);
      return loadProject(p.path('datatrust.yml')).config;
    };
    expect(await privilegeWarnings(config(superUrl))).toEqual([
      'source `ledger` connects as `postgres`, a superuser: check SQL could read every table and the server\'s files; give it a role with SELECT on the checked tables only (docs/deployment.md, "PostgreSQL role")',
    ]);
    expect(await privilegeWarnings(config(readerUrl))).toEqual([]);
    for (const p of projects) p.cleanup();
  });

  it('resets the session before a pooled connection is reused: an advisory lock taken by a check is released', async () => {
    const key = Number.parseInt(suffix, 16) % 1_000_000;
    const config: PostgresSourceConfig = { name: 'ledger', type: 'postgres', url: readerUrl, isDefault: true, poolSize: 1, location: { file: 'x', line: 1, col: 1 } };
    const source = new PostgresSource(config);
    try {
      const first = await source.open();
      await first.query(`SELECT count(*) FROM (SELECT pg_advisory_lock(${key})) x`, { kind: 'user', timeoutMs: 5000 });
      await first.close();
      // The pool (one connection) still holds the connection the check ran on.
      expect((await admin.query(`SELECT pg_try_advisory_lock(${key}) AS got`)).rows[0]).toEqual({ got: true });
      await admin.query(`SELECT pg_advisory_unlock(${key})`);
      const second = await source.open();
      const r = await second.query("SELECT current_setting('default_transaction_read_only') AS ro, pg_backend_pid() AS pid", { kind: 'user', timeoutMs: 5000 });
      expect(r.rows[0]![0]).toBe('on');
      await second.close();
    } finally {
      await source.close();
    }
  });
});
