/**
 * Every key the checks-file parser accepts changes what a scan computes or reports. For each key
 * (taken from the parser's own lists, so a new key without a case here fails the first test),
 * two files differ only in that key (its presence or its value); both must scan without errors
 * and give different results. A key that is parsed and then ignored cannot pass this.
 */
import { COLUMN_RULE_KEY_NAMES } from '../checks/columnRules';
import { CHECK_KEYS } from '../checks/keyApplicability';
import { FILTER_KEYS, FOR_EACH_KEYS, HEADERS, SHORT_FORMAT_KEYS } from '../checks/parseChecksFile';
import { SCHEMA_COLUMN_KEYS, SCHEMA_KEYS } from '../checks/schemaRules';
import type { CheckResult } from './result';
import type { MetricHistory } from './historyEvaluation';
import { loadDb, type LoadedDb } from '../testing/semanticFixture';
import { SODA_TABLES, sodaScan } from '../testing/sodaCustomers';

interface Pair {
  a: string;
  b: string;
  samples?: boolean;
  files?: Record<string, string>;
  /** Both files may report these errors (a check that needs the key to be valid at all). */
  aErrors?: boolean;
  /** Scanned as an incremental dataset, the second time from the first scan's stored state. */
  incremental?: boolean;
}

const on = (checks: string) => `checks for customers:\n${checks}`;
/** A check line with (`b`) and without (`a`) one nested key. */
const nested = (line: string, extra: string, base = ''): Pair => ({ a: on(`  - ${line}${base ? `:\n${base}` : ''}`), b: on(`  - ${line}:\n${base}${extra}`) });

/** Missing/validity keys: the check, and the key's value that changes its count. */
const RULES: Record<string, { line: string; value: string }> = {
  'missing values': { line: 'missing_count(pct) >= 0', value: '[N/A]' },
  'missing regex': { line: 'missing_count(pct) >= 0', value: '^N' },
  'missing format': { line: 'missing_count(zip) >= 0', value: 'integer' },
  'valid values': { line: 'invalid_count(cat) >= 0', value: '[HIGH]' },
  'invalid values': { line: 'invalid_count(cat) >= 0', value: '[LOW]' },
  'valid regex': { line: 'invalid_count(cat) >= 0', value: '^H' },
  'invalid regex': { line: 'invalid_count(cat) >= 0', value: 'W$' },
  'valid format': { line: 'invalid_count(email) >= 0', value: 'email' },
  'invalid format': { line: 'invalid_count(zip) >= 0', value: 'integer' },
  'valid min': { line: 'invalid_count(cst_size) >= 0', value: '0' },
  'valid max': { line: 'invalid_count(cst_size) >= 0', value: '0' },
  'valid length': { line: 'invalid_count(cat) >= 0', value: '4' },
  'valid min length': { line: 'invalid_count(cat) >= 0', value: '4' },
  'valid max length': { line: 'invalid_count(cat) >= 0', value: '4' },
  'include null': { line: 'valid_count(cat) >= 0', value: 'true' },
  'outlier method': { line: 'outlier_count(distance) >= 0', value: 'mean_stddev' },
  'outlier k': { line: 'outlier_count(distance) >= 0', value: '0.5' },
};
const ruleBase = (key: string) => (key === 'include null' ? '      invalid values: [LOW]\n' : '');

const ALL_COLUMNS = SODA_TABLES[0]!.columns.map((c) => `          ${c.name}:`).join('\n');
const schema = (conditions: string) => on(`  - schema:\n      fail:\n        when forbidden column present: [nothing_%]\n${conditions}`);
const short = (table: string, checks: string) => `table: ${table}\nchecks:\n${checks}`;
const query = (sql: string) => `checks:\n  - total = 0:\n      total query: ${sql}`;

const WALK: Record<string, Pair> = {
  // ---- check keys
  name: nested('row_count > 0', '      name: Rows arrived\n'),
  identity: nested('row_count > 0', '      identity: rows-v1\n'),
  mode: nested('row_count > 0', '      mode: observe\n'),
  attributes: nested('row_count > 0', '      attributes: {owner: sales}\n'),
  filter: nested('row_count > 0', "      filter: country = 'NL'\n"),
  warn: nested('row_count', '      warn: when > 5\n', '      fail: when < 5\n'),
  fail: nested('row_count', '      fail: when > 5\n', '      warn: when > 50\n'),
  'samples limit': { ...nested('missing_count(email) = 0', '      samples limit: 1\n'), samples: true },
  // Not `id`: a sample shows the table's first column anyway (planDataset.sampleColumnList).
  'samples columns': { ...nested('missing_count(email) = 0', '      samples columns: [cat]\n'), samples: true },
  'collect failed rows': { ...nested('missing_count(email) = 0', '      collect failed rows: false\n'), samples: true },
  incremental: { ...nested('percentile(distance, 0.5) >= 0', '      incremental: sketch\n'), incremental: true },
  // Anomaly keys, against HISTORY: about 12.5 rows a day, where customers has 10.
  sensitivity: nested('anomaly detection for row_count', '      sensitivity: 6\n'),
  min_history: nested('anomaly detection for row_count', '      min_history: 100\n'),
  seasonality: { a: on('  - anomaly detection for row_count:\n      seasonality: none'), b: on('  - anomaly detection for row_count:\n      seasonality: day_of_week') },
  warn_only: nested('anomaly detection for row_count', '      warn_only: true\n'),
  alert_directionality: nested('anomaly detection for row_count', '      alert_directionality: upper_bound_only\n'),
  training_dataset_parameters: nested('anomaly detection for row_count', '      training_dataset_parameters:\n        window_length: 3\n'),
  'fail condition': { a: on('  - failed rows:\n      fail condition: cst_size < 0'), b: on('  - failed rows:\n      fail condition: cst_size < 1') },
  'fail query': { a: 'checks:\n  - failed rows:\n      fail query: SELECT * FROM {schema}.customers WHERE cst_size < 0', b: 'checks:\n  - failed rows:\n      fail query: SELECT * FROM {schema}.customers' },
  'failed rows query': {
    a: query('SELECT COUNT(*) FROM {schema}.customers'),
    b: `${query('SELECT COUNT(*) FROM {schema}.customers')}\n      failed rows query: SELECT id FROM {schema}.customers WHERE cst_size < 0`,
    samples: true,
  },
  'failed rows sql_file': {
    a: query('SELECT COUNT(*) FROM {schema}.customers'),
    b: `${query('SELECT COUNT(*) FROM {schema}.customers')}\n      failed rows sql_file: failed.sql`,
    files: { 'failed.sql': 'SELECT id FROM {schema}.customers WHERE cst_size < 0' },
    samples: true,
  },
  '<metric> expression': { a: on('  - total >= 0:\n      total expression: SUM(distance)'), b: on('  - total >= 0:\n      total expression: MAX(distance)') },
  '<metric> query': { a: query('SELECT 1'), b: query('SELECT 2') },
  '<metric> sql_file': { a: 'checks:\n  - total = 0:\n      total sql_file: a.sql', b: 'checks:\n  - total = 0:\n      total sql_file: b.sql', files: { 'a.sql': 'SELECT 1', 'b.sql': 'SELECT 2' } },
  ...Object.fromEntries(COLUMN_RULE_KEY_NAMES.map((k) => [k, nested(RULES[k]!.line, `      ${k}: ${RULES[k]!.value}\n`, ruleBase(k))])),
  // ---- `<key> for <column>` under `configurations for`
  ...Object.fromEntries(
    COLUMN_RULE_KEY_NAMES.map((k) => {
      const { line, value } = RULES[k]!;
      const column = /\((\w+)\)/.exec(line)![1]!;
      const base = on(`  - ${line}${ruleBase(k) ? `:\n${ruleBase(k)}` : ''}`);
      return [`${k} for <column>`, { a: base, b: `${base}\nconfigurations for customers:\n  ${k} for ${column}: ${value}` }];
    }),
  ),
  // ---- schema conditions
  'when required column missing': { a: schema(''), b: schema('        when required column missing: [nope]') },
  'when forbidden column present': { a: on('  - schema:\n      fail:\n        when required column missing: [id]'), b: on('  - schema:\n      fail:\n        when required column missing: [id]\n        when forbidden column present: [cst_%]') },
  'when wrong column type': { a: schema(''), b: schema('        when wrong column type:\n          id: integer') },
  'when wrong column index': { a: schema(''), b: schema('        when wrong column index:\n          id: 3') },
  'when schema changes': { a: schema(''), b: schema('        when schema changes: any') },
  'when mismatching columns': { a: schema(''), b: schema('        when mismatching columns:\n          id: varchar') },
  'with optional columns': {
    a: schema(`        when mismatching columns:\n${ALL_COLUMNS}\n          optcol:`),
    b: schema(`        when mismatching columns:\n${ALL_COLUMNS}\n          optcol:\n        with optional columns: [optcol]`),
  },
  // ---- sections and their keys
  'checks for <dataset>': { a: on('  - row_count > 0'), b: `${on('  - row_count > 0')}\nchecks for orders:\n  - row_count > 0` },
  'checks for <dataset> [partition]': { a: on('  - row_count > 0'), b: `${on('  - row_count > 0')}\nfilter customers [nl]:\n  where: country = 'NL'\nchecks for customers [nl]:\n  - row_count > 0` },
  'filter <dataset> [partition]': { a: "filter customers [p]:\n  where: country = 'NL'\nchecks for customers [p]:\n  - row_count > 0", b: "filter customers [p]:\n  where: country = 'BE'\nchecks for customers [p]:\n  - row_count > 0" },
  'filter: where': { a: "filter customers [p]:\n  where: cst_size > 0\nchecks for customers [p]:\n  - row_count > 0", b: "filter customers [p]:\n  where: cst_size < 0\nchecks for customers [p]:\n  - row_count > 0" },
  'configurations for <dataset>': { a: on('  - missing_count(id) = 1'), b: `${on('  - missing_count(id) = 1')}\nconfigurations for customers:\n  missing values for id: [ID1]` },
  'for each dataset <T>': { a: on('  - row_count > 0'), b: `${on('  - row_count > 0')}\nfor each dataset T:\n  datasets: [orders]\n  checks:\n    - row_count > 0` },
  'for each: datasets': { a: 'for each dataset T:\n  datasets: [orders]\n  checks:\n    - row_count > 0', b: 'for each dataset T:\n  datasets: [orders, customers]\n  checks:\n    - row_count > 0' },
  'for each: tables': { a: 'for each dataset T:\n  datasets: [orders]\n  checks:\n    - row_count > 0', b: 'for each dataset T:\n  datasets: [orders]\n  tables: [customers]\n  checks:\n    - row_count > 0' },
  'for each: checks': { a: 'for each dataset T:\n  datasets: [orders]\n  checks:\n    - row_count > 0', b: 'for each dataset T:\n  datasets: [orders]\n  checks:\n    - row_count > 100' },
  checks: { a: on('  - row_count > 0'), b: `${on('  - row_count > 0')}\n${query('SELECT 1')}` },
  'mode: observe|enforce': { a: on('  - row_count > 0'), b: `mode: observe\n${on('  - row_count > 0')}` },
  'short: mode': { a: short('customers', '  - row_count > 0'), b: `mode: observe\n${short('customers', '  - row_count > 0')}` },
  variables: { a: `variables:\n  N: 5\n${on('  - row_count > ${N}')}`, b: `variables:\n  N: 50\n${on('  - row_count > ${N}')}` },
  'short: table': { a: short('customers', '  - row_count > 0'), b: short('orders', '  - row_count > 0') },
  'short: dataset': { a: short('customers', '  - row_count > 0'), b: 'dataset: orders\nchecks:\n  - row_count > 0' },
  'short: checks': { a: short('customers', '  - row_count > 0'), b: short('customers', '  - row_count > 100') },
  'schema column: name': { a: short('orders', '  - schema:\n      - name: id'), b: short('orders', '  - schema:\n      - name: idx') },
  'schema column: type': { a: short('orders', '  - schema:\n      - name: id'), b: short('orders', '  - schema:\n      - name: id\n        type: integer') },
};

/** Every key the parser accepts, from its own lists. */
const ACCEPTED = [
  ...CHECK_KEYS,
  ...COLUMN_RULE_KEY_NAMES.map((k) => `${k} for <column>`),
  ...SCHEMA_KEYS,
  ...HEADERS,
  ...FILTER_KEYS.map((k) => `filter: ${k}`),
  ...FOR_EACH_KEYS.map((k) => `for each: ${k}`),
  ...SHORT_FORMAT_KEYS.map((k) => `short: ${k}`),
  ...SCHEMA_COLUMN_KEYS.map((k) => `schema column: ${k}`),
];

/**
 * Four weeks of daily measurements, so anomaly checks have something to judge: alternating 11
 * and 14 the first two weeks, 12 and 13 after, so a short `window_length` sees only the calm end.
 */
const HISTORY = Array.from({ length: 28 }, (_, i) => ({ at: Date.UTC(2026, 0, 1 + i, 6), value: i < 14 ? 11 + 3 * (i % 2) : 12 + (i % 2) }));
/** An earlier scan's schema, so `when schema changes` has something to compare with. */
const history: MetricHistory = { values: async () => [], points: async (_d, _k, q) => HISTORY.slice(-q.limit), previousSchema: async () => [{ name: 'id', type: 'VARCHAR' }] };

/** Everything a result says, but where it was written. */
const outcome = (results: CheckResult[]) => results.map(({ id: _id, ...rest }) => rest);

describe('every key the parser accepts changes what is computed (DuckDB)', () => {
  let db: LoadedDb;
  beforeAll(async () => {
    db = await loadDb('duckdb', SODA_TABLES);
  });
  afterAll(() => db?.cleanup());

  it('has a case for every key the parser accepts, and no other', () => {
    expect(Object.keys(WALK).sort()).toEqual([...new Set(ACCEPTED)].sort());
  });

  it.each(Object.keys(WALK))('%s', async (key) => {
    const pair = WALK[key]!;
    const fill = (t: string) => t.replace(/\{schema\}/g, db.schema);
    const files = pair.files ? Object.fromEntries(Object.entries(pair.files).map(([k, v]) => [k, fill(v)])) : undefined;
    const scan = (text: string, more: Parameters<typeof sodaScan>[2] = {}) => sodaScan(db, fill(text), { samples: pair.samples ?? false, history, ...(files ? { files } : {}), ...more });
    const run = async (text: string) => {
      if (!pair.incremental) return scan(text);
      const datasetConfig = { customers: { incremental: { column: 'ts' } } };
      const first = await scan(text, { datasetConfig });
      const state = first.report.datasets.find((d) => d.dataset === 'customers')!.incrementalState;
      return scan(text, { datasetConfig, incremental: { incrementalState: async () => state } });
    };
    const [a, b] = [await run(pair.a), await run(pair.b)];
    for (const s of [a, b]) expect(s.project.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    expect(b.results.map((r) => r.error).filter(Boolean)).toEqual([]);
    expect(outcome(b.results)).not.toEqual(outcome(a.results));
  });
});
