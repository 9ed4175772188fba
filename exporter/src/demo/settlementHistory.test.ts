import { madDetector } from '../anomaly/madDetector';
import { seasonalDetector } from '../anomaly/seasonalDetector';
import { DEFAULT_ANOMALY_SETTINGS } from '../checks/anomalySettings';
import { settlementHistory, todaysSettlements, usualSettlements } from './settlementHistory';

const options = { sensitivity: DEFAULT_ANOMALY_SETTINGS.sensitivity, minHistory: DEFAULT_ANOMALY_SETTINGS.minHistory, seasonality: DEFAULT_ANOMALY_SETTINGS.seasonality };
/** Monday 30 November 2026, 09:00 UTC, then each following day: every weekday once. */
const week = Array.from({ length: 7 }, (_, i) => new Date(Date.UTC(2026, 10, 30 + i, 9)));

describe("the demo's settlement history", () => {
  it.each(week.map((d) => [d.toUTCString().slice(0, 3), d] as const))('on a %s, the old MAD detector misses the planted drop and the seasonal one catches it', (_day, anchor) => {
    const history = settlementHistory(anchor);
    const today = { at: anchor.getTime() + 60_000, value: todaysSettlements(anchor) };
    expect(madDetector.assess(today, history, options)).toMatchObject({ anomalous: false });
    const seasonal = seasonalDetector.assess(today, history, options)!;
    expect(seasonal).toMatchObject({ anomalous: true, season: anchor.toUTCString().slice(0, 3) === 'Sun' ? 'Sunday' : expect.any(String), model: 'seasonal(day_of_week)' });
    expect(seasonal.lower).toBeGreaterThan(today.value);
  });

  it('passes a normal day, with either detector', () => {
    for (const anchor of week) {
      const history = settlementHistory(anchor);
      const normal = { at: anchor.getTime() + 60_000, value: usualSettlements(anchor.getTime()) };
      expect([anchor.toISOString(), seasonalDetector.assess(normal, history, options)!.anomalous, madDetector.assess(normal, history, options)!.anomalous]).toEqual([anchor.toISOString(), false, false]);
    }
  });
});
