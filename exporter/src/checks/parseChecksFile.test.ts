import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic } from '../diagnostics/diagnostic';
import type { Check, CheckSpec } from './model';
import { parseChecksFile, parseChecksText } from './parseChecksFile';

const FIXTURES = join(__dirname, 'fixtures/sodacl');
const errors = (text: string) => parseChecksText('checks.yml', text).diagnostics.filter((d) => d.severity === 'error');
const only = (text: string): Check => {
  const r = parseChecksText('checks.yml', text);
  expect(r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
  return r.document.sections[0]!.checks[0]!;
};
const spec = <K extends CheckSpec['kind']>(c: Check, kind: K) => {
  expect(c.spec.kind).toBe(kind);
  return c.spec as Extract<CheckSpec, { kind: K }>;
};

describe('real SodaCL files from Soda repositories', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.yml') && f !== 'sodacl-workshop__check-tests.yml');

  it.each(files)('%s parses without errors', (file) => {
    const r = parseChecksFile(join(FIXTURES, file));
    expect(r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
    expect(r.document.sections.length).toBeGreaterThan(0);
    for (const s of r.document.sections) for (const c of s.checks) expect(c.spec.kind).not.toBe('invalid');
  });

  it('the pre-3.0 workshop file yields one precise error per old spelling, and nothing else', () => {
    const file = join(FIXTURES, 'sodacl-workshop__check-tests.yml');
    const lines = readFileSync(file, 'utf8').split('\n');
    const r = parseChecksFile(file);
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    // Independently find every old spelling in the text: `count`, `missing(`, `invalid(`, `duplicates(`, `reference from`.
    const expected: string[] = [];
    lines.forEach((line, i) => {
      const m = /^\s*- (count\b|missing\(|invalid\(|duplicates\(|reference from|change (?:avg last 7 )?for count\b|missing values color)/.exec(line);
      if (!m) return;
      if (m[1] === 'missing values color') return expected.push(`${i + 1}:${line.indexOf('missing') + 1}`);
      const word = /count\b/.test(m[1]!) ? 'count' : m[1]!.replace(/\($/, '');
      expected.push(`${i + 1}:${line.indexOf(word === 'reference from' ? 'reference' : word) + 1}`);
    });
    expect(errs.map((e) => `${e.line}:${e.col}`)).toEqual(expected);
    for (const e of errs) expect(e.message).toMatch(/pre-3\.0 SodaCL spelling; SodaCL v3 (names it `(row_count|missing_count|invalid_count|duplicate_count)`|writes `values in|writes `missing values for color`)/);
    // Everything that is v3 in the file still parses: the schema check with all four keys, min/max/sum…
    const finance = r.document.sections.find((s) => s.dataset === 'fact_finance')!;
    const schema = spec(finance.checks.find((c) => c.definition === 'schema')!, 'schema');
    expect(Object.keys(schema.fail!).sort()).toEqual(['forbiddenColumnPresent', 'requiredColumnMissing', 'wrongColumnIndex', 'wrongColumnType']);
    expect(schema.warn!.wrongColumnIndex).toEqual({ date_key: 1 });
  });

  it('reads the advanced constructs: partitions, change, failed rows, cross-source row counts, for each', () => {
    const r = parseChecksFile(join(FIXTURES, 'data-council-workshop__02_advanced_and_cool.yml'));
    expect(r.document.filters).toEqual([expect.objectContaining({ dataset: 'ORDERS', partition: 'daily', where: "TIMESTAMP '${START}' <= created_at AND created_at < '${END}'" })]);
    const orders = r.document.sections.find((s) => s.dataset === 'ORDERS')!;
    expect(orders.partition).toBe('daily');
    expect(spec(orders.checks[1]!, 'metric').ref).toEqual({ metric: 'freshness', columns: ['created_at'], rules: {} });
    const customers = r.document.sections.find((s) => s.dataset === 'CUSTOMERS')!;
    expect(spec(customers.checks[1]!, 'change')).toMatchObject({ aggregation: 'avg', lastN: 7, of: { metric: 'row_count' } });
    expect(spec(customers.checks[2]!, 'failed_rows').condition).toBe("cat = 'HIGH' and size >= 3");
    expect(customers.checks[2]!.name).toBe('High customers must have size less than 3');
    expect(spec(customers.checks[3]!, 'row_count_same_as')).toEqual({ kind: 'row_count_same_as', other: 'CUSTOMERS_UPSTREAM', otherSource: 'other_workshop_ds' });
    expect(r.document.forEach[0]).toMatchObject({ include: ['CUSTOME%', 'ORDERS'], exclude: [] });
  });

  it('reads analyst constructs: percentile, reference, filtered valid_count, user metric with warn and fail', () => {
    const r = parseChecksFile(join(FIXTURES, 'data-council-workshop__03_analyst_use_cases.yml'));
    const [stddev, , , pct, ref, valid, user] = r.document.sections[0]!.checks;
    expect(stddev!.fail).toEqual({ threshold: { kind: 'between', low: 3.26, high: 3.27, lowInclusive: true, highInclusive: true, negated: false }, meaning: 'pass-when' });
    expect(spec(pct!, 'metric').ref).toEqual({ metric: 'percentile', columns: ['distance'], rank: 0.7, rules: {} });
    expect(spec(ref!, 'reference')).toEqual({ kind: 'reference', columns: ['country', 'zip'], other: 'ZIP_CODES', otherColumns: ['country', 'zip'], mustNotExist: false });
    expect(valid!.filter).toBe("cat = 'HIGH' and country = 'BE'");
    expect(spec(valid!, 'metric').ref.rules).toEqual({ validFormat: 'percentage', missingValues: ['No value', 'N/A', 'error'] });
    expect(spec(user!, 'user_metric')).toEqual({ kind: 'user_metric', metricName: 'size_dst', expression: 'ABS(AVG(size * distance))', query: undefined });
    expect(user!.warn?.threshold).toEqual({ kind: 'compare', op: '>', value: 1000000 });
    expect(user!.fail?.threshold).toEqual({ kind: 'compare', op: '>', value: 1500000 });
    expect(spec(r.document.sourceChecks[0]!, 'failed_rows').query).toMatch(/JOIN CUSTOMERS/);
  });
});

describe('check lines', () => {
  it('reads every comparison form as the pass condition of an inline threshold', () => {
    const c = only('checks for t:\n  - invalid_percent(amount) < 1%:\n      valid min: 0\n');
    expect(c.fail).toEqual({ threshold: { kind: 'compare', op: '<', value: 1 }, meaning: 'pass-when' });
    expect(c.unit).toBe('percent');
    expect(spec(c, 'metric').ref.rules).toEqual({ validMin: 0 });
  });

  it('reads reference checks that must not exist', () => {
    const c = only('checks for t:\n  - values in (a, b) must not exist in blocked (x, y)\n');
    expect(spec(c, 'reference')).toMatchObject({ columns: ['a', 'b'], otherColumns: ['x', 'y'], mustNotExist: true });
  });

  it('reads `incremental: sketch` on percentile checks only, and names what it refuses', () => {
    expect(only('checks for t:\n  - percentile(amount, 0.9) > 0:\n      incremental: sketch\n').incremental).toBe('sketch');
    expect(errors('checks for t:\n  - avg(amount) > 0:\n      incremental: sketch\n').map(formatDiagnostic)).toEqual([expect.stringMatching(/checks\.yml:3:7: `incremental` has no effect on `avg`: only a `percentile`/)]);
    expect(errors('checks for t:\n  - duplicate_count(id) = 0:\n      incremental: key index\n').map(formatDiagnostic)).toContainEqual(expect.stringMatching(/checks\.yml:3:20: `incremental: key index` is not supported/));
  });

  it('reads `incremental: key_index` on duplicate checks only, and names what each check allows', () => {
    expect(only('checks for t:\n  - duplicate_count(id) = 0:\n      incremental: key_index\n').incremental).toBe('key_index');
    expect(only('checks for t:\n  - duplicate_percent(id, country) < 1%:\n      incremental: key_index\n      filter: amount > 0\n').incremental).toBe('key_index');
    expect(errors('checks for t:\n  - duplicate_count(id) = 0:\n      incremental: sketch\n').map(formatDiagnostic)).toEqual([
      expect.stringMatching(/checks\.yml:3:20: `incremental: sketch` is not supported on `duplicate_count\(id\) = 0`: duplicates take `incremental: key_index`/),
    ]);
    expect(errors('checks for t:\n  - percentile(amount, 0.5) > 0:\n      incremental: key_index\n').map(formatDiagnostic)).toEqual([
      expect.stringMatching(/checks\.yml:3:20: `incremental: key_index` is not supported on `percentile\(amount, 0\.5\) > 0`: a percentile takes `incremental: sketch`/),
    ]);
    expect(errors('checks for t:\n  - missing_count(id) = 0:\n      incremental: key_index\n').map(formatDiagnostic)).toEqual([
      expect.stringMatching(/checks\.yml:3:7: `incremental` has no effect on `missing_count`: only a `percentile` \(`incremental: sketch`\) or a `duplicate_count`\/`duplicate_percent` \(`incremental: key_index`\)/),
    ]);
  });

  it('reads name and attributes', () => {
    const c = only('checks for t:\n  - row_count > 0:\n      name: Rows arrived\n      attributes: {owner: payments, tier: 1}\n');
    expect(c.name).toBe('Rows arrived');
    expect(c.definition).toBe('row_count > 0');
    expect(c.attributes).toEqual({ owner: 'payments', tier: 1 });
  });

  it('keeps warn and fail conditions apart, in the metric units', () => {
    const c = only('checks for t:\n  - freshness(ts):\n      warn: when > 1h\n      fail: when > 1d6h\n');
    expect(c.warn?.threshold).toEqual({ kind: 'compare', op: '>', value: 3600 });
    expect(c.fail?.threshold).toEqual({ kind: 'compare', op: '>', value: 108000 });
  });

  it('keeps checks that use variables as templates, bound at scan time', () => {
    const c = only('checks for ${T}:\n  - invalid_count(${COL}) between ${LOW} and ${HIGH}%:\n      valid format: email\n      warn: when > ${W}\n');
    expect(c.template).toEqual({ line: 'invalid_count(${COL}) between ${LOW} and ${HIGH}%', warn: 'when > ${W}' });
    expect(spec(only('checks for t:\n  - freshness(ts) < ${AGE}\n'), 'metric').ref.columns).toEqual(['ts']);
    expect(errors('checks for t:\n  - invalid_count(a) = 0:\n      valid values: ["${X}"]\n')[0]!.message).toBe('`valid values` takes literal values: variables are not substituted in it (nor by Soda Core)');
  });

  it('reads freshness against a named variable, in both spellings', () => {
    expect(spec(only('checks for t:\n  - freshness(ts, END_TIME) < 1d\n'), 'metric').ref).toEqual({ metric: 'freshness', columns: ['ts'], nowVariable: 'END_TIME', rules: {} });
    const r = parseChecksText('c.yml', 'checks for t:\n  - freshness using ts with END_TIME < 1d\n');
    expect(spec(r.document.sections[0]!.checks[0]!, 'metric').ref).toMatchObject({ columns: ['ts'], nowVariable: 'END_TIME' });
    expect(r.diagnostics.map((d) => d.message)).toEqual(['`freshness using ts with END_TIME` is deprecated; write `freshness(ts, END_TIME)`']);
    expect(errors('checks for t:\n  - freshness(ts, 1) < 1d\n')[0]!.message).toMatch(/^`freshness` takes a column and optionally the name of the variable/);
  });

  it('reads partitions with and without brackets, on headers and on the other side of row_count same as', () => {
    const r = parseChecksText('c.yml', 'filter t daily-ref:\n  where: a > 0\nchecks for t daily-ref:\n  - row_count same as raw [daily]\n  - row_count same as raw daily-ref in other_ds\n  - row_count same as raw in other_ds\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.document.filters[0]).toMatchObject({ dataset: 't', partition: 'daily-ref' });
    expect(r.document.sections[0]!.partition).toBe('daily-ref');
    expect(r.document.sections[0]!.checks.map((c) => c.spec)).toEqual([
      { kind: 'row_count_same_as', other: 'raw', otherPartition: 'daily' },
      { kind: 'row_count_same_as', other: 'raw', otherPartition: 'daily-ref', otherSource: 'other_ds' },
      { kind: 'row_count_same_as', other: 'raw', otherSource: 'other_ds' },
    ]);
  });

  it('points at the exact token of a bad threshold', () => {
    const [e] = errors('checks for t:\n  - row_count > lots\n');
    expect(formatDiagnostic(e!)).toBe('checks.yml:2:17: expected a number, found `lots`');
  });

  it('names accepted metrics for an unknown one, at its position', () => {
    const [e] = errors('checks for t:\n  - row_count > 0\n  - avrg(amount) > 3\n');
    expect(e).toMatchObject({ line: 3, col: 5 });
    expect(e!.message).toMatch(/^unknown metric `avrg`; accepted: row_count, missing_count/);
  });

  it('suggests the closest key for a misspelt configuration key', () => {
    const [e] = errors('checks for t:\n  - invalid_count(email) = 0:\n      valid fromat: email\n');
    expect(e).toMatchObject({ line: 3, col: 7 });
    expect(e!.message).toMatch(/unknown check configuration key `valid fromat`; did you mean `valid format`\?/);
  });

  it('refuses missing/validity keys on checks they cannot change, naming the key', () => {
    expect(errors('checks for t:\n  - duplicate_count(a) = 0:\n      valid min: 0\n').map(formatDiagnostic)).toEqual([
      'checks.yml:3:7: `valid min` has no effect on `duplicate_count`: it only applies to missing, validity, numeric, length, percentile and outlier metrics',
    ]);
    expect(errors('checks for t:\n  - missing_count(a) = 0:\n      include null: true\n')[0]!.message).toMatch(/^`include null` has no effect on `missing_count`: it only applies to `valid_count`\/`invalid_count`/);
    expect(errors('checks for t:\n  - failed rows:\n      fail condition: a < 0\n      missing values: [0]\n')[0]!.message).toMatch(/^`missing values` has no effect on a failed rows check/);
    expect(errors('checks for t:\n  - avg(a) > 0:\n      valid min: 0\n  - invalid_percent(a) < 5:\n      valid min: 0\n      include null: true\n')).toEqual([]);
  });

  it('lists accepted valid formats for an unknown one', () => {
    const [e] = errors('checks for t:\n  - invalid_count(email) = 0:\n      valid format: e-mail\n');
    expect(e).toMatchObject({ line: 3, col: 21 });
    expect(e!.message).toMatch(/did you mean `email`\?.*`date iso 8601`/);
  });

  it('requires a definition for user metrics', () => {
    const [e] = errors('checks for t:\n  - size_dst > 3\n');
    expect(e!.message).toMatch(/`size_dst` is not a built-in metric; define it with `size_dst expression: <SQL aggregate>`/);
  });

  it('requires a threshold for metric checks', () => {
    const [e] = errors('checks for t:\n  - row_count\n');
    expect(e!.message).toMatch(/`row_count` needs a threshold/);
  });

  it('points inside a fail: condition', () => {
    const [e] = errors('checks for t:\n  - row_count:\n      fail: when >> 3\n');
    expect(e).toMatchObject({ line: 3, col: 19 });
    expect(e!.message).toMatch(/^in `fail:`: expected a number, found `>`/);
  });

  it('keeps other checks when one is invalid, and marks the bad one for an error outcome', () => {
    const r = parseChecksText('checks.yml', 'checks for t:\n  - row_count > 0\n  - nonsense here\n  - missing_count(a) = 0\n');
    const kinds = r.document.sections[0]!.checks.map((c) => c.spec.kind);
    expect(kinds).toEqual(['metric', 'invalid', 'metric']);
  });
});

describe('file structure', () => {
  it('reports malformed YAML as file:line:col', () => {
    const r = parseChecksText('bad.yml', 'checks for t:\n  - row_count > 0\n    - oops: [\n');
    expect(r.diagnostics[0]).toMatchObject({ file: 'bad.yml', severity: 'error' });
    expect(formatDiagnostic(r.diagnostics[0]!)).toMatch(/^bad\.yml:\d+:\d+: invalid YAML: /);
  });

  it('reports duplicate keys', () => {
    const r = parseChecksText('dup.yml', 'checks for t:\n  - row_count > 0\nchecks for t:\n  - row_count > 1\n');
    expect(r.diagnostics[0]).toMatchObject({ line: 3, col: 1, severity: 'error' });
  });

  it('names accepted sections for an unknown one', () => {
    const [e] = errors('check for t:\n  - row_count > 0\n');
    expect(e).toMatchObject({ line: 1, col: 1 });
    expect(e!.message).toMatch(/unknown section `check for t`; accepted: `checks for <dataset>`/);
  });

  it('normalises the PRD short format into the same model, its schema list naming required columns', () => {
    const short = parseChecksText('s.yml', 'table: transactions\nchecks:\n  - row_count > 0\n  - schema:\n      - name: user_id\n        type: integer\n      - name: amount\n        type: decimal\n');
    const long = parseChecksText('l.yml', 'checks for transactions:\n  - row_count > 0\n');
    expect(short.diagnostics).toEqual([]);
    const [a, schema] = short.document.sections[0]!.checks;
    expect(short.document.sections[0]!.dataset).toBe('transactions');
    expect({ ...a, id: '', location: undefined }).toEqual({ ...long.document.sections[0]!.checks[0], id: '', location: undefined });
    expect(spec(schema!, 'schema').fail).toEqual({ listedColumns: [{ name: 'user_id', type: 'integer' }, { name: 'amount', type: 'decimal' }] });
  });

  it('reads `<key> for <column>` entries of configurations for a dataset, in map and list form', () => {
    const map = parseChecksText('c.yml', 'configurations for t:\n  missing values for color: [NA]\n  valid format for email: email\n  valid min length for "Name": 2\n  include null for email: true\n');
    expect(map.diagnostics).toEqual([]);
    expect(map.document.configurations[0]!.columns).toEqual({ color: { missingValues: ['NA'] }, email: { validFormat: 'email', includeNull: true }, '"Name"': { validMinLength: 2 } });
    const list = parseChecksText('c.yml', 'configurations for t:\n  - missing values for color: [NA]\n');
    expect(list.document.configurations[0]!.columns).toEqual({ color: { missingValues: ['NA'] } });
  });

  it('points at a pre-3.0 configuration key and at an unknown one', () => {
    const r = parseChecksText('c.yml', 'configurations for t:\n  missing values color: [NA]\n  valid fromat for email: email\n');
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'c.yml:2:3: `missing values color` is a pre-3.0 SodaCL spelling; SodaCL v3 writes `missing values for color`',
      expect.stringMatching(/^c\.yml:3:3: unknown configuration `valid fromat` in a `configurations for` entry \(`<key> for <column>`\); did you mean `valid format`\?/),
    ]);
  });

  it('refuses Soda Cloud and Soda Library sections by name rather than ignoring them', () => {
    const r = parseChecksText('c.yml', 'automated monitoring:\n  datasets: [include %]\nprofile columns:\n  columns: [t.%]\nfor each column C:\n  checks: []\nchecks for t:\n  - row_count > 0\n');
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'c.yml:1:1: `automated monitoring` is a Soda Cloud feature; DataTrust-Light does not run it',
      'c.yml:3:1: `profile columns` is a Soda Cloud feature (column profiling); DataTrust-Light does not run it',
      'c.yml:5:1: `for each column C` is not supported: write the checks per column; DataTrust-Light does not run it',
    ]);
    expect(r.document.sections[0]!.checks).toHaveLength(1);
  });

  it('names Soda check kinds and keys it does not run', () => {
    const r = parseChecksText('c.yml', 'checks for t:\n  - group by:\n      query: SELECT 1\n  - change same day last week for row_count > 0\n  - anomaly detection for row_count:\n      model: {}\n');
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'c.yml:2:5: `group by` checks are not supported; write one check per group with `filter:`',
      'c.yml:4:5: `change same day last week` is not supported; use `change [avg|min|max last N] for …`',
      "c.yml:6:7: `model`: Soda Scientific's Prophet settings are not supported: DataTrust-Light's seasonal detector is tuned with `sensitivity`, `seasonality` and `min_history`",
    ]);
  });

  it('reads the anomaly keys into the check, Soda\'s with their Soda meaning', () => {
    const r = parseChecksText('c.yml', 'checks for t:\n  - anomaly detection for row_count:\n      sensitivity: 4\n      min_history: 14\n      seasonality: day_of_week\n      warn_only: true\n      alert_directionality: lower_bound_only\n      training_dataset_parameters:\n        window_length: 300\n        frequency: auto\n        auto_exclude_anomalies: false\n');
    expect(r.diagnostics).toEqual([]);
    const check = r.document.sections[0]!.checks[0]!;
    expect(check.spec).toMatchObject({ kind: 'anomaly', settings: { sensitivity: 4, minHistory: 14, seasonality: 'day_of_week', warnOnly: true, direction: 'lower', windowLength: 300, excludeAnomalies: false } });
    // warn_only: the band warns, never fails.
    expect(check.fail).toBeUndefined();
    expect(check.warn).toEqual({ threshold: { kind: 'compare', op: '>', value: 4 }, meaning: 'outcome-when' });
  });

  it('names anomaly keys it cannot honour, and anomaly keys on other checks, where they are written', () => {
    const r = parseChecksText('c.yml', 'checks for t:\n  - anomaly detection for row_count:\n      seasonality: monthly\n      training_dataset_parameters:\n        frequency: D\n        windw_length: 5\n  - anomaly detection for row_count:\n      warn_only: true\n      fail: when > 5\n  - row_count > 0:\n      sensitivity: 2\n');
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'c.yml:3:20: `seasonality` must be one of `auto`, `none`, `hour_of_day`, `day_of_week`, found `monthly`',
      'c.yml:5:20: `training_dataset_parameters.frequency`: only `auto` is supported: each scan is one point and the seasonality is detected from their times (`seasonality:` sets it)',
      'c.yml:6:9: unknown `training_dataset_parameters` key `windw_length`; did you mean `window_length`? Accepted: `window_length`, `auto_exclude_anomalies`, `frequency`, `aggregation_function`',
      'c.yml:9:13: `warn_only: true` and `fail:` contradict each other: with `warn_only` the check never fails',
      'c.yml:11:7: `sensitivity` has no effect on `row_count`: it configures `anomaly detection for …` checks',
    ]);
  });

  it('rejects a `window_length` or `min_history` the detector could never use, naming the key and the limit', () => {
    const r = parseChecksText('c.yml', 'checks for t:\n  - anomaly detection for row_count:\n      training_dataset_parameters:\n        window_length: 5000\n  - anomaly detection for row_count:\n      min_history: 500\n  - anomaly detection for row_count:\n      min_history: 40\n      training_dataset_parameters: {window_length: 30}\n  - anomaly detection for row_count:\n      min_history: 2\n');
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'c.yml:4:24: `training_dataset_parameters.window_length` must be at most 400, found 5000: the detector trains on at most the 400 latest points (its tuned cap), so more would be ignored',
      'c.yml:6:20: `min_history` must be at most 400 (the most points the detector trains on), found 500: the check could never be evaluated',
      'c.yml:8:20: `min_history` must be at most `training_dataset_parameters.window_length` (30), found 40: the check could never be evaluated',
      'c.yml:11:20: `min_history` must be a whole number ≥ 3, found `2`',
    ]);
  });

  it('trains on 400 points by default, and lowers the default min_history to a smaller window_length', () => {
    const r = parseChecksText('c.yml', 'checks for t:\n  - anomaly detection for row_count\n  - anomaly detection for row_count:\n      training_dataset_parameters: {window_length: 3}\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.document.sections[0]!.checks.map((c) => c.spec)).toMatchObject([{ settings: { windowLength: 400, minHistory: 5 } }, { settings: { windowLength: 3, minHistory: 3 } }]);
  });

  it('takes `outlier method`/`outlier k` on outlier metrics only, and names a method it does not know', () => {
    const r = parseChecksText('c.yml', 'checks for t:\n  - outlier_percent(amount) < 1:\n      outlier method: mean_stddev\n      outlier k: 4\n  - avg(amount) > 0:\n      outlier k: 2\n  - outlier_count(amount) = 0:\n      outlier method: iqr\n');
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'c.yml:6:7: `outlier k` has no effect on `avg`: it only applies to `outlier_count`/`outlier_percent`',
      'c.yml:8:23: `outlier method` is `iqr`. Accepted: `median_mad`, `mean_stddev`',
    ]);
    expect(r.document.sections[0]!.checks[0]!.spec).toMatchObject({ kind: 'metric', ref: { metric: 'outlier_percent', rules: { outlierMethod: 'mean_stddev', outlierK: 4 } } });
  });

  it('gives a section\'s `- attributes:` item to every check of the section, over their own', () => {
    const r = parseChecksText('c.yml', 'checks for t:\n  - row_count > 0:\n      attributes: {owner: me, tier: 2}\n  - attributes: {owner: payments}\n  - missing_count(a) = 0\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.document.sections[0]!.checks.map((c) => c.attributes)).toEqual([{ owner: 'payments', tier: 2 }, { owner: 'payments' }]);
  });
});

describe('input that used to stall or crash the parser', () => {
  it('refuses a long run of `[` at once, at its position (152,000 took 40 s and 538 MB)', () => {
    const started = Date.now();
    expect(errors(`checks for t:\n  - row_count > ${'['.repeat(60_000)}\n`).map(formatDiagnostic)).toEqual(['checks.yml:2:80: YAML nested deeper than 64 levels; flatten it']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports deep nesting with a message, not "Maximum call stack size exceeded"', () => {
    const deep = `checks for t:\n${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i + 2)}- a:`).join('\n')}\n`;
    expect(errors(deep).map((d) => d.message)).toEqual(['YAML nested deeper than 64 levels; flatten it']);
  });
});
