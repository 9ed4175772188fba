/**
 * The profile SQL on both engines: DuckDB and a real PostgreSQL profile the same fixture to the
 * same figures, and the checks suggested from either pass on the data they came from.
 */
import { writeFileSync } from 'node:fs';
import { loadProject } from '../config/loadProject';
import { SourceRegistry } from '../scan/sourceRegistry';
import { ENGINES, type Engine, loadDb, type LoadedDb, makeFixture, NOW, scan, writeProject } from '../testing/semanticFixture';
import { profileDataset } from './profileDataset';
import type { DatasetProfile } from './profileModel';
import { suggestChecks } from './suggestChecks';
import { writeSodaCl } from './writeSodaCl';

const fixture = makeFixture();
const dbs = new Map<Engine, LoadedDb>();
const profiles = new Map<Engine, DatasetProfile>();

beforeAll(async () => {
  for (const engine of ENGINES) {
    const db = await loadDb(engine, fixture.tables);
    dbs.set(engine, db);
    const project = writeProject(db, { checks: { items: ['row_count > 0'] }, name: 'base' });
    const sources = new SourceRegistry(project.config);
    try {
      profiles.set(engine, await profileDataset(project.config, sources, 'items', { now: () => NOW }));
    } finally {
      await sources.closeAll();
    }
  }
}, 60_000);
afterAll(async () => {
  for (const db of dbs.values()) await db.cleanup();
});

/** What must agree across engines: everything but the engine's type names and float noise. */
function comparable(p: DatasetProfile) {
  return {
    rowCount: p.rowCount,
    columns: p.columns.map(({ type: _type, mean, min, max, topValues, ...rest }) => ({
      ...rest,
      // Numbers as text are the engine's spelling (DuckDB writes DOUBLE 28 as `28.0`): compare the numbers.
      ...(topValues ? { topValues: topValues.map((t) => ({ ...t, value: rest.category === 'numeric' ? Number(t.value) : t.value })) } : {}),
      ...(mean !== undefined ? { mean: Number(mean.toPrecision(9)) } : {}),
      // Timestamps as text: DuckDB and PostgreSQL print fractions and zones alike for these columns.
      ...(min !== undefined ? { min: typeof min === 'number' ? min : String(min) } : {}),
      ...(max !== undefined ? { max: typeof max === 'number' ? max : String(max) } : {}),
    })),
  };
}

describe('profiling on DuckDB and PostgreSQL', () => {
  it('gives the same figures on both engines', () => {
    expect(comparable(profiles.get('postgres')!)).toEqual(comparable(profiles.get('duckdb')!));
  });

  it.each(ENGINES)('on %s: counts NULLs, distinct values, ranges, lengths, formats and the newest timestamp', (engine) => {
    const p = profiles.get(engine)!;
    const col = (name: string) => p.columns.find((c) => c.name === name)!;
    const items = fixture.items;
    expect(p.rowCount).toBe(items.length);
    expect(col('customer_id').nullCount).toBe(items.filter((i) => i.customer_id === null).length);
    expect(col('country').distinct).toEqual({ count: new Set(items.map((i) => i.country).filter((v) => v !== null)).size, approximate: false });
    const amounts = items.map((i) => i.amount).filter((v): v is number => v !== null);
    expect(col('amount')).toMatchObject({ min: Math.min(...amounts), max: Math.max(...amounts) });
    const codes = items.map((i) => i.code).filter((v): v is string => v !== null);
    expect(col('code').length).toEqual({ min: Math.min(...codes.map((c) => c.length)), max: Math.max(...codes.map((c) => c.length)) });
    // ~8% of the uids are planted malformed: below the 95% a format needs to be claimed.
    expect(col('uid').format).toBeUndefined();
    // The freshest updated_at is planted at a known age before NOW.
    expect(col('updated_at').newestAgeSeconds).toBe(2 * 3600 + 30 * 60);
    expect(p.queries).toBeLessThanOrEqual(4);
  });

  it.each(ENGINES)('on %s: the suggested checks validate and pass on the data they came from', async (engine) => {
    const db = dbs.get(engine)!;
    writeFileSync(db.path('suggested.yml'), writeSodaCl([suggestChecks(profiles.get(engine)!)]));
    const project = loadProject(db.path('base.yml'), { checkFiles: [db.path('suggested.yml')] });
    expect(project.diagnostics).toEqual([]);
    const s = await scan(project, { samples: false });
    const checks = s.checks('items');
    expect(checks.length).toBeGreaterThan(20);
    expect(checks.filter((c) => c.outcome !== 'pass').map((c) => `${c.definition}: ${c.outcome} ${String(c.value)} ${c.error ?? ''}`)).toEqual([]);
  });
});
