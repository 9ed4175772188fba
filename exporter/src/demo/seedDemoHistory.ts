import { DuckDbStateStore } from '../state/duckdbStateStore';
import { SETTLEMENT_DATASET, SETTLEMENT_METRIC, settlementHistory } from './settlementHistory';

/**
 * Writes the settlement history into the state file before `datatrust demo --serve` opens it,
 * unless the file already has measurements of it (a restarted demo keeps its own history).
 * Returns how many points were written.
 */
export async function seedDemoHistory(statePath: string, anchor: Date): Promise<number> {
  const store = new DuckDbStateStore(statePath);
  await store.open();
  try {
    const existing = await store.points(SETTLEMENT_DATASET, SETTLEMENT_METRIC, { since: 0, limit: 1, flaggedBy: '' });
    if (existing.length) return 0;
    const points = settlementHistory(anchor);
    await store.importMeasurements(SETTLEMENT_DATASET, SETTLEMENT_METRIC, points);
    return points.length;
  } finally {
    await store.close();
  }
}
