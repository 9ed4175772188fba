/**
 * The Soda v3 migration file (checks/fixtures/soda-v3/migration.yml) — `configurations for`,
 * variables in thresholds, names and headers, NOW, numeric metrics on text columns and every
 * valid format — gives Soda Core 3.5's numbers on DuckDB and PostgreSQL, and the built CLI
 * runs it with `-v` as a Soda user would.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VALID_FORMAT_NAMES } from '../checks/validFormats';
import { runCli } from '../testing/runCli';
import { ENGINES, loadDb, type LoadedDb, type TableSpec } from '../testing/semanticFixture';
import { SODA_TABLES, sodaScan, writeSodaProject } from '../testing/sodaCustomers';
import { FORMAT_SAMPLES } from '../testing/sodaFormatSamples';
import type { CheckResult } from './result';

const FILE = readFileSync(join(__dirname, '../checks/fixtures/soda-v3/migration.yml'), 'utf8');
const VARIABLES = { NOW: '2020-06-25 00:00:00', MIN_ROWS: '5' };
const column = (format: string) => `f_${format.replace(/[^a-z0-9]+/g, '_')}`;

/** One column per format, holding Soda's passing then failing values; NULL (missing) below them. */
const FORMATS: TableSpec = (() => {
  const lists = VALID_FORMAT_NAMES.map((f) => [...FORMAT_SAMPLES[f]!.pass, ...FORMAT_SAMPLES[f]!.fail]);
  const height = Math.max(...lists.map((l) => l.length));
  return {
    name: 'formats',
    columns: VALID_FORMAT_NAMES.map((f) => ({ name: column(f), type: 'VARCHAR' })),
    rows: Array.from({ length: height }, (_, i) => lists.map((l) => l[i] ?? null)),
  };
})();
const TABLES = [...SODA_TABLES, FORMATS];

const byDefinition = (results: CheckResult[]) => new Map(results.map((r) => [r.definition, r]));

describe.each(ENGINES)('the Soda v3 migration file on %s', (engine) => {
  let db: LoadedDb;
  let results: CheckResult[];
  beforeAll(async () => {
    db = await loadDb(engine, TABLES);
    ({ results } = await sodaScan(db, FILE, { variables: VARIABLES, tables: TABLES }));
  });
  afterAll(() => db?.cleanup());

  it('runs every check without an error, passing but for the two meant to warn', () => {
    expect(results.filter((r) => r.error).map((r) => `${r.definition}: ${r.error}`)).toEqual([]);
    expect(results.filter((r) => r.outcome !== 'pass').map((r) => [r.name, r.outcome, r.value])).toEqual([
      ['No negative sizes', 'warn', 3],
      ['ones(cst_size_txt)', 'warn', 14],
    ]);
    expect(results).toHaveLength(FILE.split('\n').filter((l) => /^ {2}- /.test(l)).length);
  });

  it("gives Soda's numbers for the customers checks", () => {
    const r = byDefinition(results);
    const value = (d: string) => r.get(d)?.value;
    expect(r.get('invalid_count(email) = ${INVALID_EMAILS}')).toMatchObject({ name: 'E-mail addresses of customers are valid', value: 2, threshold: { fail: 'when != 2' } });
    expect(['missing_count(pct) = 3', 'missing_percent(pct) = 30', 'invalid_count(pct) = 1', 'valid_count(pct) = 6', 'invalid_percent(pct) = 10', 'missing_count(id) = 4'].map(value)).toEqual([3, 30, 1, 6, 10, 4]);
    expect(value('avg(cst_size_txt) between 1.12 and 1.13')).toBeCloseTo(7.9 / 7, 9);
    expect(value('sum(cst_size_txt) between 7.899 and 7.9')).toBeCloseTo(7.9, 9);
    expect(value('min(pct) between -28.42001 and -28.42')).toBeCloseTo(-28.42, 9);
    expect(value('freshness(ts) < ${FRESH}')).toBe(24 * 3600 - 250);
    expect(value('freshness(date_updated) < 1d')).toBeCloseTo(1e-6, 9);
    expect(value('freshness(ts, CUTOFF) between 23h and 24h')).toBe(24 * 3600 - 60 - 250);
    expect(value('row_count between ${MIN_ROWS} and 10')).toBe(10);
  });

  it('gives, for every valid format, as many valid and invalid values as Soda says', () => {
    const r = byDefinition(results);
    const got = VALID_FORMAT_NAMES.map((f) => [f, r.get(`valid_count(${column(f)}) = ${FORMAT_SAMPLES[f]!.pass.length}`)?.value, r.get(`invalid_count(${column(f)}) = ${FORMAT_SAMPLES[f]!.fail.length}`)?.value]);
    expect(got).toEqual(VALID_FORMAT_NAMES.map((f) => [f, FORMAT_SAMPLES[f]!.pass.length, FORMAT_SAMPLES[f]!.fail.length]));
  });

  if (engine === 'duckdb') {
    it('runs through the built CLI with -v, exiting 1 for the two warnings', async () => {
      const config = writeSodaProject(db, FILE, { tables: TABLES });
      const args = ['scan', '-c', config, '--format', 'json', '--no-samples', ...Object.entries(VARIABLES).flatMap(([k, v]) => ['-v', `${k}=${v}`])];
      const run = await runCli(args);
      expect(run.stderr).not.toMatch(/error/i);
      expect(run.code).toBe(1);
      const json = JSON.parse(run.stdout) as { summary: Record<string, number> };
      expect(json.summary).toEqual({ pass: results.length - 2, warn: 2, fail: 0, error: 0, notEvaluated: 0 });
    });
  }
});
