/**
 * Forked PostgreSQL sessions read the very snapshot of the session they came from, so queries
 * of one dataset scan may run at once and still be one consistent read; and forking never
 * waits for a connection: with the pool in use it returns fewer sessions, or none.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { requirePostgres } from '../testing/requirePostgres';
import { PostgresSource } from './postgresSource';
import type { SourceSession } from './source';

const location = { file: 'datatrust.yml', line: 1, col: 1 };

describe('PostgreSQL sessions forked for concurrent queries', () => {
  const url = requirePostgres();
  const schema = `fork_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: url });
  const count = async (s: SourceSession) => Number((await s.query(`SELECT count(*) FROM ${schema}.t`, { kind: 'aggregate', timeoutMs: 10_000 })).rows[0]![0]);

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t AS SELECT g AS id FROM generate_series(1, 3) g`);
  });
  afterAll(async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  it('share the snapshot: a row committed after the fork is seen by none of them', async () => {
    const source = new PostgresSource({ name: 'pg', type: 'postgres', url, isDefault: true, poolSize: 4, location });
    try {
      const main = await source.open();
      const forks = await main.fork!(5);
      // Four connections: the scan's own, two forks, and one kept free for anyone else.
      expect(forks).toHaveLength(2);
      await admin.query(`INSERT INTO ${schema}.t VALUES (4)`);
      expect(await Promise.all([main, ...forks].map(count))).toEqual([3, 3, 3]);
      await Promise.all([main, ...forks].map((s) => s.close()));
      const fresh = await source.open();
      expect(await count(fresh)).toBe(4);
      await fresh.close();
    } finally {
      await source.close();
      await admin.query(`DELETE FROM ${schema}.t WHERE id = 4`);
    }
  });

  it('never waits for a connection and always leaves one free: with the pool in use there is nothing to fork', async () => {
    const source = new PostgresSource({ name: 'pg', type: 'postgres', url, isDefault: true, poolSize: 3, location });
    try {
      const a = await source.open();
      const b = await source.open();
      const c = await source.open();
      const started = Date.now();
      expect(await a.fork!(3)).toEqual([]);
      expect(Date.now() - started).toBeLessThan(2000);
      // The session still works after the attempt.
      expect(await count(a)).toBe(3);
      // Two connections idle in a full pool: one fork, one left free, none queueing.
      await b.close();
      await c.close();
      const again = Date.now();
      const forks = await a.fork!(3);
      expect(forks).toHaveLength(1);
      expect(Date.now() - again).toBeLessThan(2000);
      // And the connection left free is there for another session at once.
      const other = await source.open();
      await Promise.all([a.close(), other.close(), ...forks.map((f) => f.close())]);
    } finally {
      await source.close();
    }
  });
});
