import { DuckDBInstance } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import type { Outcome } from '../checks/outcome';
import type { CheckResult } from '../scan/result';
import { buildScanCommit } from '../service/buildScanCommit';
import { tempProject } from '../testing/tempDir';
import { DuckDbStateStore } from './duckdbStateStore';

const DAY = 86400_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const result = (name: string, outcome: Outcome, observed: boolean): CheckResult => ({ id: `checks.yml:${name.length}:5`, name, definition: name, outcome, value: 1, threshold: {}, ...(observed ? { mode: 'observe' as const } : {}) });

/** One scan of `orders` on day `day` with these results, committed as the service does. */
async function commit(store: DuckDbStateStore, day: number, results: CheckResult[]): Promise<void> {
  const at = new Date(T0 + day * DAY);
  const run = { dataset: 'orders', source: 'wh', startedAt: at.toISOString(), durationMs: 1, checks: results, measurements: {} };
  await store.commitScan(buildScanCommit({ run, scanId: randomUUID(), trigger: 'api', finishedAt: at, onError: 'open', channels: [], impact: { datasets: [], jobs: [] }, links: () => ({}), newId: randomUUID }));
}

describe('observed checks in the state store', () => {
  let store: DuckDbStateStore;
  beforeEach(async () => {
    store = new DuckDbStateStore(':memory:');
    await store.open();
  });
  afterEach(() => store.close());

  it('counts the current observation only: a check observed again after being enforced starts over', async () => {
    await commit(store, 0, [result('rule', 'fail', true)]);
    await commit(store, 1, [result('rule', 'pass', false)]);
    await commit(store, 2, [result('rule', 'fail', true)]);
    await commit(store, 3, [result('rule', 'warn', true)]);
    await commit(store, 4, [result('rule', 'pass', true), result('other', 'error', true)]);
    expect(await store.observedStats(new Date(T0))).toEqual([
      { dataset: 'orders', check: 'other', observedSince: new Date(T0 + 4 * DAY).toISOString(), counts: { pass: 0, warn: 0, fail: 0, error: 1 } },
      { dataset: 'orders', check: 'rule', observedSince: new Date(T0 + 2 * DAY).toISOString(), counts: { pass: 1, warn: 1, fail: 1, error: 0 } },
    ]);
    // The window cuts the counts, not the observation's start.
    expect((await store.observedStats(new Date(T0 + 3 * DAY)))[1]).toEqual({ dataset: 'orders', check: 'rule', observedSince: new Date(T0 + 2 * DAY).toISOString(), counts: { pass: 1, warn: 1, fail: 0, error: 0 } });
  });

  it('keeps observed results out of the pass ratios and the report, and flags them in the history', async () => {
    await commit(store, 0, [result('enforced', 'pass', false), result('rule', 'fail', true)]);
    const ratios = await store.passRatios(['orders'], new Date(T0 + DAY / 2));
    expect(ratios.orders).toEqual({ d1: 1, d7: 1, d30: 1 });
    const stats = await store.evaluationStats(new Date(T0 - DAY));
    expect(stats.checks).toEqual([{ dataset: 'orders', check: 'enforced', pass: 1, warn: 0, fail: 0, error: 0 }]);
    expect((await store.evaluationsOf('orders', new Date(T0 - DAY))).map((e) => [e.check, e.outcome, e.observed ?? false])).toEqual([
      ['enforced', 'pass', false],
      ['rule', 'fail', true],
    ]);
  });
});

describe('a state file written before check modes (schema 3)', () => {
  it('opens, gains the mode column, and reads its old results as enforced', async () => {
    const p = tempProject({});
    const path = p.path('state.duckdb');
    try {
      const db = await DuckDBInstance.create(path);
      const c = await db.connect();
      await c.run(`CREATE TABLE meta (key VARCHAR, value VARCHAR)`);
      await c.run(`INSERT INTO meta VALUES ('schema_version', '3')`);
      await c.run(`CREATE TABLE check_results (scan_id VARCHAR, dataset VARCHAR, check_id VARCHAR, name VARCHAR, definition VARCHAR, outcome VARCHAR, value DOUBLE, result_json VARCHAR, evaluated_at BIGINT)`);
      await c.run(`INSERT INTO check_results VALUES ('s0', 'orders', 'checks.yml:2:5', 'old', 'old', 'fail', 1, '{}', ${T0})`);
      c.closeSync();
      db.closeSync();

      // `datatrust report` opens it read-only, before any new `serve` has migrated it.
      const reader = new DuckDbStateStore(path);
      await reader.openReadOnly();
      expect((await reader.evaluationStats(new Date(T0 - DAY))).checks).toEqual([expect.objectContaining({ dataset: 'orders', check: 'old', fail: 1 })]);
      await reader.close();

      const store = new DuckDbStateStore(path);
      await store.open();
      await commit(store, 0, [result('rule', 'pass', true)]);
      expect((await store.passRatios(['orders'], new Date(T0 + DAY / 2))).orders!.d1).toBe(0);
      expect((await store.observedStats(new Date(T0 - DAY))).map((s) => s.check)).toEqual(['rule']);
      await store.close();
    } finally {
      p.cleanup();
    }
  });
});
