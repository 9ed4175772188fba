/**
 * Soda Core v3.5's own column-metric tests (soda/core/tests/data_source/: test_missing,
 * test_invalid, test_numerical_metric_checks_on_text_columns, test_percentage_metrics,
 * test_min_max_avg_*, test_data_source_specific_aggregation_functions, test_duplicates), ported:
 * the same SodaCL on the same rows must give the numbers those tests assert, on DuckDB and
 * PostgreSQL. Each case is one Soda test function, one scan.
 */
import type { Outcome } from '../checks/outcome';
import { ENGINES, type LoadedDb } from '../testing/semanticFixture';
import { loadSodaTables, sodacl, sodaScan } from '../testing/sodaCustomers';
import { NO_VALIDITY_RULE_NOTE } from './columnMetrics';

/** An expected result: the outcome, and the value when Soda's test pins it. */
type Want = Outcome | [Outcome, number];

const CASES: Record<string, { yaml: string; want: Want[] }> = {
  test_default_missing: { yaml: 'checks for customers:\n  - missing_count(id) = 1', want: [['pass', 1]] },
  test_column_configured_missing_values: {
    yaml: sodacl(`
      checks for customers:
        - missing_count(id) = 2
      configurations for customers:
        missing values for id: [N/A, ID5]`),
    want: [['pass', 2]],
  },
  test_check_configured_missing_values: { yaml: 'checks for customers:\n  - missing_count(id) = 2:\n      missing values:\n       - ID5', want: [['pass', 2]] },
  // Both lists apply: NULL, ID1, ID2 from the check, N/A and ID5 from the configuration.
  test_check_and_column_configured_missing_values: {
    yaml: sodacl(`
      checks for customers:
        - missing_count(id) = 4:
            missing values:
              - ID1
              - ID2
      configurations for customers:
        missing values for id: [N/A, ID5]`),
    want: [['pass', 4]],
  },
  test_missing_format: { yaml: 'checks for customers:\n  - missing_count(country) = 0:\n      missing format: integer', want: [['pass', 0]] },
  test_column_configured_invalid_values: {
    yaml: sodacl(`
      checks for customers:
        - invalid_count(id) = 6
        - valid_count(id) = 3
      configurations for customers:
        valid values for id:
         - ID1
         - ID2
         - ID3`),
    want: [
      ['pass', 6],
      ['pass', 3],
    ],
  },
  test_valid_min_max: {
    yaml: 'checks for customers:\n  - invalid_count(cst_size) = 3:\n      valid min: 0\n  - invalid_count(cst_size) = 4:\n      valid max: 0',
    want: [
      ['pass', 3],
      ['pass', 4],
    ],
  },
  test_valid_format_email: { yaml: 'checks for customers:\n  - invalid_count(email) = 2:\n      valid format: email', want: [['pass', 2]] },
  test_column_configured_invalid_and_missing_values: {
    yaml: sodacl(`
      checks for customers:
        - missing_count(pct) = 3
        - invalid_count(pct) = 1
        - valid_count(pct) = 6
      configurations for customers:
        missing values for pct: ['N/A', 'No value']
        valid format for pct: percentage`),
    want: [
      ['pass', 3],
      ['pass', 1],
      ['pass', 6],
    ],
  },
  test_invalid_values_and_max_length: { yaml: 'checks for customers:\n  - invalid_count(cat) = 1:\n      invalid values: ["LOW"]\n      valid max length: 6', want: [['pass', 1]] },
  test_invalid_values_and_max_length_one_failing_row: { yaml: 'checks for customers:\n  - invalid_count(cat) = 2:\n      invalid values: ["LOW"]\n      valid max length: 5', want: [['pass', 2]] },
  test_invalid_values_and_max_length_one_failing_row_include_null: {
    yaml: 'checks for customers:\n  - invalid_count(cat) = 6:\n      invalid values: ["LOW"]\n      valid max length: 6\n      include null: True',
    want: [['pass', 6]],
  },
  test_valid_length: {
    yaml: sodacl(`
      checks for customers:
        - invalid_count(cat) = 2
        - valid_count(cat) = 3
      configurations for customers:
        valid min length for cat: 4
        valid max length for cat: 4`),
    want: [
      ['pass', 2],
      ['pass', 3],
    ],
  },
  test_valid_length_exact: {
    yaml: 'checks for customers:\n  - invalid_count(cat) = 2\n  - valid_count(cat) = 3\nconfigurations for customers:\n  valid length for cat: 4',
    want: [
      ['pass', 2],
      ['pass', 3],
    ],
  },
  // Column and check configurations both apply: the configured regex AND the check's list.
  test_check_and_column_configured_invalid_values: {
    yaml: sodacl(`
      checks for customers:
        - valid_count(id) = 9
        - valid_count(id) = 2:
            valid values:
             - ID1
             - ID2
        - invalid_count(id) = 0
        - invalid_count(id) = 7:
            valid values:
             - ID1
             - ID2
      configurations for customers:
        valid regex for id: ID[0-9]`),
    want: [
      ['pass', 9],
      ['pass', 2],
      ['pass', 0],
      ['pass', 7],
    ],
  },
  test_invalid_with_invalid_config: {
    yaml: sodacl(`
      checks for customers:
        - invalid_count(id) = 2:
            invalid values:
              - ID1
              - ID2
        - invalid_count(id) = 0:
            invalid format: uuid
        - invalid_count(id) = 9:
            invalid regex: ID[0-9]`),
    want: [
      ['pass', 2],
      ['pass', 0],
      ['pass', 9],
    ],
  },
  test_valid_with_invalid_config: {
    yaml: sodacl(`
      checks for customers:
        - valid_count(id) = 7:
            invalid values:
              - ID1
              - ID2
        - valid_count(id) = 9:
            invalid format: uuid
        - valid_count(id) = 0:
            invalid regex: ID[0-9]`),
    want: [
      ['pass', 7],
      ['pass', 9],
      ['pass', 0],
    ],
  },
  // Soda 3.5's `include null` adds the NULL rows to whichever count it is on.
  test_invalid_include_null: { yaml: 'checks for customers:\n  - invalid_count(pct) = 3:\n      invalid values: ["error", "No value"]\n      include null: True', want: [['pass', 3]] },
  test_valid_include_null: { yaml: 'checks for customers:\n  - valid_count(pct) = 8:\n      invalid values: ["error", "No value"]\n      include null: True', want: [['pass', 8]] },
  test_numeric_metric_checks_on_text_column: {
    yaml: sodacl(`
      checks for customers:
        - min(cst_size_txt) = -3
        - max(cst_size_txt) = 6
        - avg(cst_size_txt) between 1.12 and 1.13
        - sum(cst_size_txt) between 7.899 and 7.9
        - min(pct) between -28.42001 and -28.42
        - max(pct) = 22.75
      configurations for customers:
        valid format for cst_size_txt: decimal
        valid format for pct: percentage`),
    want: [['pass', -3], ['pass', 6], 'pass', 'pass', 'pass', ['pass', 22.75]],
  },
  test_numeric_metric_checks_on_text_column_local_format: {
    yaml: sodacl(`
      checks for customers:
        - min(cst_size_txt) = -3:
            valid format: decimal
        - max(cst_size_txt) = 6:
            valid format: decimal
        - min(pct) between -28.42001 and -28.42:
            valid format: percentage
        - max(pct) = 22.75:
            valid format: percentage`),
    want: [['pass', -3], ['pass', 6], 'pass', ['pass', 22.75]],
  },
  test_default_missing_percentage: {
    yaml: sodacl(`
      checks for customers:
        - missing_percent(pct) = 30
        - invalid_percent(pct) = 10
      configurations for customers:
        missing values for pct: [No value, N/A]
        valid format for pct: percentage`),
    want: [
      ['pass', 30],
      ['pass', 10],
    ],
  },
  test_min_max_avg_length: {
    yaml: 'checks for customers:\n  - min_length(cat) = 3\n  - max_length(cat) = 6\n  - avg_length(cat) = 4.2',
    want: [
      ['pass', 3],
      ['pass', 6],
      ['pass', 4.2],
    ],
  },
  test_min_max_avg_sum: {
    yaml: 'checks for customers:\n  - min(cst_size) = -3\n  - max(cst_size) = 6\n  - avg(cst_size) between 1.12 and 1.13\n  - sum(cst_size) between 7.8 and 7.9',
    want: [['pass', -3], ['pass', 6], 'pass', 'pass'],
  },
  test_data_source_specific_statistics_aggregation_metrics: {
    yaml: sodacl(`
      checks for customers:
        - stddev(cst_size) between 3.26 and 3.27
        - stddev_pop(cst_size) between 3.02 and 3.03
        - stddev_samp(cst_size) between 3.26 and 3.27
        - variance(cst_size) between 10.65 and 10.66
        - var_pop(cst_size) between 9.13 and 9.14
        - var_samp(cst_size) between 10.65 and 10.66
        - percentile(distance, 0.7) = 999
      configurations for customers:
        valid min for distance: 0`),
    want: ['pass', 'pass', 'pass', 'pass', 'pass', 'pass', ['pass', 999]],
  },
  // Not a Soda test, Soda's rule (NumericQueryMetric): with any missing/validity key, numeric and
  // length metrics read only the non-missing valid values; the configuration applies to them too.
  numeric_metrics_read_only_valid_values: {
    yaml: sodacl(`
      checks for customers:
        - avg(cst_size) = 3.125:
            valid min: 0
        - avg(distance) = -246
        - max_length(cat) = 4:
            invalid values: [MEDIUM]
        - sum(distance) = 15:
            missing values: [-999]
            valid max: 100
      configurations for customers:
        missing values for distance: [999]`),
    want: [
      ['pass', 3.125],
      ['pass', -246],
      ['pass', 4],
      ['pass', 15],
    ],
  },
  // Soda's documentation ("Use quotes in a check"): double-quoted column names.
  quoted_identifiers: {
    yaml: 'checks for customers:\n  - missing_count("id") = 1\n  - duplicate_count("cat") = 1\n  - invalid_count("email") = 2:\n      valid format: email\n  - max_length("cat") = 6',
    want: [
      ['pass', 1],
      ['pass', 1],
      ['pass', 2],
      ['pass', 6],
    ],
  },
  test_duplicates_single_column: { yaml: 'checks for customers:\n  - duplicate_count(cat) = 1', want: [['pass', 1]] },
  test_duplicates_multiple_columns: { yaml: 'checks for customers:\n  - duplicate_count(cat, country) = 1', want: [['pass', 1]] },
  test_duplicates_with_filter: { yaml: "checks for customers:\n  - duplicate_count(cat) = 0:\n      filter: country = 'NL'", want: [['pass', 0]] },
};

describe.each(ENGINES)('Soda Core column-metric tests on %s', (engine) => {
  let db: LoadedDb;
  beforeAll(async () => {
    db = await loadSodaTables(engine);
  });
  afterAll(() => db?.cleanup());

  it.each(Object.keys(CASES))('%s', async (name) => {
    const { yaml, want } = CASES[name]!;
    const { results } = await sodaScan(db, yaml);
    const got = results.map((r, i) => (Array.isArray(want[i]) ? [r.outcome, r.value === null ? null : Math.round(r.value * 1e9) / 1e9] : r.outcome));
    expect({ got, errors: results.map((r) => r.error).filter(Boolean) }).toEqual({ got: want, errors: [] });
  });

  // test_default_invalid: no validity rule, so invalid_count is 0 (with Soda's warning) and
  // valid_count is the non-missing count. (The `${zero}` threshold is in sodaSuite.variables.)
  it('test_default_invalid', async () => {
    const { results, project } = await sodaScan(db, 'checks for customers:\n  - invalid_count(id) = 0\n  - valid_count(id) = 9');
    expect(project.diagnostics.map((x) => `${x.line}:${x.severity}: ${x.message}`)).toEqual([
      '2:warning: `invalid_count(id) = 0` has no validity rule (`valid …`/`invalid …` here or under `configurations for customers`): nothing counts as invalid, so it is always 0',
    ]);
    expect(results.map((r) => [r.outcome, r.value, r.message])).toEqual([
      ['pass', 0, NO_VALIDITY_RULE_NOTE],
      ['pass', 9, undefined],
    ]);
  });

  // Soda ignores a configuration for a column the dataset lacks; a typo must not turn a rule off unseen.
  it('reports a `configurations for` entry naming a column the dataset does not have', async () => {
    const { results } = await sodaScan(db, 'checks for customers:\n  - missing_count(id) = 1\nconfigurations for customers:\n  missing values for idd: [N/A]\n');
    expect(results.map((r) => [r.outcome, r.definition, r.error])).toEqual([
      ['pass', 'missing_count(id) = 1', undefined],
      ['error', 'missing values for idd', expect.stringMatching(/^column `idd` does not exist in dataset `customers`; did you mean `id`\?/)],
    ]);
  });

  // test_non_existing_format: Soda logs "Format non-existing is not supported"; here the check file is invalid.
  it('test_non_existing_format', async () => {
    await expect(sodaScan(db, 'checks for customers:\n  - invalid_count(email) = 2:\n      valid format: non-existing')).resolves.toMatchObject({
      results: [{ outcome: 'error', error: expect.stringMatching(/`valid format` .*non-existing/) }],
    });
  });
});
