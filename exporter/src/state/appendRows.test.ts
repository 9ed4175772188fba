import { DuckDBInstance } from '@duckdb/node-api';
import { appendRows } from './appendRows';

async function connection() {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run('CREATE TABLE t (s VARCHAR, b BIGINT, i INTEGER, d DOUBLE)');
  const rows = async () => (await conn.runAndReadAll('SELECT * FROM t ORDER BY s')).getRowObjectsJS();
  return { conn, rows };
}

describe('appendRows', () => {
  it('converts each value to its column type, nulls included', async () => {
    const { conn, rows } = await connection();
    await appendRows(conn, 't', [['a', 1732960000123, 3, 0.5], ['b', null, null, null]], false);
    expect(await rows()).toEqual([{ s: 'a', b: 1732960000123n, i: 3, d: 0.5 }, { s: 'b', b: null, i: null, d: null }]);
  });

  it('appends inside the open transaction: a rollback drops the rows', async () => {
    const { conn, rows } = await connection();
    await conn.run('BEGIN TRANSACTION');
    await appendRows(conn, 't', [['a', 1, 1, 1]], false);
    await conn.run('ROLLBACK');
    expect(await rows()).toEqual([]);
  });

  it('refuses a row of the wrong width and flushes none of the batch', async () => {
    const { conn, rows } = await connection();
    await expect(appendRows(conn, 't', [['a', 1, 1, 1], ['b', 2]], false)).rejects.toThrow('append to t: a row has 2 values for 4 columns');
    expect(await rows()).toEqual([]);
  });

  it('appends to a temp table when asked', async () => {
    const { conn } = await connection();
    await conn.run('CREATE TEMP TABLE k (key VARCHAR)');
    await appendRows(conn, 'k', [['x'], ['y']], true);
    expect((await conn.runAndReadAll('SELECT count(*)::INTEGER AS n FROM temp.k')).getRowObjectsJS()).toEqual([{ n: 2 }]);
  });
});
