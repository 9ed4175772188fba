/**
 * Variables and NOW as Soda Core v3.5 uses them (soda/core/tests/data_source/test_vars,
 * test_freshness, test_count, test_invalid, test_user_defined_*), ported onto Soda's own
 * customers table: `${VAR}` in headers, names, thresholds (numbers and durations), filters and
 * SQL; `NOW` given with `-v` or under `variables:` is the time freshness is measured against;
 * `freshness(col, VAR)` measures against another variable.
 */
import type { Outcome } from '../checks/outcome';
import { ENGINES, type LoadedDb } from '../testing/semanticFixture';
import { loadSodaTables, sodacl, sodaScan } from '../testing/sodaCustomers';

type Want = Outcome | [Outcome, number];

interface Case {
  yaml: string;
  variables?: Record<string, string>;
  want: Want[];
}

const H = 3600;
/** Newest `ts` is 2020-06-24 00:04:10 UTC; newest `date_updated` is 2020-06-24. */
const CASES: Record<string, Case> = {
  test_freshness_without_table_filter: { yaml: 'checks for customers:\n  - freshness(ts) < 1d', variables: { NOW: '2020-06-24 01:00:00' }, want: [['pass', 55 * 60 + 50]] },
  test_freshness_timezones_input_no_tz: {
    yaml: 'checks for customers:\n  - freshness(ts) < 1d\n  - freshness(ts_with_tz) < 1d',
    variables: { NOW: '2020-06-25 00:00:00' },
    want: [
      ['pass', 24 * H - 250],
      ['pass', 24 * H - 250],
    ],
  },
  test_freshness_timezones_input_with_tz: { yaml: 'checks for customers:\n  - freshness(ts_with_tz) < 1d', variables: { NOW: '2020-06-25 01:00:00+01:00' }, want: [['pass', 24 * H - 250]] },
  test_freshness_timezones_no_input: { yaml: 'checks for customers:\n  - freshness(ts) < 10000d\n  - freshness(ts_with_tz) < 10000d', want: ['pass', 'pass'] },
  test_fail_freshness_timezones_input_user_var: {
    yaml: 'checks for customers:\n  - freshness(ts, CUSTOM_USER_VAR) < 1d\n  - freshness(ts_with_tz, CUSTOM_USER_VAR) < 1d',
    variables: { CUSTOM_USER_VAR: '2020-06-25 02:00:00+01:00' },
    want: [
      ['fail', 25 * H - 250],
      ['fail', 25 * H - 250],
    ],
  },
  test_freshness_warning: { yaml: 'checks for customers:\n  - freshness(ts):\n      warn: when > 6h\n      fail: when > 24h', variables: { NOW: '2020-06-25 00:00:00' }, want: ['warn'] },
  test_freshness_with_table_filter: {
    yaml: sodacl(`
      filter customers [daily]:
        where: TIMESTAMP '\${START_TIME}' <= ts AND ts < TIMESTAMP '\${END_TIME}'

      checks for customers [daily]:
        - freshness(ts, END_TIME):
            fail: when > 24h
            warn: when < 23h`),
    variables: { START_TIME: '2020-06-23 00:00:00', END_TIME: '2020-06-24 00:00:00' },
    want: [['pass', 24 * H - 310]],
  },
  test_freshness_no_rows: {
    yaml: "filter customers [empty]:\n  where: 'FALSE'\n\nchecks for customers [empty]:\n  - freshness(ts, END_TIME):\n      fail: when > 24h\n      warn: when < 23h",
    variables: { END_TIME: '2020-06-24 00:00:00' },
    want: ['fail'],
  },
  test_freshness_with_check_filter: {
    yaml: sodacl(`
      checks for customers:
        - freshness(ts, END_TIME):
            fail: when > 24h
            warn: when < 23h
            filter: TIMESTAMP '\${START_TIME}' <= ts AND ts < TIMESTAMP '\${END_TIME}'`),
    variables: { START_TIME: '2020-06-23 00:00:00', END_TIME: '2020-06-24 00:00:00' },
    want: [['pass', 24 * H - 310]],
  },
  test_freshness_check_filter_no_rows: { yaml: "checks for customers:\n  - freshness(ts, END_TIME) < 24h:\n      filter: 'FALSE'", variables: { END_TIME: '2020-06-24 00:00:00' }, want: ['fail'] },
  // A DATE's newest day lasts until 23:59:59.999999: 2020-06-24 is 12h old at noon on the 25th.
  test_freshness_with_date: { yaml: 'checks for customers:\n  - freshness(date_updated) < 1d', variables: { NOW: '2020-06-25 12:00:00' }, want: [['pass', 12 * H + 1e-6]] },
  test_freshness_mixed_threshold_dh: { yaml: 'checks for customers:\n  - freshness(ts) < 1d1h', variables: { NOW: '2020-06-24 01:00:00' }, want: ['pass'] },
  test_freshness_mixed_threshold_hm: { yaml: 'checks for customers:\n  - freshness(ts) < 24h10m', variables: { NOW: '2020-06-24 01:00:00' }, want: ['pass'] },
  test_freshness_variable_in_threshold: { yaml: 'checks for customers:\n  - freshness(ts) < ${threshold}\n  - freshness(ts):\n      fail: when > ${threshold}', variables: { threshold: '1h' }, want: ['fail', 'fail'] },
  test_row_count_thresholds_with_variables: { yaml: 'checks for customers:\n  - row_count > ${nine}', variables: { nine: '9' }, want: [['pass', 10]] },
  test_row_count_between_thresholds_with_variables: {
    yaml: 'checks for customers:\n  - row_count between ${row_count_min} and ${row_count_max}',
    variables: { row_count_min: '9', row_count_max: '11' },
    want: [['pass', 10]],
  },
  test_default_invalid: { yaml: 'checks for customers:\n  - invalid_count(id) = ${zero}\n  - valid_count(id) = 9', variables: { zero: '0' }, want: [['pass', 0], ['pass', 9]] },
  test_user_defined_table_expression_metric_check_with_variables: {
    yaml: 'checks for customers:\n  - avg_surface between 1068 and 1069:\n      avg_surface expression: AVG(cst_size * ${dist})',
    variables: { dist: 'distance' },
    want: ['pass'],
  },
  test_failed_rows_table_query_with_variables: {
    yaml: 'checks for customers:\n  - failed rows:\n      name: Customers must have cst_size\n      fail query: |\n        SELECT * FROM {customers} WHERE cst_size < ${size_count}',
    variables: { size_count: '0' },
    want: [['fail', 3]],
  },
  // Ours: a column, a threshold written with %, a dataset in a reference check, all from variables.
  variables_in_check_lines: {
    yaml: sodacl(`
      checks for \${T}:
        - missing_percent(\${COL}) = \${PCT}%
        - values in (customer_id_ok) must exist in \${OTHER} (\${KEY})
        - invalid_count(\${COL}):
            valid format: uuid
            warn: when > \${LIMIT}
            fail: when > 100`),
    variables: { T: 'orders', COL: 'id', PCT: '14.285714285714286', OTHER: 'customers', KEY: 'id', LIMIT: '5' },
    want: [['pass', 100 / 7], ['pass', 0], ['warn', 6]],
  },
};

describe.each(ENGINES)('Soda Core variable and NOW tests on %s', (engine) => {
  let db: LoadedDb;
  beforeAll(async () => {
    db = await loadSodaTables(engine);
  });
  afterAll(() => db?.cleanup());

  it.each(Object.keys(CASES))('%s', async (name) => {
    const { yaml, variables, want } = CASES[name]!;
    const { results } = await sodaScan(db, yaml.replace(/\{customers\}/g, `${db.schema}.customers`), variables ? { variables } : {});
    const got = results.map((r, i) => (Array.isArray(want[i]) ? [r.outcome, r.value === null ? null : Math.round(r.value * 1e6) / 1e6] : r.outcome));
    const rounded = want.map((w) => (Array.isArray(w) ? [w[0], Math.round(w[1] * 1e6) / 1e6] : w));
    expect({ got, errors: results.map((r) => r.error).filter(Boolean) }).toEqual({ got: rounded, errors: [] });
  });

  it('test_vars_in_check: the header, name and filter take their variables', async () => {
    const { results } = await sodaScan(db, "checks for ${TABLE_NAME}:\n  - row_count > 0:\n      name: testing name ${NAME}\n      filter: ${COLUMN} = '${VALUE}'", {
      variables: { TABLE_NAME: 'customers', NAME: 'something', COLUMN: 'country', VALUE: 'BE' },
    });
    expect(results).toEqual([expect.objectContaining({ name: 'testing name something', definition: 'row_count > 0', outcome: 'pass', value: 6 })]);
  });

  it('test_vars_in_foreach_name: `${D}` is the dataset of `for each dataset D`', async () => {
    const { results } = await sodaScan(db, 'for each dataset D:\n  datasets:\n    - include customers\n  checks:\n    - row_count > 1:\n        name: Row count in ${D} must be positive');
    expect(results.map((r) => [r.name, r.outcome])).toEqual([['Row count in customers must be positive', 'pass']]);
  });

  it('test_fail_freshness_var_missing: an undefined "now" variable is an error naming it', async () => {
    const { results } = await sodaScan(db, 'checks for customers:\n  - freshness(ts, CUSTOM_USER_VAR) < 1d');
    expect(results).toEqual([expect.objectContaining({ outcome: 'error', error: expect.stringMatching(/variable `CUSTOM_USER_VAR`, which is not defined; pass `-v CUSTOM_USER_VAR=/) })]);
  });

  it('NOW from the file, overridden by -v, is the scan time freshness uses; the threshold text shows resolved values', async () => {
    const yaml = 'variables:\n  NOW: 2020-06-24 01:00:00\n  DAY: 1d\nchecks for customers:\n  - freshness(ts) < ${DAY}';
    const fromFile = await sodaScan(db, yaml);
    expect(fromFile.results).toEqual([expect.objectContaining({ outcome: 'pass', value: 55 * 60 + 50, threshold: { fail: 'when >= 1d' } })]);
    const overridden = await sodaScan(db, yaml, { variables: { NOW: '2020-06-26T00:04:10Z' } });
    expect(overridden.results).toEqual([expect.objectContaining({ outcome: 'fail', value: 2 * 86_400 })]);
    const badNow = await sodaScan(db, yaml, { variables: { NOW: 'yesterday' } });
    expect(badNow.results[0]).toMatchObject({ outcome: 'error', error: expect.stringMatching(/variable `NOW` = `yesterday` is not a timestamp/) });
  });

  it('a variable of `variables:` may use another, and an undefined one fails its check by name', async () => {
    const { results } = await sodaScan(db, 'variables:\n  LOW: 9\n  HIGH: ${LOW}1\nchecks for customers:\n  - row_count between ${LOW} and ${HIGH}\n  - row_count > ${MISSING}:\n      name: needs ${ALSO_MISSING}');
    expect(results.map((r) => [r.outcome, r.threshold, r.error])).toEqual([
      ['pass', { fail: 'when not between 9 and 91' }, undefined],
      ['error', {}, 'the check `row_count > ${MISSING}` uses undefined variables ${ALSO_MISSING}, ${MISSING}; define them under `variables:` or pass `-v ALSO_MISSING=…`'],
    ]);
  });
});
