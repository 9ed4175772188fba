/**
 * Incremental scans equal full scans. Random batches are appended to a table (NULLs, duplicate
 * ids, negative amounts, rows arriving late below the watermark, rows whose watermark column is
 * NULL, now and then a deletion); after every batch the incremental scan, merging the new rows
 * into the partial aggregates of the previous scans, must report what a full scan of the same
 * table reports: counts, sums of decimals, minima and maxima exactly, means and spreads to
 * floating-point rounding. Rows it cannot vouch for (late, deleted, NULL) force a full
 * recomputation, and the result says why.
 */
import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { duckdbExec } from '../../testing/duckdbFile';
import { type Engine, loadDb, type LoadedDb, scan, type TableSpec, writeProject } from '../../testing/semanticFixture';
import type { CheckResult } from '../result';
import type { IncrementalState } from './state';
import { xorshift32 } from '../../testing/seededRandom';

const CHECKS: unknown[] = [
  'row_count > 0',
  'missing_count(amount) >= 0',
  'missing_percent(status) >= 0',
  { 'invalid_count(status) >= 0': { 'valid values': ['new', 'paid', 'shipped'] } },
  { 'invalid_count(code) >= 0': { 'valid regex': '^[A-Z]+[0-9]+$' } },
  { 'valid_percent(code) >= 0': { 'valid length': 4 } },
  'avg(amount) > -1000000',
  'sum(amount) > -1000000',
  'min(amount) > -1000000',
  'max(amount) > -1000000',
  'min(id) >= 0',
  'stddev(score) >= 0',
  'variance(amount) >= 0',
  'stddev_pop(amount) >= 0',
  'var_pop(score) >= 0',
  'avg(score) > -1000000',
  'sum(score) > -1000000',
  'freshness(created_at) < 100000d',
  'avg_length(code) >= 0',
  'min_length(code) >= 0',
  'max_length(code) >= 0',
  { 'failed rows': { name: 'negative', 'fail condition': 'amount < 0' } },
  { 'row_count >= 0': { filter: "status = 'paid'" } },
  { 'sum(amount) > -1000000': { filter: "status = 'paid'" } },
  { 'stddev(amount) >= 0': { filter: "status = 'paid'" } },
  // Opted into a sketch: within 1% of the exact value on incremental scans, exact on full ones.
  { 'percentile(amount, 0.8) > -1000000': { name: 'sketched p80', incremental: 'sketch' } },
  // Not mergeable: these read every row on every scan, and must agree too.
  'percentile(amount, 0.9) > -1000000',
  'duplicate_count(id) >= 0',
  { 'paid > -1': { 'paid expression': "SUM(CASE WHEN status = 'paid' THEN 1 ELSE 0 END)" } },
  // Opted into the exact key index: equal to the full duplicates query on every scan. Keys of
  // integers, text with NULLs, decimals, doubles and timestamps, alone and together, filtered.
  { 'duplicate_count(id) >= 0': { name: 'indexed ids', incremental: 'key_index' } },
  { 'duplicate_count(status, code) >= 0': { name: 'indexed pairs', incremental: 'key_index' } },
  { 'duplicate_percent(id, amount) >= 0': { name: 'indexed paid amounts %', incremental: 'key_index', filter: "status = 'paid'" } },
  { 'duplicate_count(score, created_at) >= 0': { name: 'indexed score times', incremental: 'key_index' } },
  { 'duplicate_percent(code) >= 0': { name: 'indexed codes %', incremental: 'key_index' } },
];
/** Checks opted into an incremental method, by name: kept as a sketch or in a key index. */
const SKETCHED = 'sketched p80';
const INDEXED = /^indexed /;
/** The same checks for a dataset that is not incremental (where `incremental:` on a check is an error). */
const EXACT = CHECKS.map((c) => {
  if (typeof c !== 'object' || c === null) return c;
  const [[line, config]] = Object.entries(c as Record<string, Record<string, unknown>>) as [[string, Record<string, unknown>]];
  const { incremental: _opted, ...rest } = config;
  return { [line]: rest };
});
/** Metrics kept as floating point: equal to a full scan up to rounding. */
const FLOATING = /^(avg|stddev|variance|var_pop|stddev_pop|sum\(score)/;

const START = Date.parse('2024-01-01T00:00:00Z');
const ts = (ms: number) => `TIMESTAMP '${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'`;
const str = (v: string | null) => (v === null ? 'NULL' : `'${v}'`);

interface Batch {
  rows: string[];
  late: boolean;
  nullWatermark: boolean;
}

/** A batch of rows: ids may repeat, amounts may be negative or NULL; sometimes late or without a time. */
function makeBatch(r: () => number, state: { nextId: number; clock: number }, lateAllowed: boolean): Batch {
  const n = Math.floor(r() * 40);
  const late = lateAllowed && r() < 0.15;
  const nullWatermark = r() < 0.08;
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = r() < 0.1 ? Math.max(1, state.nextId - 1 - Math.floor(r() * 20)) : state.nextId++;
    state.clock += Math.floor(r() * 5000) + 1;
    let at = ts(state.clock);
    if (late && i === 0) at = ts(state.clock - 10 * 86400_000);
    if (nullWatermark && i === 0) at = 'NULL';
    const amount = r() < 0.1 ? 'NULL' : ((Math.floor(r() * 200_000) - 20_000) / 100).toFixed(2);
    const score = r() < 0.1 ? 'NULL' : String(Math.round(r() * 1e6) / 1e3 - 200);
    const status = [null, 'new', 'paid', 'shipped', 'lost'][Math.floor(r() * 5)]!;
    const code = [null, 'AB12', 'X', 'ABC123', 'QWER', 'Z9', ''][Math.floor(r() * 7)]!;
    rows.push(`(${id}, ${at}, ${amount}, ${score}, ${str(status)}, ${str(code)})`);
  }
  return { rows, late: late && n > 0, nullWatermark: nullWatermark && n > 0 };
}

const TABLE: TableSpec = {
  name: 'events',
  columns: [
    { name: 'id', type: 'INTEGER' },
    { name: 'created_at', type: 'TIMESTAMP' },
    { name: 'amount', type: 'DECIMAL(12,2)' },
    { name: 'score', type: 'DOUBLE PRECISION' },
    { name: 'status', type: 'VARCHAR' },
    { name: 'code', type: 'VARCHAR' },
  ],
  rows: [],
};

function compare(incremental: CheckResult[], full: CheckResult[], batch: number): void {
  expect(incremental.map((c) => c.name)).toEqual(full.map((c) => c.name));
  incremental.forEach((c, i) => {
    const f = full[i]!;
    const what = `batch ${batch}: ${c.name}`;
    expect([what, c.error]).toEqual([what, f.error]);
    if (c.approximation) {
      expect(c.approximation).toEqual({ method: 'ddsketch', relativeError: 0.01 });
      expect([what, Math.abs(c.value! - f.value!) <= 0.01 * Math.abs(f.value!) + 1e-9]).toEqual([what, true]);
    } else if (c.value !== null && f.value !== null && FLOATING.test(c.name)) {
      expect([what, Math.abs(c.value - f.value) <= 1e-9 * Math.max(1, Math.abs(f.value))]).toEqual([what, true]);
    } else {
      expect([what, c.value]).toEqual([what, f.value]);
    }
    expect([what, c.outcome]).toEqual([what, f.outcome]);
  });
}

type Target = Engine | 'parquet';

/** Where the rows live and how a batch lands there: INSERT/DELETE, or new Parquet files and rewrites. */
interface Store {
  dataset: Record<string, unknown>;
  append(rows: string[], batch: number): Promise<void>;
  /** Removes every row with id 3 (rewriting the files that hold one). */
  deleteId3(): Promise<void>;
  /** Moves one old row's time (an in-place update of the watermark column). */
  moveOldRow(): Promise<void>;
}

const COLUMNS = 'id, created_at, amount, score, status, code';
const CAST = 'CAST(id AS INTEGER) AS id, CAST(created_at AS TIMESTAMP) AS created_at, CAST(amount AS DECIMAL(12,2)) AS amount, CAST(score AS DOUBLE) AS score, CAST(status AS VARCHAR) AS status, CAST(code AS VARCHAR) AS code';

function storeFor(target: Target, db: LoadedDb): Store {
  if (target === 'parquet') {
    const dir = db.path('events');
    mkdirSync(dir, { recursive: true });
    const file = (b: number) => join(dir, `batch_${String(b).padStart(3, '0')}.parquet`);
    const rewrite = async (where: string) => {
      for (const f of readdirSync(dir).map((n) => join(dir, n))) {
        await duckdbExec(':memory:', [`COPY (SELECT * FROM read_parquet('${f}') WHERE ${where}) TO '${f}.tmp' (FORMAT parquet)`]);
        renameSync(`${f}.tmp`, f);
      }
    };
    return {
      dataset: { file: 'events/*.parquet' },
      append: async (rows, b) => duckdbExec(':memory:', [`COPY (SELECT ${CAST} FROM (VALUES ${rows.join(', ')}) AS v(${COLUMNS})) TO '${file(b)}' (FORMAT parquet, ROW_GROUP_SIZE 16)`]),
      deleteId3: () => rewrite('id <> 3'),
      moveOldRow: async () => {
        const f = join(dir, readdirSync(dir).sort()[0]!);
        await duckdbExec(':memory:', [`COPY (SELECT id, CASE WHEN id = 2 THEN created_at - INTERVAL 1 HOUR ELSE created_at END AS created_at, amount, score, status, code FROM read_parquet('${f}')) TO '${f}.tmp' (FORMAT parquet)`]);
        renameSync(`${f}.tmp`, f);
      },
    };
  }
  const exec = async (sql: string) => (target === 'duckdb' ? duckdbExec(db.path('fixture.duckdb'), [sql.replace(/\{t\}/g, 'main.events')]) : void (await db.exec(sql.replace(/\{t\}/g, `${db.schema}.events`))));
  return {
    dataset: { table: 'events' },
    append: (rows) => exec(`INSERT INTO {t} VALUES ${rows.join(', ')}`),
    deleteId3: () => exec('DELETE FROM {t} WHERE id = 3'),
    moveOldRow: () => exec(`UPDATE {t} SET created_at = created_at - INTERVAL '1 hour' WHERE id = 2`),
  };
}

describe.each(['duckdb', 'postgres', 'parquet'] as Target[])('incremental scans on %s', (target) => {
  let db: LoadedDb;
  const engine: Engine = target === 'postgres' ? 'postgres' : 'duckdb';

  beforeAll(async () => {
    db = await loadDb(engine, [TABLE]);
    // A folder of Parquet files must hold one before anything can read it.
    if (target === 'parquet') await storeFor(target, db).append([`(0, ${ts(START)}, 1.00, 1.0, 'new', 'AB12')`], 999);
  });
  afterAll(() => db?.cleanup());

  it('equal a full scan after every random batch; late, deleted, moved and NULL-time rows force a full recomputation', async () => {
    const store = storeFor(target, db);
    const project = writeProject(db, {
      datasets: { events: { ...store.dataset, incremental: { column: 'created_at', full_every: 1000 } }, events_full: { ...store.dataset } },
      checks: { events: CHECKS, events_full: EXACT },
    });
    const r = xorshift32(target === 'duckdb' ? 7 : target === 'postgres' ? 11 : 13);
    const clock = { nextId: 1, clock: START };
    let state: IncrementalState | undefined;
    const modes: string[] = [];
    let last: CheckResult[] = [];
    for (let b = 0; b < 24; b++) {
      const batch = makeBatch(r, clock, b > 1);
      if (batch.rows.length) await store.append(batch.rows, b);
      // Changes below the watermark that keep or balance the counts: a deletion, a moved time.
      const changed = b === 9 || b === 15;
      if (b === 9) await store.deleteId3();
      if (b === 15) await store.moveOldRow();
      const current = state;
      const s = await scan(project, { samples: false, incremental: { incrementalState: async () => current } });
      const run = s.report.datasets.find((d) => d.dataset === 'events')!;
      compare(s.checks('events'), s.checks('events_full'), b);
      last = s.checks('events');
      const outcome = run.incremental!;
      modes.push(outcome.mode);
      if (outcome.mode === 'full') expect(s.checks('events').find((c) => c.name === 'sketched p80')!.approximation).toBeUndefined();
      if (b === 0) expect(outcome).toMatchObject({ mode: 'full', reason: 'no stored partial aggregates yet' });
      else if (batch.late || batch.nullWatermark || changed) expect([b, outcome.mode, outcome.reason]).toEqual([b, 'full', expect.stringMatching(/late|NULL|deleted|rewritten|changed/)]);
      else {
        expect([b, outcome.mode]).toEqual([b, 'incremental']);
        expect(outcome.rowsRead).toBe(batch.rows.length);
        // Merged values say so; the non-mergeable ones read every row as always.
        expect(s.checks('events').find((c) => c.name === 'sum(amount) > -1000000')!.source).toBe('incremental');
        expect(s.checks('events').find((c) => c.name.startsWith('percentile'))!.source).toBeUndefined();
        expect(s.checks('events').find((c) => c.name === SKETCHED)).toMatchObject({ source: 'incremental', approximation: { method: 'ddsketch' } });
        // Key-indexed duplicates come from the index, and no duplicates query reads every row.
        for (const c of s.checks('events').filter((x) => INDEXED.test(x.name))) expect([b, c.name, c.source]).toEqual([b, c.name, 'incremental']);
        expect(s.queries.filter((q) => q.dataset === 'events' && q.kind === 'duplicates' && !/"created_at" (> CAST\(|IS NOT NULL)/.test(q.sql))).toHaveLength(1);
        // Only rows past the watermark (every non-NULL one while there was none yet).
        const read = s.queries.filter((q) => q.dataset === 'events' && /\("created_at" (> CAST\(|IS NOT NULL)/.test(q.sql));
        expect(read.length).toBeGreaterThan(0);
        // Parquet: the files already read hold no row past the watermark; only the batch's file is read.
        const aggregates = read.filter((x) => x.kind === 'aggregate');
        // …by two statements over different columns, at once (one row group is one thread's work).
        if (target === 'parquet') expect(aggregates.filter((q) => q.sql.startsWith('SELECT\n')).length).toBe(2);
        if (target === 'parquet') for (const q of aggregates) expect([b, q.sql]).toEqual([b, expect.stringMatching(new RegExp(`read_parquet\\(\\['[^']*batch_${String(b).padStart(3, '0')}\\.parquet'\\]\\)`))]);
      }
      state = (run as { incrementalState?: IncrementalState }).incrementalState;
      expect(state).toBeDefined();
    }
    // The random walk went through both kinds of scan, and the key indexes counted real duplicates.
    expect(last.filter((c) => INDEXED.test(c.name)).map((c) => [c.name, (c.value ?? 0) > 0])).toEqual([
      ['indexed ids', true],
      ['indexed pairs', true],
      ['indexed paid amounts %', expect.any(Boolean)],
      ['indexed score times', false],
      ['indexed codes %', true],
    ]);
    expect(modes.filter((m) => m === 'incremental').length).toBeGreaterThan(8);
    expect(modes.filter((m) => m === 'full').length).toBeGreaterThan(3);
  }, 60_000);

  it('a full recomputation every `full_every` scans, and on request', async () => {
    const project = writeProject(db, { datasets: { events: { ...storeFor(target, db).dataset, incremental: { column: 'created_at', full_every: 3 } } }, checks: { events: ['row_count > 0'] } });
    let state: IncrementalState | undefined;
    const modes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const current = state;
      const s = await scan(project, { samples: false, incremental: { incrementalState: async () => current }, fullScan: i === 4 });
      const run = s.report.datasets[0]!;
      modes.push(`${run.incremental!.mode}${run.incremental!.reason ? `: ${run.incremental!.reason}` : ''}`);
      state = (run as { incrementalState?: IncrementalState }).incrementalState;
    }
    expect(modes).toEqual([
      'full: no stored partial aggregates yet',
      'incremental',
      'incremental',
      'full: every 3 scans are full (incremental.full_every)',
      'full: a full scan was requested',
      'incremental',
    ]);
  });

  it('a changed check set, or a column that cannot be a watermark, never reuses partials', async () => {
    const where = storeFor(target, db).dataset;
    const one = writeProject(db, { datasets: { events: { ...where, incremental: { column: 'created_at' } } }, checks: { events: ['row_count > 0'] } });
    const first = await scan(one, { samples: false });
    const state = (first.report.datasets[0] as { incrementalState?: IncrementalState }).incrementalState;
    const two = writeProject(db, { datasets: { events: { ...where, incremental: { column: 'created_at' } } }, checks: { events: ['row_count > 0', 'avg(amount) > 0'] } });
    const second = await scan(two, { samples: false, incremental: { incrementalState: async () => state } });
    expect(second.report.datasets[0]!.incremental).toMatchObject({ mode: 'full', reason: 'the checks, filter or column changed' });
    const text = writeProject(db, { datasets: { events: { ...where, incremental: { column: 'status' } } }, checks: { events: ['row_count > 0'] } });
    const notIncremental = writeProject(db, { datasets: { events: { ...where } }, checks: { events: [{ 'percentile(amount, 0.5) > 0': { incremental: 'sketch' } }] } });
    expect((await scan(notIncremental, { samples: false })).checks('events')[0]).toMatchObject({ outcome: 'error', error: expect.stringMatching(/needs `incremental:` on dataset `events`/) });
    const bad = await scan(text, { samples: false });
    expect(bad.checks('events')[0]).toMatchObject({ outcome: 'error', error: expect.stringMatching(/incremental column `status` must be a number, date or timestamp/) });
  });
});
