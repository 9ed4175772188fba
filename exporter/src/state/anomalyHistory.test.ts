import type { CheckResult } from '../scan/result';
import type { ScanCommit } from '../service/buildScanCommit';
import { duckdbExec } from '../testing/duckdbFile';
import { tempProject } from '../testing/tempDir';
import { DuckDbStateStore } from './duckdbStateStore';
import { SCHEMA_SQL } from './schema';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 2, 6);

function commit(i: number, rowCount: number, results: CheckResult[] = []): ScanCommit {
  const at = new Date(T0 + i * DAY).toISOString();
  return {
    scanId: `scan-${i}`,
    dataset: 'orders',
    source: 'warehouse',
    trigger: 'schedule',
    startedAt: at,
    finishedAt: at,
    durationMs: 5,
    arrivedAt: at,
    results,
    measurements: { row_count: rowCount, 'missing_count(id)': 0 },
    breaker: { dataset: 'orders', state: 'closed', since: at, failingChecks: [], health: 'pass' },
    outbox: [],
    evaluations: {},
  };
}

const flagged = (key: string): CheckResult => ({ id: 'c.yml:2:5', name: key, definition: key, outcome: 'fail', value: 9, threshold: {}, metricKey: 'row_count', measured: 10, anomalyFlag: key });

describe('metric history for anomaly checks (state store)', () => {
  it('returns points oldest first with their time, marking only those this check flagged', async () => {
    const dir = tempProject({});
    const store = new DuckDbStateStore(dir.path('state.duckdb'));
    try {
      await store.open();
      for (let i = 0; i < 5; i++) await store.commitScan(commit(i, 100 + i, i === 3 ? [flagged('anomaly detection for row_count')] : []));
      const points = await store.points('orders', 'row_count', { since: 0, limit: 10, flaggedBy: 'anomaly detection for row_count' });
      expect(points).toEqual([0, 1, 2, 3, 4].map((i) => ({ at: T0 + i * DAY, value: 100 + i, ...(i === 3 ? { anomalous: true } : {}) })));
      // Another check of the same metric did not flag anything.
      const other = await store.points('orders', 'row_count', { since: 0, limit: 10, flaggedBy: 'rows-v2' });
      expect(other.some((p) => p.anomalous)).toBe(false);
    } finally {
      await store.close();
      dir.cleanup();
    }
  });

  it('keeps the newest `limit` points after `since`', async () => {
    const dir = tempProject({});
    const store = new DuckDbStateStore(dir.path('state.duckdb'));
    try {
      await store.open();
      for (let i = 0; i < 6; i++) await store.commitScan(commit(i, i));
      const points = await store.points('orders', 'row_count', { since: T0 + DAY, limit: 3, flaggedBy: 'x' });
      expect(points.map((p) => p.value)).toEqual([3, 4, 5]);
      const early = await store.points('orders', 'row_count', { since: T0 + 4 * DAY, limit: 10, flaggedBy: 'x' });
      expect(early.map((p) => p.value)).toEqual([4, 5]);
    } finally {
      await store.close();
      dir.cleanup();
    }
  });

  it('opens a state file written before anomaly flags existed, with its measurements', async () => {
    const dir = tempProject({});
    const path = dir.path('old.duckdb');
    // Schema 3: every table but anomaly_flags.
    await duckdbExec(path, [
      ...SCHEMA_SQL.filter((s) => !s.includes('anomaly_flags')),
      `INSERT INTO meta VALUES ('schema_version', '3')`,
      `INSERT INTO measurements VALUES ('s1', 'orders', 'row_count', 42, ${T0})`,
    ]);
    const store = new DuckDbStateStore(path);
    try {
      await store.open();
      expect(await store.points('orders', 'row_count', { since: 0, limit: 10, flaggedBy: 'x' })).toEqual([{ at: T0, value: 42 }]);
      await store.commitScan(commit(1, 43, [flagged('x')]));
      expect((await store.points('orders', 'row_count', { since: 0, limit: 10, flaggedBy: 'x' })).map((p) => p.anomalous ?? false)).toEqual([false, true]);
    } finally {
      await store.close();
      dir.cleanup();
    }
  });
});
