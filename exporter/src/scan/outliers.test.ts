/**
 * `outlier_count` / `outlier_percent`: rows whose value lies more than k spreads from the
 * column's center, median and MAD by default, mean and standard deviation on request; the
 * same counts on both engines, with failed-row samples that really are outliers.
 */
import { ENGINES, loadDb, type LoadedDb, scan, type TableSpec, writeProject } from '../testing/semanticFixture';
import type { CheckResult } from './result';

/** 200 readings around 50 (45–55), plus four wild ones, three NULLs and a `-1` sentinel for missing. */
const normal = Array.from({ length: 200 }, (_, i) => 45 + ((i * 37) % 11));
const wild = [120, 400, -250, 95];
const values: (number | null)[] = [...normal, ...wild, null, null, null, -1];
const READINGS: TableSpec = {
  name: 'readings',
  columns: [
    { name: 'id', type: 'INTEGER' },
    { name: 'reading', type: 'DOUBLE PRECISION' },
  ],
  rows: values.map((v, i) => [i + 1, v]),
};

/** The oracle: center and spread as the SQL computes them (PERCENTILE_DISC medians, population SD). */
function outliers(xs: number[], method: 'median_mad' | 'mean_stddev', k: number): number[] {
  const disc = (v: number[]) => [...v].sort((a, b) => a - b)[Math.ceil(v.length / 2) - 1]!;
  let center: number;
  let spread: number;
  if (method === 'median_mad') {
    center = disc(xs);
    spread = 1.4826 * disc(xs.map((x) => Math.abs(x - center)));
  } else {
    center = xs.reduce((a, b) => a + b, 0) / xs.length;
    spread = Math.sqrt(xs.reduce((a, x) => a + (x - center) ** 2, 0) / xs.length);
  }
  return xs.filter((x) => spread > 0 && Math.abs(x - center) > k * spread);
}
const present = values.filter((v): v is number => v !== null);
const withoutSentinel = present.filter((v) => v !== -1);

const CHECKS = [
  'outlier_count(reading) = 0',
  { 'outlier_count(reading) = 0': { 'outlier method': 'mean_stddev' } },
  { 'outlier_count(reading) = 0': { 'outlier k': 40 } },
  { 'outlier_percent(reading) < 1': { 'missing values': [-1], 'samples limit': 2 } },
  { 'outlier_count(reading) = 0': { 'outlier method': 'mean_stddev', 'outlier k': 0.5, filter: 'id > 200' } },
];

describe.each(ENGINES)('row-level outliers on %s', (engine) => {
  let db: LoadedDb;
  let checks: CheckResult[];

  beforeAll(async () => {
    db = await loadDb(engine, [READINGS]);
    const project = writeProject(db, { checks: { readings: CHECKS }, datasets: { readings: { table: 'readings' } } });
    checks = (await scan(project)).checks('readings');
  });
  afterAll(() => db?.cleanup());

  it('counts values beyond 3 robust standard deviations of the median, NULLs left out, with samples of them', () => {
    const expected = outliers(present, 'median_mad', 3);
    // The wild values and the -1 sentinel, nothing of the 45–55 bulk.
    expect([...expected].sort((a, b) => a - b)).toEqual([-250, -1, 95, 120, 400]);
    expect(checks[0]).toMatchObject({ outcome: 'fail', value: expected.length, metricKey: 'outlier_count(reading)' });
    const col = checks[0]!.samples!.columns.indexOf('reading');
    expect(checks[0]!.samples!.rows.map((r) => Number(r[col])).sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
  });

  it('with `outlier method: mean_stddev`, the wild values inflate the spread and hide all but the wildest', () => {
    const expected = outliers(present, 'mean_stddev', 3);
    expect(expected).toEqual([400, -250]);
    expect(checks[1]).toMatchObject({ outcome: 'fail', value: 2 });
  });

  it('`outlier k` widens the band', () => {
    expect(checks[2]).toMatchObject({ outcome: 'fail', value: outliers(present, 'median_mad', 40).length });
    expect(checks[2]!.value).toBe(2);
  });

  it('`outlier_percent` is of all rows; missing values stay out of the statistics, and samples keep their limit', () => {
    const expected = outliers(withoutSentinel, 'median_mad', 3);
    expect(checks[3]!.outcome).toBe('fail');
    expect(checks[3]!.value).toBeCloseTo((expected.length * 100) / values.length, 6);
    expect(checks[3]!.samples!.rows).toHaveLength(2);
  });

  it('reads only the filtered rows', () => {
    const filtered = values.slice(200).filter((v): v is number => v !== null);
    expect(checks[4]).toMatchObject({ value: outliers(filtered, 'mean_stddev', 0.5).length });
  });
});
