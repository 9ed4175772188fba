import type { AnomalyDetector, MetricPoint } from '../anomaly/detector';
import { seasonalDetector } from '../anomaly/seasonalDetector';
import { DEFAULT_ANOMALY_SETTINGS } from '../checks/anomalySettings';
import { describeExpectation, judgeAnomaly, metricLabel, notEnoughHistoryMessage } from './anomalyEvaluation';

const DAY = 86_400_000;
/** Monday 2 November 2026, 06:00 UTC. */
const MONDAY = Date.UTC(2026, 10, 2, 6);
/** Six weeks of daily row counts: 50,000 on weekdays, 20,000 at weekends, a little noise. */
const weekly: MetricPoint[] = Array.from({ length: 42 }, (_, i) => {
  const day = new Date(MONDAY + i * DAY).getUTCDay();
  return { at: MONDAY + i * DAY, value: (day === 0 || day === 6 ? 20_000 : 50_000) + ((i * 7919) % 1000) - 500 };
});
const nextMonday = MONDAY + 42 * DAY;

describe('anomaly judgement', () => {
  it('reads like "row_count 12,040, expected 48,000–52,000 for a Monday"', () => {
    expect(describeExpectation('row_count', 12_040, { value: 50_000, lower: 48_000, upper: 52_000, season: 'Monday', model: 'seasonal(day_of_week)' })).toBe('row_count 12,040, expected 48,000–52,000 for a Monday');
    expect(describeExpectation('missing_percent(email)', 0.5, { value: 0.2, lower: 0.1, upper: 0.3, season: '14:00', model: 'seasonal(hour_of_day)' })).toBe('missing_percent(email) 0.5, expected 0.1–0.3 at 14:00');
    expect(describeExpectation('avg(amount)', 12.345, { value: 10, lower: 9, upper: 11, model: 'level+trend' })).toBe('avg(amount) 12.35, expected 9–11');
  });

  it('names the metric as written, not its history key (which may be `identity:…`)', () => {
    expect(metricLabel({ metric: 'row_count', columns: [], rules: {} })).toBe('row_count');
    expect(metricLabel({ metric: 'percentile', columns: ['amount'], rank: 0.95, rules: { validMin: 0 } })).toBe('percentile(amount, 0.95)');
  });

  it('scores a Monday at a weekend level far outside the band, in robust standard deviations', () => {
    const j = judgeAnomaly(seasonalDetector, 'row_count', { at: nextMonday, value: 20_000 }, weekly, DEFAULT_ANOMALY_SETTINGS)!;
    expect(j.score).toBeGreaterThan(DEFAULT_ANOMALY_SETTINGS.sensitivity);
    expect(j.expected.season).toBe('Monday');
    expect(j.message).toMatch(/^row_count 20,000, expected [\d,]+–[\d,]+ for a Monday$/);
  });

  it('scores 0 on the side `alert_directionality` leaves out', () => {
    const drop = { at: nextMonday, value: 20_000 };
    expect(judgeAnomaly(seasonalDetector, 'row_count', drop, weekly, { ...DEFAULT_ANOMALY_SETTINGS, direction: 'upper' })!.score).toBe(0);
    expect(judgeAnomaly(seasonalDetector, 'row_count', drop, weekly, { ...DEFAULT_ANOMALY_SETTINGS, direction: 'lower' })!.score).toBeGreaterThan(3);
  });

  it('counts only unflagged points toward min_history, and passes flags on unless told not to', () => {
    const seen: (readonly MetricPoint[])[] = [];
    const recording: AnomalyDetector = { name: 'recording', assess: (_c, h) => (seen.push(h), { expected: 1, lower: 0, upper: 2, score: 0, anomalous: false, model: 'recording' }) };
    const history = [1, 2, 3, 4, 5, 6].map((v, i) => ({ at: i * DAY, value: v, ...(i < 2 ? { anomalous: true } : {}) }));
    const current = { at: 6 * DAY, value: 1 };
    expect(judgeAnomaly(recording, 'row_count', current, history, { ...DEFAULT_ANOMALY_SETTINGS, minHistory: 5 })).toBeUndefined();
    expect(judgeAnomaly(recording, 'row_count', current, history, { ...DEFAULT_ANOMALY_SETTINGS, minHistory: 4 })).toBeDefined();
    expect(seen[0]!.filter((p) => p.anomalous)).toHaveLength(2);
    expect(judgeAnomaly(recording, 'row_count', current, history, { ...DEFAULT_ANOMALY_SETTINGS, minHistory: 5, excludeAnomalies: false })).toBeDefined();
    expect(seen[1]!.some((p) => p.anomalous)).toBe(false);
  });

  it('hands `window_length` to the detector as its training cap', () => {
    const caps: (number | undefined)[] = [];
    const recording: AnomalyDetector = { name: 'recording', assess: (_c, _h, o) => (caps.push(o.maxTrainingPoints), { expected: 1, lower: 0, upper: 2, score: 0, anomalous: false, model: 'recording' }) };
    judgeAnomaly(recording, 'row_count', { at: nextMonday, value: 1 }, weekly, { ...DEFAULT_ANOMALY_SETTINGS, windowLength: 30 });
    expect(caps).toEqual([30]);
  });

  it('marks a point outside the band even on the side `alert_directionality` ignores, and not one inside it', () => {
    const drop = { at: nextMonday, value: 20_000 };
    const ignored = judgeAnomaly(seasonalDetector, 'row_count', drop, weekly, { ...DEFAULT_ANOMALY_SETTINGS, direction: 'upper' })!;
    expect([ignored.score, ignored.outsideBand]).toEqual([0, true]);
    expect(judgeAnomaly(seasonalDetector, 'row_count', { at: nextMonday, value: 50_000 }, weekly, DEFAULT_ANOMALY_SETTINGS)!.outsideBand).toBe(false);
  });

  it('says when min_history can never be reached at the scans\' pace, and "not yet" otherwise', () => {
    const daily = weekly.slice(0, 10);
    expect(notEnoughHistoryMessage('row_count', daily, 100)).toBe('min_history 100 cannot be reached: with one value of row_count about every 1d, the 56 days of history read hold about 56; lower min_history (10 usable earlier values now)');
    expect(notEnoughHistoryMessage('row_count', daily, 20)).toBe('not enough history yet (10 usable earlier values of row_count in the last 56 days; min_history is 20)');
    expect(notEnoughHistoryMessage('row_count', [], 5)).toBe('not enough history yet (0 usable earlier values of row_count in the last 56 days; min_history is 5)');
  });
});
