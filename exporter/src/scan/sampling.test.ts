/**
 * `sample: 10%` on a dataset reads a TABLESAMPLE of it: the row count reflects roughly a tenth
 * of a 200k-row table, and every query of the dataset (not only the aggregate) samples.
 */
import { ENGINES, type Engine, loadDb, type LoadedDb, scan, writeProject } from '../testing/semanticFixture';

const ROWS = 200_000;
const BIG_TABLE: Record<Engine, string> = {
  duckdb: `CREATE TABLE {schema}.big AS SELECT range::INTEGER AS id, range % 1000 AS bucket FROM range(${ROWS})`,
  postgres: `CREATE TABLE {schema}.big AS SELECT g AS id, g % 1000 AS bucket FROM generate_series(0, ${ROWS - 1}) g`,
};

describe.each(ENGINES)('dataset sampling on %s', (engine) => {
  let db: LoadedDb;

  beforeAll(async () => {
    db = await loadDb(engine, [], [BIG_TABLE[engine]]);
  });
  afterAll(() => db?.cleanup());

  it('row_count reflects a ~10% sample and the SQL says TABLESAMPLE', async () => {
    const s = await scan(
      writeProject(db, {
        datasets: { big: { table: 'big', sample: '10%' } },
        checks: { big: ['row_count > 0', 'duplicate_count(id) = 0'] },
      }),
      { samples: false },
    );
    const [rowCount, duplicates] = s.checks('big');
    expect(rowCount!.outcome).toBe('pass');
    // Block/page sampling is lumpy; generous bounds around 10% still prove it is not the full table.
    expect(rowCount!.value).toBeGreaterThan(ROWS * 0.05);
    expect(rowCount!.value).toBeLessThan(ROWS * 0.2);
    expect(duplicates).toMatchObject({ outcome: 'pass', value: 0 });
    // Statistics queries read the catalog, not the table.
    const queries = s.queries.filter((q) => q.dataset === 'big' && q.kind !== 'metadata');
    expect(queries.map((q) => q.kind).sort()).toEqual(['aggregate', 'duplicates']);
    for (const q of queries) expect(q.sql).toMatch(/TABLESAMPLE/);
  });

  it('reference checks on a sampled dataset alias the relation before TABLESAMPLE', async () => {
    const s = await scan(
      writeProject(db, {
        datasets: { big: { table: 'big', sample: '10%' } },
        checks: { big: ['values in (bucket) must exist in big (bucket)', 'values in (bucket) must not exist in big (id)'] },
      }),
      { samples: true },
    );
    const [exists, notExists] = s.checks('big');
    expect(exists).toMatchObject({ outcome: 'pass', value: 0 });
    // Every bucket (0-999) is also an id of the full table: the check fails, and its samples query works too.
    expect(notExists!.outcome).toBe('fail');
    expect(notExists!.samples?.rows.length).toBeGreaterThan(0);
    for (const q of s.queries.filter((x) => x.kind === 'reference')) expect(q.sql).toMatch(/ AS s TABLESAMPLE /);
  });

  it('without `sample:` the whole table is read', async () => {
    const s = await scan(writeProject(db, { datasets: { big: { table: 'big' } }, checks: { big: [`row_count = ${ROWS}`] } }), { samples: false });
    expect(s.checks('big')[0]).toMatchObject({ outcome: 'pass', value: ROWS });
    expect(s.queries[0]!.sql).not.toMatch(/TABLESAMPLE/);
  });
});
