import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { Client } from 'pg';
import { stringify } from 'yaml';
import { loadProject, type Project } from '../config/loadProject';
import type { QueryEvent } from '../scan/runDataset';
import { runScan, type ScanOptions, type ScanRun } from '../scan/runScan';
import type { CheckResult } from '../scan/result';
import type { FormatTruth, Value } from './sodaOracle';
import { requirePostgres } from './requirePostgres';
import { tempProject } from './tempDir';
import { xorshift32 } from './seededRandom';

export type Engine = 'duckdb' | 'postgres';
export const ENGINES: Engine[] = ['duckdb', 'postgres'];

/** Every generated time is relative to this instant; scans pass it as `now`. */
export const NOW = new Date('2024-06-01T12:00:00Z');
/** The newest `updated_at` is exactly this many seconds before NOW. */
export const FRESHEST_AGE_S = 2 * 3600 + 30 * 60;

export const COUNTRIES = ['US', 'DE', 'FR', 'JP'] as const;
export const STATUSES = ['new', 'paid', 'shipped', 'cancelled'] as const;

/** A SQL value both engines read the same way. */
export type SqlValue = null | number | string | { decimal: number } | { timestamp: Date } | { date: string };

export interface TableSpec {
  name: string;
  columns: { name: string; type: string }[];
  rows: SqlValue[][];
}

/** One fixture row of `items`, in the units a test reasons in (amount in currency, not cents). */
export interface ItemRow {
  id: number;
  customer_id: number | null;
  country: string | null;
  amount: number | null;
  score: number | null;
  qty: number | null;
  status: string | null;
  email: string | null;
  uid: string | null;
  phone: string | null;
  event_date: string | null;
  code: string | null;
  num_text: string | null;
  order_no: number | null;
  updated_at: Date | null;
  booked_on: string | null;
}

export type ItemColumn = keyof ItemRow;

export interface Fixture {
  items: ItemRow[];
  customers: { id: number; country: string }[];
  blocked: number[];
  blockedPairs: [number, string][];
  countries: string[];
  truth: FormatTruth;
  tables: TableSpec[];
}

// Values whose validity is decided here, by construction, not by any regular expression.
const VALID_EMAILS = [(i: number) => `user${i}@example.com`, (i: number) => `first.last${i}@mail.example.org`, (i: number) => `x_${i}+tag@sub.example.co.uk`];
const INVALID_EMAILS = ['no-at-sign.example.com', 'user@@example.com', 'john doe@example.com', '@example.com', 'user@'];
const INVALID_UUIDS = ['not-a-uuid', '12345678-1234-1234-1234-12345678901', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', '123456781234123412341234567890ab', '{12345678-1234-1234-1234-123456789012}'];
const VALID_PHONES = ['+1 415 555 0100', '415-555-0123', '415.555.0199', '(415) 555-0142', '+1 (415) 555-0100', '555-0123'];
const INVALID_PHONES = ['call me', '12', 'n/a', '555-CALL-NOW', '+1 415 555 01x0'];
const VALID_DATES = ['2024-03-15', '2024-03-15T10:20:30Z', '2024-03-15 10:20:30', '2024-03-15T10:20:30+02:00', '2024-03-15T10:20:30.123Z', '2023-12-01T00:00'];
const INVALID_DATES = ['15/03/2024', '2024-13-01', '2024/03/15', 'yesterday', '2024-03-15T25:00:00'];
/** text → [valid integer, valid decimal] */
const NUM_TEXTS: [string, boolean, boolean][] = [
  ['42', true, true],
  ['-7', true, true],
  ['1000', true, true],
  ['0', true, true],
  ['3.14', false, true],
  ['-0.5', false, true],
  ['abc', false, false],
  ['1.2.3', false, false],
];
export const CODES = ['AB12', 'ABC123', 'X', 'ABCDEFGHIJ', 'QWER', 'Z9'];

function dateOnly(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The fixture: ~600 items with NULLs, markers, bad formats, duplicates and orphans; small side tables. */
export function makeFixture(n = 600): Fixture {
  const r = xorshift32(20240601);
  const truth: FormatTruth = new Map();
  const record = (format: string, value: string, valid: boolean) => {
    if (!truth.has(format)) truth.set(format, new Map());
    truth.get(format)!.set(value, valid);
  };
  const hex = (len: number) => Array.from({ length: len }, () => Math.floor(r() * 16).toString(16)).join('');
  const items: ItemRow[] = [];
  for (let i = 0; i < n; i++) {
    const customer_id = i % 37 === 0 ? null : i % 41 === 5 ? 900 + (i % 3) : 1 + ((i * 7) % 50);
    const country = i % 29 === 0 ? null : customer_id === null ? COUNTRIES[i % 4]! : i % 23 === 1 ? COUNTRIES[(customer_id + 1) % 4]! : COUNTRIES[customer_id % 4]!;
    const cents = i % 31 === 0 ? null : Math.floor(r() * 105_000) - 5_000;
    const score = i % 43 === 0 ? null : Math.floor(r() * 8000) / 8;
    const qty = i % 17 === 0 ? null : Math.floor(r() * 21);
    const status = i % 19 === 0 ? null : i % 13 === 0 ? 'N/A' : i % 47 === 0 ? '' : i % 11 === 0 ? 'lost' : STATUSES[Math.floor(r() * 4)]!;

    let email: string | null = null;
    if (i % 21 !== 0) {
      if (i % 15 === 0) email = 'N/A';
      else if (i % 9 === 0) email = INVALID_EMAILS[i % INVALID_EMAILS.length]!;
      else email = VALID_EMAILS[i % VALID_EMAILS.length]!(i);
      record('email', email, i % 15 !== 0 && i % 9 !== 0);
    }
    let uid: string | null = null;
    if (i % 25 !== 0) {
      const valid = i % 12 !== 0;
      uid = valid ? [hex(8), hex(4), hex(4), hex(4), hex(12)].join('-') : INVALID_UUIDS[i % INVALID_UUIDS.length]!;
      if (valid && i % 7 === 0) uid = uid.toUpperCase();
      record('uuid', uid, valid);
    }
    let phone: string | null = null;
    if (i % 27 !== 0) {
      const valid = i % 10 !== 0;
      phone = valid ? VALID_PHONES[i % VALID_PHONES.length]! : INVALID_PHONES[i % INVALID_PHONES.length]!;
      record('phone number', phone, valid);
    }
    let event_date: string | null = null;
    if (i % 33 !== 0) {
      const valid = i % 8 !== 0;
      event_date = valid ? VALID_DATES[i % VALID_DATES.length]! : INVALID_DATES[i % INVALID_DATES.length]!;
      record('date iso 8601', event_date, valid);
    }
    const code = i % 35 === 0 ? null : CODES[Math.floor(r() * CODES.length)]!;
    let num_text: string | null = null;
    if (i % 39 !== 0) {
      const [text, integer, decimal] = NUM_TEXTS[i % NUM_TEXTS.length]!;
      num_text = text;
      record('integer', text, integer);
      record('decimal', text, decimal);
    }
    const order_no = i % 53 === 0 ? null : i % 15 === 4 ? 1000 + i - 1 : 1000 + i;
    // Whole seconds, all older than the freshest row, which is planted at a known age.
    const ageS = i === 123 ? FRESHEST_AGE_S : FRESHEST_AGE_S + 1 + Math.floor(r() * 30 * 86400);
    const updated_at = i % 50 === 7 ? null : new Date(NOW.getTime() - ageS * 1000);
    const booked_on = updated_at ? dateOnly(new Date(updated_at.getTime() - 86_400_000)) : null;
    items.push({ id: i + 1, customer_id, country, amount: cents === null ? null : cents / 100, score, qty, status, email, uid, phone, event_date, code, num_text, order_no, updated_at, booked_on });
  }

  const customers = Array.from({ length: 50 }, (_, k) => ({ id: k + 1, country: COUNTRIES[(k + 1) % 4]! }));
  const blocked = [3, 17, 999];
  const blockedPairs: [number, string][] = [
    [8, 'US'],
    [15, 'JP'],
    [9, 'JP'],
  ];
  const countries = [...COUNTRIES, 'GB'];

  const tables: TableSpec[] = [
    {
      name: 'items',
      columns: [
        { name: 'id', type: 'INTEGER' },
        { name: 'customer_id', type: 'INTEGER' },
        { name: 'country', type: 'VARCHAR' },
        { name: 'amount', type: 'DECIMAL(12,2)' },
        { name: 'score', type: 'DOUBLE PRECISION' },
        { name: 'qty', type: 'INTEGER' },
        { name: 'status', type: 'VARCHAR' },
        { name: 'email', type: 'VARCHAR' },
        { name: 'uid', type: 'VARCHAR' },
        { name: 'phone', type: 'VARCHAR' },
        { name: 'event_date', type: 'VARCHAR' },
        { name: 'code', type: 'VARCHAR' },
        { name: 'num_text', type: 'VARCHAR' },
        { name: 'order_no', type: 'INTEGER' },
        { name: 'updated_at', type: 'TIMESTAMP' },
        { name: 'booked_on', type: 'DATE' },
      ],
      rows: items.map((it) => [
        it.id,
        it.customer_id,
        it.country,
        it.amount === null ? null : { decimal: it.amount },
        it.score,
        it.qty,
        it.status,
        it.email,
        it.uid,
        it.phone,
        it.event_date,
        it.code,
        it.num_text,
        it.order_no,
        it.updated_at ? { timestamp: it.updated_at } : null,
        it.booked_on ? { date: it.booked_on } : null,
      ]),
    },
    {
      name: 'customers',
      columns: [
        { name: 'id', type: 'INTEGER' },
        { name: 'country', type: 'VARCHAR' },
      ],
      rows: customers.map((c) => [c.id, c.country]),
    },
    { name: 'blocked_customers', columns: [{ name: 'id', type: 'INTEGER' }], rows: blocked.map((b) => [b]) },
    {
      name: 'blocked_pairs',
      columns: [
        { name: 'id', type: 'INTEGER' },
        { name: 'country', type: 'VARCHAR' },
      ],
      rows: blockedPairs.map(([id, c]) => [id, c]),
    },
    { name: 'countries', columns: [{ name: 'code', type: 'VARCHAR' }], rows: countries.map((c) => [c]) },
  ];
  return { items, customers, blocked, blockedPairs, countries, truth, tables };
}

/** The values of one column, in row order, as the oracle wants them. */
export function column(rows: readonly ItemRow[], name: ItemColumn): Value[] {
  return rows.map((row) => {
    const v = row[name];
    return v instanceof Date ? v.toISOString() : v;
  });
}

function literal(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if ('decimal' in v) return v.decimal.toFixed(2);
  if ('timestamp' in v) return `TIMESTAMP '${v.timestamp.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')}'`;
  return `DATE '${v.date}'`;
}

/** CREATE + INSERT statements for a table under `qualifier` (schema name). */
export function tableSql(t: TableSpec, qualifier: string): string[] {
  const name = `${qualifier}.${t.name}`;
  const out = [`CREATE TABLE ${name} (${t.columns.map((c) => `${c.name} ${c.type}`).join(', ')})`];
  for (let i = 0; i < t.rows.length; i += 500) {
    const chunk = t.rows.slice(i, i + 500);
    out.push(`INSERT INTO ${name} VALUES ${chunk.map((row) => `(${row.map(literal).join(', ')})`).join(', ')}`);
  }
  return out;
}

/** A loaded database plus the scratch folder its projects are written to. */
export interface LoadedDb {
  engine: Engine;
  /** `main` on DuckDB, a throwaway schema on PostgreSQL. */
  schema: string;
  /** `sources:` entry for datatrust.yml. */
  source: Record<string, unknown>;
  dir: string;
  path(p: string): string;
  /** Runs statements directly (setup, or to prove a table is intact after a scan). */
  exec(sql: string): Promise<Value[][]>;
  cleanup(): Promise<void>;
}

export async function loadDb(engine: Engine, tables: readonly TableSpec[], extraSql: string[] = []): Promise<LoadedDb> {
  const project = tempProject({});
  if (engine === 'duckdb') {
    const file = project.path('fixture.duckdb');
    const db = await DuckDBInstance.create(file);
    const conn = await db.connect();
    try {
      for (const t of tables) for (const s of tableSql(t, 'main')) await conn.run(s);
      for (const s of extraSql) await conn.run(s.replace(/\{schema\}/g, 'main'));
    } finally {
      conn.closeSync();
      db.closeSync();
    }
    const exec = async (sql: string): Promise<Value[][]> => {
      // Opened only between scans: the engine itself opens the file read-only.
      const inst = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
      const c = await inst.connect();
      try {
        const reader = await c.runAndReadAll(sql);
        return reader.getRowsJS().map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : (v as Value))));
      } finally {
        c.closeSync();
        inst.closeSync();
      }
    };
    return { engine, schema: 'main', source: { type: 'duckdb', path: 'fixture.duckdb' }, dir: project.dir, path: project.path, exec, cleanup: async () => project.cleanup() };
  }
  const url = requirePostgres();
  const schema = `sem_${randomBytes(5).toString('hex')}`;
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  for (const t of tables) for (const s of tableSql(t, schema)) await client.query(s);
  for (const s of extraSql) await client.query(s.replace(/\{schema\}/g, schema));
  const exec = async (sql: string): Promise<Value[][]> => {
    const res = await client.query({ text: sql, rowMode: 'array' });
    return (res.rows as unknown[][]).map((row) => row.map((v) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : (v as Value))));
  };
  return {
    engine,
    schema,
    source: { type: 'postgres', url },
    dir: project.dir,
    path: project.path,
    exec,
    cleanup: async () => {
      try {
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await client.end();
        project.cleanup();
      }
    },
  };
}

export interface ProjectSpec {
  /** `checks for <dataset>` → check entries (strings or one-key maps), written as YAML. */
  checks: Record<string, unknown[]>;
  /** Extra dataset declarations (`name → {table|sample|…}`); tables are qualified with the schema. */
  datasets?: Record<string, Record<string, unknown>>;
  scan?: Record<string, unknown>;
  /** Replaces the loaded database's source (e.g. an unreachable one). */
  source?: Record<string, unknown>;
  /** A distinct file name, so several projects can live in one folder. */
  name?: string;
}

/** Writes datatrust.yml + a checks file for the loaded database and loads it as the CLI would. */
export function writeProject(db: LoadedDb, spec: ProjectSpec): Project {
  const name = spec.name ?? `p${randomBytes(4).toString('hex')}`;
  const tables = ['items', 'customers', 'blocked_customers', 'blocked_pairs', 'countries'];
  const datasets: Record<string, Record<string, unknown>> = {};
  for (const t of tables) datasets[t] = { table: `${db.schema}.${t}` };
  for (const [k, v] of Object.entries(spec.datasets ?? {})) datasets[k] = { ...v, ...(typeof v.table === 'string' ? { table: `${db.schema}.${v.table}` } : {}) };
  const config = { sources: { fixture: spec.source ?? db.source }, datasets, checks: [`${name}.checks.yml`], ...(spec.scan ? { scan: spec.scan } : {}) };
  const checks: Record<string, unknown[]> = {};
  for (const [dataset, list] of Object.entries(spec.checks)) checks[`checks for ${dataset}`] = list;
  // No anchors/aliases: the parser reads YAML nodes and does not resolve `*alias` references.
  const write = (file: string, doc: unknown) => writeFileSync(db.path(file), stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false }));
  write(`${name}.yml`, config);
  write(`${name}.checks.yml`, checks);
  const project = loadProject(db.path(`${name}.yml`));
  if (project.blocking.length) throw new Error(`fixture project does not load: ${project.blocking.map((d) => d.message).join('; ')}`);
  return project;
}

export interface ScanOutcome {
  report: ScanRun;
  queries: QueryEvent[];
  /** The checks of one dataset, in file order. */
  checks(dataset?: string): CheckResult[];
}

/** Scans at the fixture's NOW (unless told otherwise), recording every query. */
export async function scan(project: Project, opts: ScanOptions = {}): Promise<ScanOutcome> {
  const queries: QueryEvent[] = [];
  const report = await runScan(project, { now: () => NOW, ...opts, onQuery: (e) => queries.push(e) });
  return {
    report,
    queries,
    checks(dataset = 'items') {
      const d = report.datasets.find((x) => x.dataset === dataset);
      if (!d) throw new Error(`no dataset \`${dataset}\` in the report (have ${report.datasets.map((x) => x.dataset).join(', ')})`);
      return d.checks;
    },
  };
}

/** Relative closeness for floats that went through SQL DOUBLE/NUMERIC arithmetic. */
export function expectClose(actual: number | null, expected: number | null, what: string): void {
  if (expected === null || actual === null) {
    if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
    return;
  }
  const tolerance = Math.max(1e-9, Math.abs(expected) * 1e-9);
  if (Math.abs(actual - expected) > tolerance) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}
