import type { CheckResult, ScanReport } from '../scan/result';
import { formatScanText, scanJson, terminalStyle } from './formatScan';

const anomaly: CheckResult = {
  id: 'checks/s.yml:3:5',
  name: 'Settlement volume is normal for the weekday',
  definition: 'anomaly detection for row_count',
  outcome: 'fail',
  value: 41.9,
  threshold: { fail: 'when > 3' },
  metricKey: 'row_count',
  measured: 6000,
  expected: { value: 9820, lower: 9546, upper: 10093, season: 'Tuesday', model: 'seasonal(day_of_week)' },
  message: 'row_count 6,000, expected 9,546–10,093 for a Tuesday',
  anomalyFlag: 'anomaly detection for row_count',
};
const report: ScanReport = {
  startedAt: '2026-12-01T06:00:00.000Z',
  durationMs: 12,
  datasets: [{ dataset: 'card_settlements', source: 'warehouse', startedAt: '2026-12-01T06:00:00.000Z', durationMs: 12, checks: [anomaly] }],
  summary: { pass: 0, warn: 0, fail: 1, error: 0, notEvaluated: 0 },
};

describe('scan output of an anomaly check', () => {
  it('says what was measured and expected, and labels the value as the anomaly score', () => {
    const text = formatScanText(report, 2, terminalStyle(false));
    expect(text).toContain('    row_count 6,000, expected 9,546–10,093 for a Tuesday\n    anomaly score (robust SDs): 41.9  (fail when > 3)');
  });

  it('carries the measured value and the band in the JSON result', () => {
    const json = scanJson(report) as { datasets: { checks: Record<string, unknown>[] }[] };
    expect(json.datasets[0]!.checks[0]).toMatchObject({ value: 41.9, measured: 6000, expected: { lower: 9546, upper: 10093, season: 'Tuesday' } });
  });
});
