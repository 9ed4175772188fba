import type { CheckResult } from '../scan/result';
import { emptySnapshot } from '../service/liveState';
import type { ScanRecord } from '../state/stateStore';
import { ExporterMetrics, type MetricsSource } from './exporterMetrics';

const check = (name: string, line: number, extra: Partial<CheckResult>): CheckResult => ({
  id: `checks.yml:${line}:5`,
  name,
  definition: name,
  outcome: 'pass',
  value: 0,
  threshold: {},
  ...extra,
});

const scan: ScanRecord = {
  scanId: 's1',
  dataset: 'orders',
  trigger: 'test',
  startedAt: '2026-11-30T00:00:00.000Z',
  finishedAt: '2026-11-30T00:00:01.000Z',
  durationMs: 1000,
  results: [
    check('row_count > 0', 2, { value: 12040 }),
    // An anomaly check's value is its score; the metric it judged is `measured`.
    check('anomaly detection for row_count', 3, { outcome: 'fail', value: 7.5, measured: 12040, expected: { value: 50000, lower: 48000, upper: 52000, season: 'Monday', model: 'seasonal' } }),
    // Still training: no expectation, so no band.
    check('anomaly detection for missing_count(id)', 4, { value: null }),
    check('anomaly detection for avg(amount)', 5, { mode: 'observe', value: 0.4, measured: 51.5, expected: { value: 50, lower: 45, upper: 55, model: 'mad' } }),
  ],
};

function metrics(): ExporterMetrics {
  const source: MetricsSource = {
    snapshot: () => ({ ...emptySnapshot(), datasets: ['orders'], latest: new Map([['orders', scan]]) }),
    upstreamBlocked: () => false,
    upstreamBlockers: () => [],
    ownOpen: () => false,
    lineage: { epoch: () => 0, edges: () => [], coverage: () => ({}), lineageOnlyDatasets: () => [], identities: () => [], jobs: () => [], eventTypes: [], eventCounts: () => new Map(), forwardPending: () => undefined },
    now: () => new Date('2026-11-30T00:01:00.000Z'),
    version: 'test',
  };
  return new ExporterMetrics(source);
}

const series = (body: string, name: string) => body.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

describe('anomaly band metrics', () => {
  let body: string;
  beforeAll(async () => {
    body = (await metrics().render(undefined)).body;
  });

  it('export the measured value and the expected band of an enforced anomaly check with an expectation', () => {
    expect(series(body, 'datatrust_anomaly_measured')).toEqual(['datatrust_anomaly_measured{dataset="orders",check="anomaly detection for row_count"} 12040']);
    expect(series(body, 'datatrust_anomaly_expected')).toEqual([
      'datatrust_anomaly_expected{dataset="orders",check="anomaly detection for row_count",bound="expected"} 50000',
      'datatrust_anomaly_expected{dataset="orders",check="anomaly detection for row_count",bound="lower"} 48000',
      'datatrust_anomaly_expected{dataset="orders",check="anomaly detection for row_count",bound="upper"} 52000',
    ]);
    // The anomaly score stays the check's value.
    expect(series(body, 'datatrust_check_value')).toContain('datatrust_check_value{dataset="orders",check="anomaly detection for row_count"} 7.5');
  });

  it('leave out checks without an expectation, and never label the season or the model', () => {
    expect(body).not.toMatch(/datatrust_(observed_)?anomaly_\w+\{[^}]*(row_count > 0|missing_count)/);
    expect(body).not.toMatch(/datatrust_(observed_)?anomaly_\w+\{[^}]*(season|model)=/);
  });

  it('export observed anomaly checks (mode: observe) under their own families only', () => {
    expect(series(body, 'datatrust_observed_anomaly_measured')).toEqual(['datatrust_observed_anomaly_measured{dataset="orders",check="anomaly detection for avg(amount)"} 51.5']);
    expect(series(body, 'datatrust_observed_anomaly_expected')).toEqual([
      'datatrust_observed_anomaly_expected{dataset="orders",check="anomaly detection for avg(amount)",bound="expected"} 50',
      'datatrust_observed_anomaly_expected{dataset="orders",check="anomaly detection for avg(amount)",bound="lower"} 45',
      'datatrust_observed_anomaly_expected{dataset="orders",check="anomaly detection for avg(amount)",bound="upper"} 55',
    ]);
    expect(body).not.toMatch(/^datatrust_anomaly_\w+\{[^}]*avg\(amount\)/m);
  });

  it('declare the families as gauges in both exposition formats', async () => {
    const om = (await metrics().render('application/openmetrics-text; version=1.0.0')).body;
    for (const text of [body, om]) for (const name of ['datatrust_anomaly_measured', 'datatrust_anomaly_expected', 'datatrust_observed_anomaly_measured', 'datatrust_observed_anomaly_expected']) expect(text).toContain(`# TYPE ${name} gauge\n`);
  });
});
