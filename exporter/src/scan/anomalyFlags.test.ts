/**
 * Which anomaly-check results leave their point out of later training (`anomalyFlag`): only
 * points outside the band, whatever the outcome. A `warn:` band inside it must not flag, or
 * ~5% of normal points would leave training, narrow the band and flag ever more.
 */
import { loadDb, type LoadedDb } from '../testing/semanticFixture';
import { SODA_TABLES, sodaScan } from '../testing/sodaCustomers';
import type { MetricHistory } from './historyEvaluation';

/**
 * Twelve hourly row counts alternating `low + 0.6` and `low`, ending at `low`: no trend, a spread
 * of 0.6 / 1.645 ≈ 0.365, so customers' 10 rows score (10 − low) / 0.365 robust deviations.
 */
function history(low: number): MetricHistory {
  const points = Array.from({ length: 12 }, (_, i) => ({ at: Date.UTC(2026, 0, 5, i), value: i % 2 ? low : low + 0.6 }));
  return { values: async () => [], points: async () => points, previousSchema: async () => undefined };
}

describe('anomaly flags (DuckDB)', () => {
  let db: LoadedDb;
  beforeAll(async () => {
    db = await loadDb('duckdb', SODA_TABLES);
  });
  afterAll(() => db?.cleanup());

  const check = (extra = '') => `checks for customers:\n  - anomaly detection for row_count:\n      seasonality: none\n      warn: when > 2\n${extra}`;

  it('does not flag a point in the warn band, inside the detector\'s band', async () => {
    const [r] = (await sodaScan(db, check(), { history: history(9.1) })).results;
    expect(r!.outcome).toBe('warn');
    expect(r!.value).toBeGreaterThan(2);
    expect(r!.value).toBeLessThan(3);
    expect(r!.anomalyFlag).toBeUndefined();
  });

  it('flags a point outside the band, failing or only warning (`warn_only`)', async () => {
    const [failed] = (await sodaScan(db, check(), { history: history(8.5) })).results;
    expect([failed!.outcome, failed!.anomalyFlag]).toEqual(['fail', 'anomaly detection for row_count']);
    const [warned] = (await sodaScan(db, check('      warn_only: true\n'), { history: history(8.5) })).results;
    expect([warned!.outcome, warned!.anomalyFlag]).toEqual(['warn', 'anomaly detection for row_count']);
  });

  it('flags a point outside the band on the side `alert_directionality` ignores: it passes but does not train', async () => {
    const [r] = (await sodaScan(db, check('      alert_directionality: upper_bound_only\n'), { history: history(11.5) })).results;
    expect([r!.outcome, r!.value, r!.anomalyFlag]).toEqual(['pass', 0, 'anomaly detection for row_count']);
  });
});
