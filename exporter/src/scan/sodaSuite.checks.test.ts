/**
 * Soda Core v3.5's tests of the other check kinds (soda/core/tests/data_source/: test_count,
 * test_warning_threshold, test_reference_check, test_row_count_comparison,
 * test_schema_mismatching_columns, test_user_defined_metric_checks,
 * test_user_defined_failed_rows_checks), ported onto Soda's own tables, on DuckDB and PostgreSQL.
 * `{schema}` in a case is the schema the tables live in (`main` on DuckDB).
 */
import type { Outcome } from '../checks/outcome';
import { ENGINES, type LoadedDb } from '../testing/semanticFixture';
import { loadSodaTables, SODA_TABLES, sodacl, sodaScan } from '../testing/sodaCustomers';
import type { MetricHistory } from './historyEvaluation';

type Want = Outcome | [Outcome, number];

interface Case {
  yaml: string;
  variables?: Record<string, string>;
  files?: Record<string, string>;
  want: Want[];
}

/** Soda's PostgreSQL names for its test columns' types; DuckDB's spellings are aliases of them. */
const SCHEMA = sodacl(`
  id: character varying
  cst_size: double precision
  cst_size_txt: character varying
  distance: integer
  pct: character varying
  cat: character varying
  country: character varying
  zip: character varying
  email: character varying
  date_updated: date
  ts: timestamp without time zone
  ts_with_tz: timestamp with time zone`)
  .split('\n')
  .map((l) => `          ${l}`)
  .join('\n');

const CASES: Record<string, Case> = {
  test_row_count_thresholds_passing: {
    yaml: sodacl(`
      checks for customers:
        - row_count = 10.0
        - row_count < 11
        - row_count > 9
        - row_count <= 10
        - row_count >= 10
        - row_count != 0
        - row_count <> 0
        - row_count between 10 and 15]
        - row_count between [-5 and 10
        - row_count between (9 and 15]
        - row_count between -5 and 11)
        - row_count not between 11 and 15
        - row_count not between [-5 and 9]
        - row_count not between (10 and 15
        - row_count not between -5 and 10)`),
    want: Array<Outcome>(15).fill('pass'),
  },
  test_row_count_thresholds_failing: {
    yaml: sodacl(`
      checks for customers:
        - row_count < 10
        - row_count > 10
        - row_count <= 9
        - row_count >= 11
        - row_count between 11 and 15
        - row_count between 5 and 9]
        - row_count between (10 and 15
        - row_count between 5 and 10)
        - row_count not between [10 and 15
        - row_count not between [5 and 10]
        - row_count not between (9 and 15]
        - row_count not between [5 and 11)`),
    want: Array<Outcome>(12).fill('fail'),
  },
  test_warning_threshold: {
    yaml: sodacl(`
      checks for customers:
        - row_count:
            warn: when not between (19 and 25]
            fail: when not between (5 and 30]
        - row_count:
            warn: when not between (5 and 30]
            fail: when not between (19 and 25]
        - row_count:
            warn: when < 15
            fail: when < 5
        - row_count:
            warn: when = 10
            fail: when = 11
        - row_count:
            warn: when between 1 and 100
            fail: when between 5 and 15`),
    want: ['warn', 'fail', 'warn', 'warn', 'fail'],
  },
  test_reference_check_fail: { yaml: 'checks for orders:\n  - values in customer_id_nok must exist in customers id', want: [['fail', 3]] },
  test_reference_check_pass: { yaml: 'checks for orders:\n  - values in (customer_id_ok) must exist in customers (id)', want: [['pass', 0]] },
  test_multi_column_reference_check: { yaml: 'checks for orders:\n  - values in (customer_country, customer_zip) must exist in customers (country, zip)', want: [['fail', 4]] },
  test_reference_check_pass_not: { yaml: 'checks for orders:\n  - values in id must not exist in customers id', want: [['pass', 0]] },
  test_reference_check_fail_not: { yaml: 'checks for orders:\n  - values in (customer_id_ok) must not exist in customers (id)', want: [['fail', 7]] },
  test_multi_column_reference_check_not: { yaml: 'checks for orders:\n  - values in (id, text) must not exist in customers (id, cst_size_txt)', want: [['pass', 0]] },
  test_row_count_comparison: { yaml: 'checks for customers:\n  - row_count same as raw_customers', want: [['pass', 0]] },
  test_row_count_comparison_with_filters: {
    yaml: sodacl(`
      filter customers [daily]:
        where: cst_size IS NULL

      filter raw_customers [daily]:
        where: cst_size >= 1

      checks for customers [daily]:
        - row_count same as raw_customers [daily]`),
    want: [['pass', 0]],
  },
  // The other data source is this one again, as in Soda's test; its table is named in full.
  test_row_count_comparison_cross_data_source: { yaml: 'checks for customers:\n  - row_count same as {schema}.raw_customers in soda', want: [['pass', 0]] },
  test_row_count_comparison_cross_data_source_with_filter: {
    yaml: sodacl(`
      filter customers [daily]:
        where: cst_size IS NULL

      filter {schema}.raw_customers [daily-ref]:
        where: cst_size IS NULL

      checks for customers [daily]:
        - row_count same as {schema}.raw_customers daily-ref in soda`),
    want: [['pass', 0]],
  },
  test_mismatching_columns_pass: { yaml: `checks for customers:\n  - schema:\n      fail:\n        when mismatching columns:\n${SCHEMA}`, want: [['pass', 0]] },
  test_mismatching_columns_with_optional_columns_pass: {
    yaml: `checks for customers:\n  - schema:\n      fail:\n        when mismatching columns:\n${SCHEMA}\n          optcol1: character varying\n          optcol2:\n        with optional columns:\n          - optcol1\n          - optcol2`,
    want: [['pass', 0]],
  },
  // Ours: what a mismatch is — a listed column missing, a wrong type, a column not listed.
  mismatching_columns_fail: {
    yaml: sodacl(`
      checks for orders:
        - schema:
            warn:
              when mismatching columns:
                id: varchar
                customer_id_nok:
                customer_id_ok: integer
                customer_country: varchar
                customer_zip: varchar
                text: varchar
        - schema:
            fail:
              when mismatching columns:
                id: varchar
                customer_id_ok:
                customer_country:
                customer_zip:
                text:
                created_at: timestamp`),
    want: [
      ['warn', 1],
      ['fail', 2],
    ],
  },
  test_user_defined_table_expression_metric_check: {
    yaml: sodacl(`
      checks for customers:
        - avg_surface between 1068 and 1069:
            avg_surface expression: AVG(cst_size * distance)
        - ones(cst_size_txt):
            name: The total length of cst_size_txt must be 14
            ones expression: SUM(LENGTH(cst_size_txt))
            warn: when <= 14
            fail: when > 14`),
    want: ['pass', ['warn', 14]],
  },
  test_user_defined_data_source_query_metric_check: {
    yaml: 'checks:\n  - avg_surface between 1068 and 1069:\n      avg_surface query: |\n        SELECT AVG(cst_size * distance) as avg_surface\n        FROM {schema}.customers',
    want: ['pass'],
  },
  test_user_defined_data_source_query_metric_check_with_variable_special_chars: {
    yaml: 'checks:\n  - avg_surface between 1068 and 1069:\n      avg_surface query: |\n        SELECT AVG(cst_size * distance) as avg_surface\n        FROM {schema}.customers WHERE cst_size ${cst_size} OR cst_size IS NULL',
    variables: { cst_size: '>= -5' },
    want: ['pass'],
  },
  test_user_defined_data_source_query_metric_with_sql_file: {
    yaml: 'checks:\n  - avg_surface between 1068 and 1069:\n      avg_surface sql_file: "avg_surface.sql"',
    files: { 'avg_surface.sql': 'SELECT AVG(cst_size * distance) as avg_surface \nFROM {schema}.customers' },
    want: ['pass'],
  },
  test_user_defined_data_source_query_metric_check_with_fail_query: {
    yaml: "checks:\n  - belgium_customers = 6:\n      belgium_customers query: |\n        SELECT count(*) as belgium_customers\n        FROM {schema}.customers\n        WHERE country = 'BE'\n      failed rows query: |\n        SELECT *\n        FROM {schema}.customers\n        WHERE country != 'BE'",
    want: [['pass', 6]],
  },
  test_failed_rows_table_expression: { yaml: "checks for customers:\n  - failed rows:\n      samples limit: 1\n      fail condition: cat = 'HIGH' and cst_size < .7", want: [['fail', 1]] },
  test_failed_rows_data_source_query: {
    yaml: 'checks:\n  - failed rows:\n      name: Customers must have cst_size\n      fail query: |\n        SELECT *\n        FROM {schema}.customers\n        WHERE cst_size < 0',
    want: [['fail', 3]],
  },
  test_failed_rows_query_warn_threshold: {
    yaml: 'checks:\n  - failed rows:\n      fail query: |\n        SELECT * FROM {schema}.customers WHERE cst_size < 0\n      warn: when = 3\n      fail: when > 5',
    want: [['warn', 3]],
  },
  test_failed_rows_query_fail_threshold: {
    yaml: 'checks:\n  - failed rows:\n      fail query: |\n        SELECT * FROM {schema}.customers WHERE cst_size < 0\n      warn: when = 3\n      fail: when > 2',
    want: [['fail', 3]],
  },
  test_failed_rows_query_fail_threshold_pass: { yaml: 'checks:\n  - failed rows:\n      fail query: |\n        SELECT * FROM {schema}.customers WHERE cst_size < 0\n      fail: when > 3', want: [['pass', 3]] },
  test_failed_rows_query_warn_threshold_pass: { yaml: 'checks:\n  - failed rows:\n      fail query: |\n        SELECT * FROM {schema}.customers WHERE cst_size < 0\n      warn: when > 3', want: [['pass', 3]] },
  test_failed_rows_condition_fail_threshold_pass: { yaml: 'checks for customers:\n  - failed rows:\n      fail condition: cst_size < 0\n      fail: when > 3', want: [['pass', 3]] },
  test_failed_rows_condition_warn_threshold_pass: { yaml: 'checks for customers:\n  - failed rows:\n      fail condition: cst_size < 0\n      warn: when > 3', want: [['pass', 3]] },
  // Soda's check code: with only `warn:`, three failed rows warn and never fail.
  failed_rows_warn_only_warns: { yaml: 'checks for customers:\n  - failed rows:\n      fail condition: cst_size < 0\n      warn: when > 2', want: [['warn', 3]] },
};

describe.each(ENGINES)('Soda Core check-kind tests on %s', (engine) => {
  let db: LoadedDb;
  beforeAll(async () => {
    db = await loadSodaTables(engine);
  });
  afterAll(() => db?.cleanup());
  const fill = (text: string) => text.replace(/\{schema\}/g, db.schema);

  it.each(Object.keys(CASES))('%s', async (name) => {
    const { yaml, variables, files, want } = CASES[name]!;
    const filled = files ? Object.fromEntries(Object.entries(files).map(([k, v]) => [k, fill(v)])) : undefined;
    const { results } = await sodaScan(db, fill(yaml), { ...(variables ? { variables } : {}), ...(filled ? { files: filled } : {}) });
    const got = results.map((r, i) => (Array.isArray(want[i]) ? [r.outcome, r.value] : r.outcome));
    expect({ got, errors: results.map((r) => r.error).filter(Boolean) }).toEqual({ got: want, errors: [] });
  });

  it('test_user_defined_table_expression_metric_check: values and names as Soda reports them', async () => {
    const { results } = await sodaScan(db, fill(CASES.test_user_defined_table_expression_metric_check!.yaml));
    expect(results[0]!.value).toBeGreaterThan(1068);
    expect(results[0]!.value).toBeLessThan(1069);
    expect(results[1]).toMatchObject({ name: 'The total length of cst_size_txt must be 14', metricKey: 'ones(cst_size_txt)' });
  });

  it('a user-defined metric with a `failed rows query` shows those rows when it does not pass', async () => {
    const yaml = CASES.test_user_defined_data_source_query_metric_check_with_fail_query!.yaml.replace('belgium_customers = 6', 'belgium_customers = 5');
    const { results } = await sodaScan(db, fill(yaml), { samples: true });
    expect(results[0]).toMatchObject({ outcome: 'fail', value: 6 });
    expect(results[0]!.samples?.rows).toHaveLength(4);
  });

  // test_change_over_time: history newest first, as Soda's mock gives it; row_count is 10, duplicate_count(cst_size) 0.
  it('test_change_over_time', async () => {
    const past: Record<string, number[]> = { row_count: [10, 10, 10, 9, 8, 8, 8, 0, 0, 0], 'duplicate_count(cst_size)': [0, 0, 0, 10, 10, 10, 10, 5, 0, 10] };
    const history: MetricHistory = { values: async (_d, key, limit) => (past[key] ?? []).slice(0, limit), points: async () => [], previousSchema: async () => undefined };
    const yaml = sodacl(`
      checks for customers:
        - change avg last 7 for row_count = 1
        - change for row_count between -10 and +50
        - change percent for row_count < 10%
        - change avg last 7 for row_count < 50
        - change min last 7 for row_count < 50
        - change min last 5 percent for row_count between -10% and +25%
        - change min last 7 for duplicate_count(cst_size):
            warn: when not between -10 and +20
            fail: when not between -50 and +100
        - change min last 7 percent for duplicate_count(cst_size) < 50 %`);
    const { results } = await sodaScan(db, yaml, { history });
    expect(results.map((r) => [r.outcome, r.value])).toEqual([
      ['pass', 1],
      ['pass', 0],
      ['pass', 0],
      ['pass', 1],
      ['pass', 2],
      ['pass', 25],
      ['pass', 0],
      ['pass', 0],
    ]);
    // test_change_over_time_fail and _no_historical_data
    const fail = await sodaScan(db, 'checks for customers:\n  - change percent for row_count < 10%', { history: { ...history, values: async () => [8] } });
    expect(fail.results.map((r) => [r.outcome, r.value])).toEqual([['fail', 25]]);
    const none = await sodaScan(db, 'checks for customers:\n  - change percent for row_count < 10%', { history: { ...history, values: async () => [] } });
    expect(none.results.map((r) => r.outcome)).toEqual(['not_evaluated']);
  });

  // Not Soda's model (Soda Scientific's Prophet), but the same check: a robust z-score of the newest value, > 3 fails.
  it('anomaly detection scores the newest value against its history', async () => {
    const hourly = (values: number[]) => async () => values.map((value, i) => ({ at: Date.UTC(2026, 0, 5, i), value }));
    const steady: MetricHistory = { values: async () => [], points: hourly([10, 11, 9, 10, 10, 11, 9]), previousSchema: async () => undefined };
    const jump: MetricHistory = { values: async () => [], points: hourly([100, 101, 99, 100, 100, 101, 99]), previousSchema: async () => undefined };
    const yaml = 'checks for customers:\n  - anomaly detection for row_count\n  - anomaly score for row_count < default';
    expect((await sodaScan(db, yaml, { history: steady })).results.map((r) => r.outcome)).toEqual(['pass', 'pass']);
    expect((await sodaScan(db, yaml, { history: jump })).results.map((r) => r.outcome)).toEqual(['fail', 'fail']);
  });

  it('`when schema changes` counts only the kinds of change it lists', async () => {
    // The previous scan saw no `id`, and `cst_size` as an integer: one add, one type change, eleven moves.
    const previous = SODA_TABLES[0]!.columns.filter((c) => c.name !== 'id').map((c) => ({ name: c.name, type: c.name === 'cst_size' ? 'INTEGER' : c.type }));
    const history: MetricHistory = { values: async () => [], points: async () => [], previousSchema: async () => previous };
    const kinds = ['any', '[column add]', '[column delete]', '[column type change]', '[column index change]', '[column add, column type change]'];
    const yaml = `checks for customers:\n${kinds.map((k) => `  - schema:\n      fail:\n        when schema changes: ${k}`).join('\n')}`;
    const { results } = await sodaScan(db, yaml, { history });
    expect(results.map((r) => [r.outcome, r.value])).toEqual([
      ['fail', 13],
      ['fail', 1],
      ['pass', 0],
      ['fail', 1],
      ['fail', 11],
      ['fail', 2],
    ]);
  });

  it('`samples columns` picks the columns of a fail query and of a failed rows query', async () => {
    const yaml = fill('checks:\n  - failed rows:\n      samples columns: [id, cst_size]\n      fail query: SELECT * FROM {schema}.customers WHERE cst_size < 0');
    const { results } = await sodaScan(db, yaml, { samples: true });
    expect(results[0]!.samples).toEqual({ columns: ['id', 'cst_size'], rows: expect.arrayContaining([['ID3', -1.2]]) });
  });
});
