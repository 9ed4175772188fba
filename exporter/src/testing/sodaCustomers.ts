import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadProject, type Project } from '../config/loadProject';
import type { CheckResult } from '../scan/result';
import { runScan, type ScanOptions, type ScanRun } from '../scan/runScan';
import { loadDb, type Engine, type LoadedDb, type SqlValue, type TableSpec } from './semanticFixture';

/**
 * The tables Soda Core v3.5's own data-source tests scan (soda/core/tests/helpers/
 * common_test_tables.py: `customers`, `orders`, `raw_customers`), row for row, so the numbers
 * its tests assert (`invalid_count(email) = 2`, `avg(cst_size_txt) between 1.12 and 1.13`…) are
 * the expected values here too. Lower-case names; everything else as Soda has it.
 */
const ts = (day: number, h: number, m: number, s: number): SqlValue => ({ timestamp: new Date(Date.UTC(2020, 5, day, h, m, s)) });
const tz = (day: number, h: number, m: number, s: number): SqlValue => `2020-06-${day} 0${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}+00`;
const d = (day: number): SqlValue => ({ date: `2020-06-${day}` });

const CUSTOMER_COLUMNS = [
  { name: 'id', type: 'VARCHAR' },
  { name: 'cst_size', type: 'DOUBLE PRECISION' },
  { name: 'cst_size_txt', type: 'VARCHAR' },
  { name: 'distance', type: 'INTEGER' },
  { name: 'pct', type: 'VARCHAR' },
  { name: 'cat', type: 'VARCHAR' },
  { name: 'country', type: 'VARCHAR' },
  { name: 'zip', type: 'VARCHAR' },
  { name: 'email', type: 'VARCHAR' },
  { name: 'date_updated', type: 'DATE' },
  { name: 'ts', type: 'TIMESTAMP' },
  { name: 'ts_with_tz', type: 'TIMESTAMPTZ' },
];

// prettier-ignore
const CUSTOMER_ROWS: SqlValue[][] = [
  ['ID1', 1, '1', 0, '- 28,42 %', 'HIGH', 'BE', '2360', 'john.doe@example.com', d(23), ts(23, 0, 0, 10), tz(23, 0, 0, 10)],
  ['ID2', 0.5, '.5', -999, '+22,75 %', 'HIGH', 'BE', '2361', 'JOE.SMOE@EXAMPLE.COM', d(23), ts(23, 0, 1, 10), tz(23, 0, 1, 10)],
  ['ID3', -1.2, '-1.2', 5, '.92 %', 'MEDIUM', 'BE', '2362', 'milan.lukáč@example.com', d(23), ts(23, 0, 2, 10), tz(23, 0, 2, 10)],
  ['ID4', -0.4, '-.4', 10, '0.26 %', 'LOW', 'BE', '2363', 'john.doe+1@ĚxamplÉ.com', d(23), ts(23, 0, 3, 10), tz(23, 0, 3, 10)],
  ['ID5', -3, '-3', 999, '18,32%', null, 'BE', '2364', 'invalid@email', d(23), ts(23, 0, 4, 10), tz(23, 0, 4, 10)],
  ['ID6', 5, '5', 999, '18,32%', null, 'BE', '2365', ' ', d(23), ts(23, 0, 5, 10), tz(23, 0, 5, 10)],
  ['ID7', 6, '6', 999, 'error', null, 'NL', '2360', null, d(24), ts(24, 0, 1, 10), tz(24, 0, 1, 10)],
  ['ID8', null, null, 999, 'No value', null, 'NL', '2361', null, d(24), ts(24, 0, 2, 10), tz(24, 0, 2, 10)],
  ['ID9', null, null, 999, 'N/A', null, 'NL', '2362', null, d(24), ts(24, 0, 3, 10), tz(24, 0, 3, 10)],
  [null, null, null, null, null, 'HIGH', 'NL', '2363', null, d(24), ts(24, 0, 4, 10), tz(24, 0, 4, 10)],
];

// prettier-ignore
const ORDER_ROWS: SqlValue[][] = [
  ['O1', 'ID1', 'ID1', 'BE', '2360', 'one'],
  ['O2', 'ID99', 'ID1', 'BE', '2360', 'two'],
  ['O3', 'ID1', 'ID2', 'BE', '2000', 'three'],
  ['O4', null, 'ID1', 'BE', null, 'four'],
  ['O5', 'ID98', 'ID4', null, '2360', 'five'],
  ['O6', 'ID99', 'ID1', 'UK', '2360', 'six'],
  [null, null, 'ID3', null, null, 'seven'],
];

export const SODA_TABLES: TableSpec[] = [
  { name: 'customers', columns: CUSTOMER_COLUMNS, rows: CUSTOMER_ROWS },
  { name: 'raw_customers', columns: CUSTOMER_COLUMNS, rows: CUSTOMER_ROWS },
  {
    name: 'orders',
    columns: ['id', 'customer_id_nok', 'customer_id_ok', 'customer_country', 'customer_zip', 'text'].map((name) => ({ name, type: 'VARCHAR' })),
    rows: ORDER_ROWS,
  },
];

/** Loads Soda's tables into a fresh DuckDB file or PostgreSQL schema. */
export function loadSodaTables(engine: Engine): Promise<LoadedDb> {
  return loadDb(engine, SODA_TABLES);
}

export interface SodaScan {
  report: ScanRun;
  project: Project;
  /** Every check result of the scan, in the order the checks file lists them. */
  results: CheckResult[];
}

export interface SodaProjectOptions {
  extraSources?: Record<string, unknown>;
  /** Files written next to the checks file (SQL files it names). */
  files?: Record<string, string>;
  /** Tables to declare as datasets (default: Soda's three). */
  tables?: readonly TableSpec[];
  /** More keys for some declared datasets (e.g. `incremental:`). */
  datasetConfig?: Record<string, Record<string, unknown>>;
}

/**
 * Writes `checks` (a SodaCL file body, as a Soda test would pass to `add_sodacl_yaml_str`) next
 * to a datatrust.yml declaring the tables, in a fresh folder; returns the datatrust.yml path.
 */
export function writeSodaProject(db: LoadedDb, checks: string, opts: SodaProjectOptions = {}): string {
  const dir = join(db.dir, `s${randomBytes(4).toString('hex')}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, name), text);
  const datasets = Object.fromEntries((opts.tables ?? SODA_TABLES).map((t) => [t.name, { table: `${db.schema}.${t.name}`, ...(opts.datasetConfig?.[t.name] ?? {}) }]));
  const source = db.engine === 'duckdb' ? { ...db.source, path: join(db.dir, 'fixture.duckdb') } : db.source;
  const config = { sources: { soda: { ...source, default: true }, ...(opts.extraSources ?? {}) }, datasets, checks: ['checks.yml'] };
  writeFileSync(join(dir, 'datatrust.yml'), stringify(config));
  writeFileSync(join(dir, 'checks.yml'), checks.replace(/^\n/, ''));
  return join(dir, 'datatrust.yml');
}

/** Writes the project (writeSodaProject), loads it as the CLI does and scans it. */
export async function sodaScan(db: LoadedDb, checks: string, opts: ScanOptions & SodaProjectOptions = {}): Promise<SodaScan> {
  const { extraSources, files, tables, datasetConfig, ...scanOpts } = opts;
  const project = loadProject(writeSodaProject(db, checks, { ...(extraSources ? { extraSources } : {}), ...(files ? { files } : {}), ...(tables ? { tables } : {}), ...(datasetConfig ? { datasetConfig } : {}) }));
  if (project.blocking.length) throw new Error(`project does not load: ${project.blocking.map((x) => x.message).join('; ')}`);
  const report = await runScan(project, { samples: false, ...scanOpts });
  const line = (r: CheckResult) => Number(/:(\d+):\d+$/.exec(r.id)?.[1] ?? 0);
  const results = report.datasets.flatMap((x) => x.checks).sort((a, b) => line(a) - line(b));
  return { report, project, results };
}

/** Indents a block written flush-left so tests can keep SodaCL readable. */
export function sodacl(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}
