import type { CheckResult } from '../scan/result';
import { validateEvent } from '../openlineage/validateEvent';
import { qualityEvents, scanRunId } from './qualityEvents';

const check = (over: Partial<CheckResult>): CheckResult => ({ id: 'c.yml:1:1', name: 'n', definition: 'd', outcome: 'pass', value: 0, threshold: { fail: 'when > 0' }, ...over });

const scan = {
  scanId: 'scan-42',
  dataset: 'raw_transactions',
  identity: { namespace: 'duckdb://data/demo.duckdb', name: 'demo.main.raw_transactions' },
  startedAt: '2026-11-30T01:00:00.000Z',
  finishedAt: '2026-11-30T01:00:02.000Z',
  checks: [
    check({ name: 'Every transaction has a customer', definition: 'missing_count(user_id) = 0', outcome: 'fail', value: 400, metricKey: 'missing_count(user_id)' }),
    check({ name: 'row_count > 0', definition: 'row_count > 0', value: 650000, threshold: { fail: 'when <= 0' }, metricKey: 'row_count' }),
    check({ name: 'phones', definition: 'invalid_percent(phone) < 5%', outcome: 'warn', value: 0.8, threshold: { warn: 'when > 0.5' }, metricKey: 'invalid_percent(phone) {"validFormat":"phone number"}' }),
    check({ name: 'Extract is running', definition: 'freshness(created_at) < 1h', value: 120, threshold: { fail: 'when >= 3600' }, metricKey: 'freshness(created_at)' }),
    check({ name: 'history', definition: 'change for row_count < 10%', outcome: 'not_evaluated', value: null }),
  ],
  measurements: { 'missing_count(user_id)': 400, row_count: 650000, 'min(amount)': -3, 'max(amount)': 99, 'percentile(amount, 0.95)': 80, 'invalid_percent(phone) {"validFormat":"phone number"}': 0.8 },
};

describe('qualityEvents', () => {
  const [start, end] = qualityEvents(scan, 'datatrust');

  test('a scan is a START and a COMPLETE of datatrust.scan.<dataset> reading the dataset, valid against the official schemas', () => {
    expect(start).toMatchObject({ eventType: 'START', eventTime: scan.startedAt, job: { namespace: 'datatrust', name: 'datatrust.scan.raw_transactions' }, inputs: [scan.identity] });
    expect(end).toMatchObject({ eventType: 'COMPLETE', eventTime: scan.finishedAt, run: { runId: start.run.runId } });
    expect(end.outputs).toBeUndefined();
    for (const e of [start, end]) expect(validateEvent(e, { strictFacets: true }).errors).toEqual([]);
  });

  test('one assertion per evaluated check, under inputFacets where Marquez reads them', () => {
    const facets = end.inputs![0]!.inputFacets!;
    expect(end.inputs![0]!.facets).toBeUndefined();
    expect(facets.dataQualityAssertions!.assertions).toEqual([
      { assertion: 'missing_count(user_id) = 0', success: false, column: 'user_id', severity: 'fail', name: 'Every transaction has a customer', expected: 'fail when > 0', actual: '400' },
      { assertion: 'row_count > 0', success: true, severity: 'fail', name: 'row_count > 0', expected: 'fail when <= 0', actual: '650000' },
      { assertion: 'invalid_percent(phone) < 5%', success: false, severity: 'warn', name: 'phones', expected: 'warn when > 0.5', actual: '0.8' },
      { assertion: 'freshness(created_at) < 1h', success: true, column: 'created_at', severity: 'fail', name: 'Extract is running', expected: 'fail when >= 3600', actual: '120' },
    ]);
  });

  test("an anomaly check's assertion expects its band and reports the measured value", () => {
    const anomaly = check({ name: 'volume', definition: 'anomaly detection for row_count', outcome: 'fail', value: 41.9, threshold: { fail: 'when > 3' }, metricKey: 'row_count', measured: 6000, expected: { value: 9820, lower: 9546.30572, upper: 10093.3851, season: 'Tuesday', model: 'seasonal(day_of_week)' } });
    const [, done] = qualityEvents({ ...scan, checks: [anomaly] }, 'datatrust');
    expect(done.inputs![0]!.inputFacets!.dataQualityAssertions!.assertions).toEqual([
      { assertion: 'anomaly detection for row_count', success: false, severity: 'fail', name: 'volume', expected: '9546.31–10093.4 (Tuesday)', actual: '6000' },
    ]);
  });

  test('metrics come from what the scan measured: row count, NULLs, min/max, quantiles, last update', () => {
    expect(end.inputs![0]!.inputFacets!.dataQualityMetrics).toMatchObject({
      rowCount: 650000,
      lastUpdated: '2026-11-30T00:58:00.000Z',
      columnMetrics: { user_id: { nullCount: 400, count: 649600 }, amount: { min: -3, max: 99, quantiles: { '0.95': 80 } } },
    });
  });

  test('a scan where no check could run is a FAIL with the error', () => {
    const [, fail] = qualityEvents({ ...scan, checks: [check({ outcome: 'error', value: null, error: 'source did not answer within 60 s' })] }, 'datatrust');
    expect(fail.eventType).toBe('FAIL');
    expect(fail.run.facets?.errorMessage).toMatchObject({ message: 'source did not answer within 60 s' });
    expect(validateEvent(fail, { strictFacets: true }).errors).toEqual([]);
  });

  test('scan ids become stable UUID run ids', () => {
    expect(scanRunId('scan-42')).toBe(scanRunId('scan-42'));
    expect(scanRunId('scan-42')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(scanRunId('0194F1B6-3C55-7D1E-9A7E-1F6B2C4D5E6F')).toBe('0194f1b6-3c55-7d1e-9a7e-1f6b2c4d5e6f');
  });
});
