/**
 * The key index of `incremental: key_index` duplicates never disagrees with the committed state:
 * a batch merged into the file by a scan whose results were never committed is taken back by the
 * next scan; a missing, corrupt or foreign file (another epoch) makes the scan read every row,
 * say why, and rebuild it. Keys whose values print differently but group together (numeric
 * scales, -0, padded chars, time zones) count as the source's GROUP BY counts them.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Project } from '../../config/loadProject';
import { duckdbExec } from '../../testing/duckdbFile';
import { type Engine, ENGINES, loadDb, type LoadedDb, scan, type TableSpec, writeProject } from '../../testing/semanticFixture';
import type { CheckResult } from '../result';
import { keyIndexPath } from './keyIndexFile';
import type { IncrementalState } from './state';

const TABLE: TableSpec = {
  name: 'events',
  columns: [
    { name: 'id', type: 'INTEGER' },
    { name: 'created_at', type: 'TIMESTAMP' },
    { name: 'tag', type: 'VARCHAR' },
  ],
  rows: [],
};

let clock = Date.parse('2024-01-01T00:00:00Z');
/** Rows with these ids, each a second after the previous row. */
function rows(ids: readonly number[]): string[] {
  return ids.map((id) => {
    clock += 1000;
    return `(${id}, TIMESTAMP '${new Date(clock).toISOString().replace('T', ' ').replace('Z', '')}', 't${id % 3}')`;
  });
}

const INDEXED = [{ 'duplicate_count(id) >= 0': { name: 'ids', incremental: 'key_index' } }, { 'duplicate_percent(id, tag) >= 0': { name: 'pairs %', incremental: 'key_index' } }];
const EXACT = [{ 'duplicate_count(id) >= 0': { name: 'ids' } }, { 'duplicate_percent(id, tag) >= 0': { name: 'pairs %' } }];

interface Scanned {
  mode: string;
  reason?: string;
  rowsRead: number;
  indexed: CheckResult[];
  exact: CheckResult[];
  state: IncrementalState;
}

async function scanWith(project: Project, state: IncrementalState | undefined, fullScan = false): Promise<Scanned> {
  const s = await scan(project, { samples: false, incremental: { incrementalState: async () => state }, ...(fullScan ? { fullScan } : {}) });
  const run = s.report.datasets.find((d) => d.dataset === 'events')!;
  return { ...run.incremental!, indexed: s.checks('events'), exact: s.checks('events_full'), state: run.incrementalState! };
}

/** The indexed checks report what the full duplicates query reports. */
function expectExact(s: Scanned): void {
  expect(s.indexed.map((c) => [c.name, c.value, c.error])).toEqual(s.exact.map((c) => [c.name, c.value, c.error]));
}

describe.each(ENGINES)('key index on %s', (engine: Engine) => {
  let db: LoadedDb;
  beforeAll(async () => {
    db = await loadDb(engine, [TABLE]);
  });
  afterAll(() => db?.cleanup());

  const append = async (ids: readonly number[]) => {
    const sql = `INSERT INTO ${db.schema}.events VALUES ${rows(ids).join(', ')}`;
    if (engine === 'duckdb') await duckdbExec(db.path('fixture.duckdb'), [sql]);
    else await db.exec(sql);
  };
  const project = () =>
    writeProject(db, {
      datasets: { events: { table: 'events', incremental: { column: 'created_at', full_every: 1000 } }, events_full: { table: 'events' } },
      checks: { events: INDEXED, events_full: EXACT },
    });

  it('takes back a batch merged by a scan whose results were never committed, and stays exact', async () => {
    await append([1, 2, 3, 4, 5, 5]);
    const p = project();
    const first = await scanWith(p, undefined);
    expect(first).toMatchObject({ mode: 'full' });
    expectExact(first);
    expect(first.indexed[0]!.value).toBe(1);

    // Merged into the file, then lost: its results are never committed (a crash, a refused commit).
    await append([1, 6]);
    const lost = await scanWith(p, first.state);
    expect(lost).toMatchObject({ mode: 'incremental', rowsRead: 2 });
    expect(lost.indexed[0]).toMatchObject({ value: 2, source: 'incremental' });
    expectExact(lost);

    // The next scan starts from the committed state again: the lost batch's rows are read again,
    // and counted once (without taking the batch back, id 1 would count 3 rows and not "become" a duplicate).
    await append([6, 7, 2]);
    const next = await scanWith(p, first.state);
    expect(next).toMatchObject({ mode: 'incremental', rowsRead: 5 });
    expect(next.indexed.map((c) => c.source)).toEqual(['incremental', 'incremental']);
    expectExact(next);
    expect(next.indexed[0]!.value).toBe(4);

    const after = await scanWith(p, next.state);
    expect(after).toMatchObject({ mode: 'incremental', rowsRead: 0 });
    expectExact(after);
    await append([8, 8, 7]);
    const more = await scanWith(p, after.state);
    expect(more).toMatchObject({ mode: 'incremental', rowsRead: 3 });
    expectExact(more);
    expect(more.indexed[0]!.value).toBe(6);
  });

  it('counts under the dataset `filter:` and a check `filter:` exactly as the full query does', async () => {
    const p = writeProject(db, {
      datasets: {
        events: { table: 'events', filter: "tag <> 't0'", incremental: { column: 'created_at', full_every: 1000 } },
        events_full: { table: 'events', filter: "tag <> 't0'" },
      },
      checks: {
        events: [...INDEXED, { 'duplicate_count(id) >= 0': { name: 'filtered', incremental: 'key_index', filter: 'id < 60' } }],
        events_full: [...EXACT, { 'duplicate_count(id) >= 0': { name: 'filtered', filter: 'id < 60' } }],
      },
    });
    let state = (await scanWith(p, undefined)).state;
    for (const ids of [[50, 51, 51, 53], [50, 52, 53, 54, 54, 70, 70], [60, 61, 52]]) {
      await append(ids);
      const s = await scanWith(p, state);
      expect(s.mode).toBe('incremental');
      expect(s.indexed.map((c) => [c.name, c.value])).toEqual(s.exact.map((c) => [c.name, c.value]));
      state = s.state;
    }
  });

  it('reads every row, says why and rebuilds when the file is missing, corrupt or from an uncommitted rebuild', async () => {
    await append([10, 11, 11]);
    const p = project();
    const file = keyIndexPath(p.config.state.path, 'events');
    let state = (await scanWith(p, undefined)).state;
    expect(existsSync(file)).toBe(true);

    const scanAfter = async (damage: () => void | Promise<void>, reason: RegExp) => {
      await damage();
      await append([10, 12]);
      const s = await scanWith(p, state);
      expect([s.mode, s.reason]).toEqual(['full', expect.stringMatching(reason)]);
      expectExact(s);
      // Rebuilt: the next scan merges into it again.
      await append([12]);
      const again = await scanWith(p, s.state);
      expect(again).toMatchObject({ mode: 'incremental', rowsRead: 1 });
      expectExact(again);
      state = again.state;
    };
    await scanAfter(() => writeFileSync(file, '') /* deleted and recreated empty */, /key index file .* cannot be (opened|read)/);
    await scanAfter(() => writeFileSync(file, 'not a database, not at all; '.repeat(200)), /key index file .* cannot be (opened|read)/);
    await scanAfter(() => rmSync(file), /key index file .* is missing/);
    // A forced full scan rebuilt the file (new epoch) but its results were never committed.
    await scanAfter(async () => void (await scanWith(p, state, true)), /rebuilt by a scan whose results were not committed/);
    // A state that predates the index (the check just opted in).
    await scanAfter(() => void (state = { ...state, keyIndex: undefined } as IncrementalState), /key index .* is not built yet/);
  });

  it('counts keys that print differently but group together as the source groups them', async () => {
    const tricky: TableSpec = {
      name: 'odd',
      columns: [
        { name: 'seq', type: 'INTEGER' },
        { name: 'num', type: engine === 'postgres' ? 'NUMERIC' : 'DECIMAL(10,3)' },
        { name: 'dbl', type: 'DOUBLE PRECISION' },
        { name: 'pad', type: engine === 'postgres' ? 'CHAR(4)' : 'VARCHAR' },
        { name: 'ts', type: 'TIMESTAMPTZ' },
      ],
      rows: [],
    };
    const odd = await loadDb(engine, [tricky]);
    try {
      const insert = async (values: string[]) => {
        const sql = `INSERT INTO ${odd.schema}.odd VALUES ${values.join(', ')}`;
        if (engine === 'duckdb') await duckdbExec(odd.path('fixture.duckdb'), [sql]);
        else await odd.exec(sql);
      };
      const at = (s: string) => `TIMESTAMPTZ '${s}'`;
      await insert([`(1, 1.0, 0.0, 'ab', ${at('2024-01-01 10:00:00+00')})`, `(2, 2.5, 1.5, 'cd', ${at('2024-01-01 12:00:00+02')})`]);
      const checks = (opt: boolean) =>
        ['num', 'dbl', 'pad', 'ts', 'num, dbl, pad, ts'].map((k) => ({ [`duplicate_count(${k}) >= 0`]: { name: k, ...(opt ? { incremental: 'key_index' } : {}) } }));
      const p = writeProject(odd, {
        datasets: { odd: { table: 'odd', incremental: { column: 'seq' } }, odd_full: { table: 'odd' } },
        checks: { odd: checks(true), odd_full: checks(false) },
      });
      const first = await scan(p, { samples: false, incremental: { incrementalState: async () => undefined } });
      // Equal to the first rows' keys in every column, spelled otherwise: 1.00, -0.0, 'ab  ', 10:00 UTC at +02.
      await insert([`(3, 1.00, -0.0, 'ab  ', ${at('2024-01-01 12:00:00+02')})`, `(4, 2.50, 1.5, 'cd', ${at('2024-01-01 10:00:00+00')})`]);
      const state = first.report.datasets.find((d) => d.dataset === 'odd')!.incrementalState;
      const second = await scan(p, { samples: false, incremental: { incrementalState: async () => state } });
      expect(second.report.datasets.find((d) => d.dataset === 'odd')!.incremental).toMatchObject({ mode: 'incremental', rowsRead: 2 });
      const full = second.checks('odd_full').map((c) => [c.name, c.value]);
      expect(second.checks('odd').map((c) => [c.name, c.value])).toEqual(full);
      expect(second.checks('odd').every((c) => c.source === 'incremental')).toBe(true);
      // Every row is the same instant: one key of four rows. A DuckDB VARCHAR keeps its spaces.
      expect(full.map(([, v]) => v)).toEqual(engine === 'postgres' ? [2, 2, 2, 1, 2] : [2, 2, 1, 1, 1]);
    } finally {
      await odd.cleanup();
    }
  });

  it('refuses a key column whose values have no canonical text, naming it', async () => {
    const spans = await loadDb(engine, [{ name: 'spans', columns: [{ name: 'seq', type: 'INTEGER' }, { name: 'span', type: 'INTERVAL' }], rows: [] }]);
    try {
      const sql = `INSERT INTO ${spans.schema}.spans VALUES (1, INTERVAL '1 day'), (2, INTERVAL '24 hours')`;
      if (engine === 'duckdb') await duckdbExec(spans.path('fixture.duckdb'), [sql]);
      else await spans.exec(sql);
      const p = writeProject(spans, { datasets: { spans: { table: 'spans', incremental: { column: 'seq' } } }, checks: { spans: [{ 'duplicate_count(span) = 0': { incremental: 'key_index' } }, 'row_count > 0'] } });
      const s = await scan(p, { samples: false, incremental: { incrementalState: async () => undefined } });
      expect(s.checks('spans')[0]).toMatchObject({ outcome: 'error', error: expect.stringMatching(/`incremental: key_index` keeps keys of .*; `span` is interval/i) });
      expect(s.checks('spans')[1]).toMatchObject({ outcome: 'pass' });
    } finally {
      await spans.cleanup();
    }
  });

  it('keeps no index under `datatrust scan` (no state store): the duplicates query reads every row', async () => {
    await append([20, 20]);
    const p = writeProject(db, {
      datasets: { once: { table: 'events', incremental: { column: 'created_at' } }, events_full: { table: 'events' } },
      checks: { once: INDEXED, events_full: EXACT },
    });
    const s = await scan(p, { samples: false });
    expect(s.checks('once').map((c) => [c.name, c.value, c.source])).toEqual(s.checks('events_full').map((c) => [c.name, c.value, undefined]));
    expect(existsSync(keyIndexPath(p.config.state.path, 'once'))).toBe(false);
  });

  it('leaves its checks to the full duplicates query, and says why, when the index cannot be written', async () => {
    await append([140, 140]);
    const p = writeProject(db, {
      datasets: { stuck: { table: 'events', incremental: { column: 'created_at' } }, events_full: { table: 'events' } },
      checks: { stuck: INDEXED, events_full: EXACT },
    });
    // A folder where the file should be: it can be neither written nor opened.
    mkdirSync(keyIndexPath(p.config.state.path, 'stuck'), { recursive: true });
    const first = await scan(p, { samples: false, incremental: { incrementalState: async () => undefined } });
    const run = first.report.datasets.find((d) => d.dataset === 'stuck')!;
    expect(run.incremental).toMatchObject({ mode: 'full', keyIndexError: expect.stringMatching(/EISDIR|directory/i) });
    expect(run.incrementalState!.keyIndex).toBeUndefined();
    expect(first.checks('stuck').map((c) => c.value)).toEqual(first.checks('events_full').map((c) => c.value));
    const second = await scan(p, { samples: false, incremental: { incrementalState: async () => run.incrementalState } });
    expect(second.report.datasets.find((d) => d.dataset === 'stuck')!.incremental).toMatchObject({ mode: 'full', reason: expect.stringMatching(/not built yet/) });
    expect(second.checks('stuck').map((c) => c.value)).toEqual(second.checks('events_full').map((c) => c.value));
  });

  it('takes its samples from the index: the most repeated keys with their frequency', async () => {
    await append([130, 130, 130, 131, 131]);
    const p = writeProject(db, {
      datasets: { events: { table: 'events', incremental: { column: 'created_at', full_every: 1000 } }, events_full: { table: 'events' } },
      checks: {
        events: [{ 'duplicate_count(id) = 0': { name: 'ids', incremental: 'key_index', 'samples limit': 2, filter: 'id > 100' } }],
        events_full: [{ 'duplicate_count(id) = 0': { name: 'ids', 'samples limit': 2, filter: 'id > 100' } }],
      },
    });
    const first = await scan(p, { incremental: { incrementalState: async () => undefined } });
    await append([131, 131, 131]);
    const state = first.report.datasets.find((d) => d.dataset === 'events')!.incrementalState;
    const s = await scan(p, { incremental: { incrementalState: async () => state } });
    const [indexed] = s.checks('events');
    const [exact] = s.checks('events_full');
    expect(indexed).toMatchObject({ outcome: 'fail', value: exact!.value, source: 'incremental' });
    // Keys as the index keeps them (canonical text).
    expect(indexed!.samples).toEqual({ columns: ['id', 'frequency'], rows: [['131', 5], ['130', 3]] });
    expect(exact!.samples!.rows.map((r) => r.map(Number))).toEqual([
      [131, 5],
      [130, 3],
    ]);
  });
});
