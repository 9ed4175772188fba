import { mulberry32 } from '../testing/seededRandom';
import type { DetectorOptions, MetricPoint } from './detector';
import { madDetector } from './madDetector';
import { seasonalDetector } from './seasonalDetector';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// 2024-01-01 is a Monday.
const START = Date.UTC(2024, 0, 1);
const AUTO: DetectorOptions = { sensitivity: 3, minHistory: 10, seasonality: 'auto' };

function series(n: number, step: number, f: (at: number, i: number) => number, seed = 1): MetricPoint[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const at = START + i * step;
    return { at, value: f(at, i) + (rand() - 0.5) };
  });
}

const daily = (at: number): number => 100 + 20 * Math.sin((2 * Math.PI * (at % DAY)) / DAY);
const weekly = (at: number): number => ([0, 6].includes(new Date(at).getUTCDay()) ? 40 : 100);

describe('seasonal detector', () => {
  it('gives no verdict before minHistory unflagged points', () => {
    const h = series(9, HOUR, () => 10);
    expect(seasonalDetector.assess({ at: START + 9 * HOUR, value: 10 }, h, AUTO)).toBeUndefined();
    // 8 unflagged points: flags a minority of the last 15, so no regime change adopts them.
    const flagged = series(20, HOUR, () => 10).map((p, i) => ({ ...p, anomalous: i < 5 || (i - 5) % 2 === 1 }));
    expect(seasonalDetector.assess({ at: START + 20 * HOUR, value: 10 }, flagged, AUTO)).toBeUndefined();
  });

  it('detects an hour-of-day season in hourly scans and expects the hour’s usual value', () => {
    const h = series(24 * 14, HOUR, daily);
    const at = START + 24 * 14 * HOUR + 6 * HOUR; // 06:00, the daily peak
    const v = seasonalDetector.assess({ at, value: daily(at) }, h, AUTO)!;
    expect(v.model).toBe('seasonal(hour_of_day)');
    expect(v.season).toBe('06:00');
    expect(v.expected).toBeGreaterThan(115);
    expect(v.anomalous).toBe(false);
    // The trough's value at the peak hour is far outside the band, though it is a normal value at 18:00.
    expect(seasonalDetector.assess({ at, value: 80 }, h, AUTO)!.anomalous).toBe(true);
  });

  it('detects a day-of-week season in daily scans: a quiet Sunday is normal, a quiet Wednesday is not', () => {
    const h = series(7 * 8, DAY, weekly);
    const sunday = START + 7 * 8 * DAY + 6 * DAY;
    const wednesday = START + 7 * 8 * DAY + 2 * DAY;
    const onSunday = seasonalDetector.assess({ at: sunday, value: 40 }, h, AUTO)!;
    expect(onSunday.season).toBe('Sunday');
    expect(onSunday.anomalous).toBe(false);
    expect(seasonalDetector.assess({ at: wednesday, value: 40 }, h, AUTO)!.anomalous).toBe(true);
    // The season-blind MAD detector flags the ordinary Sunday.
    expect(madDetector.assess({ at: sunday, value: 40 }, h, AUTO)!.anomalous).toBe(true);
  });

  it('uses a configured season and none when told so', () => {
    const h = series(24 * 14, HOUR, daily);
    const at = START + 24 * 14 * HOUR;
    expect(seasonalDetector.assess({ at, value: 100 }, h, { ...AUTO, seasonality: 'day_of_week' })!.season).toBe('Monday');
    const none = seasonalDetector.assess({ at, value: 100 }, h, { ...AUTO, seasonality: 'none' })!;
    expect(none.season).toBeUndefined();
    expect(none.model).toBe('level+trend');
  });

  it('follows a trend instead of flagging growth', () => {
    const h = series(60, DAY, (_, i) => 1000 + 10 * i);
    const at = START + 60 * DAY;
    const v = seasonalDetector.assess({ at, value: 1600 }, h, AUTO)!;
    expect(v.expected).toBeGreaterThan(1590);
    expect(v.expected).toBeLessThan(1610);
    expect(v.anomalous).toBe(false);
  });

  it('leaves points flagged anomalous out of training', () => {
    const h = series(40, DAY, () => 50);
    // An earlier incident and the latest point, both flagged when they were measured.
    for (const i of [30, 31, 32, 33, 39]) h[i] = { at: h[i]!.at, value: 500, anomalous: true };
    const v = seasonalDetector.assess({ at: START + 40 * DAY, value: 500 }, h, AUTO)!;
    expect(v.expected).toBeCloseTo(50, 0);
    expect(v.upper).toBeLessThan(60);
    expect(v.anomalous).toBe(true);
    // Unflagged, the same incidents become the normal level.
    const unflagged = h.map((p) => ({ at: p.at, value: p.value }));
    expect(seasonalDetector.assess({ at: START + 40 * DAY, value: 500 }, unflagged, AUTO)!.expected).toBeGreaterThan(400);
  });

  it('adopts a sustained level shift once most recent points were flagged', () => {
    const h = series(40, DAY, () => 50);
    for (let i = 30; i < 40; i++) h[i] = { at: h[i]!.at, value: 80 + (i % 2), anomalous: true };
    const v = seasonalDetector.assess({ at: START + 40 * DAY, value: 80 }, h, AUTO)!;
    expect(v.expected).toBeGreaterThan(79);
    expect(v.anomalous).toBe(false);
  });

  it('trains on at most `maxTrainingPoints` latest points: a calm recent stretch is judged by itself', () => {
    // 200 wild hours, then 20 calm ones: with the default cap the wild ones widen the band.
    const h = series(220, HOUR, (_at, i) => (i < 200 ? 100 + (i % 2 ? 30 : -30) : 100));
    const current = { at: START + 220 * HOUR, value: 105 };
    const options: DetectorOptions = { sensitivity: 3, minHistory: 10, seasonality: 'none' };
    expect(seasonalDetector.assess(current, h, options)!.anomalous).toBe(false);
    const recent = seasonalDetector.assess(current, h, { ...options, maxTrainingPoints: 20 })!;
    expect(recent.anomalous).toBe(true);
    expect(recent.upper - recent.lower).toBeLessThan(10);
    // Above the tuned cap, the cap holds.
    expect(seasonalDetector.assess(current, h, { ...options, maxTrainingPoints: 10_000 })).toEqual(seasonalDetector.assess(current, h, options));
  });

  it('states a band of sensitivity robust standard deviations around the expectation', () => {
    const h = series(100, HOUR, () => 10);
    const at = START + 100 * HOUR;
    const narrow = seasonalDetector.assess({ at, value: 10.5 }, h, { ...AUTO, sensitivity: 1 })!;
    const wide = seasonalDetector.assess({ at, value: 10.5 }, h, { ...AUTO, sensitivity: 4 })!;
    expect(narrow.lower).toBeLessThan(narrow.expected);
    expect(narrow.upper).toBeGreaterThan(narrow.expected);
    expect(wide.upper - wide.expected).toBeCloseTo(4 * (narrow.upper - narrow.expected), 9);
    expect(wide.score).toBeCloseTo(narrow.score / 4, 9);
  });
});

describe('MAD baseline detector', () => {
  it('reports the scan’s robust z divided by the sensitivity', () => {
    const h = [10, 11, 9, 10, 12, 8, 10].map((value, i) => ({ at: i, value }));
    const v = madDetector.assess({ at: 7, value: 16 }, h, { sensitivity: 3, minHistory: 5, seasonality: 'auto' })!;
    expect(v.expected).toBe(10);
    expect(v.score).toBeCloseTo(6 / 1.4826 / 3, 9);
    expect(v.anomalous).toBe(true);
  });
});
