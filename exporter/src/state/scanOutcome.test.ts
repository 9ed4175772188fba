import type { IncrementalOutcome } from '../scan/incremental/state';
import type { ScanCommit } from '../service/buildScanCommit';
import { duckdbExec } from '../testing/duckdbFile';
import { tempProject } from '../testing/tempDir';
import { DuckDbStateStore } from './duckdbStateStore';
import { SCHEMA_SQL } from './schema';

const AT = '2026-11-30T06:00:00.000Z';

function commit(scanId: string, incrementalOutcome?: IncrementalOutcome): ScanCommit {
  return {
    scanId,
    dataset: 'events',
    source: 'files',
    trigger: 'api',
    startedAt: AT,
    finishedAt: AT,
    durationMs: 5,
    arrivedAt: AT,
    results: [],
    measurements: {},
    breaker: { dataset: 'events', state: 'closed', since: AT, failingChecks: [], health: 'pass' },
    outbox: [],
    evaluations: {},
    ...(incrementalOutcome ? { incrementalOutcome } : {}),
  };
}

describe('how an incremental dataset was scanned, kept with the scan (state schema 7)', () => {
  it('is stored with the scan and restored as the latest; a schema-6 file opens as it is, then is migrated', async () => {
    const dir = tempProject({});
    const path = dir.path('old.duckdb');
    // Schema 6: every column but scans.incremental_json, one scan from before.
    await duckdbExec(path, [
      ...SCHEMA_SQL.filter((s) => !s.includes('incremental_json')),
      `INSERT INTO meta VALUES ('schema_version', '6')`,
      `INSERT INTO scans (scan_id, dataset, source, trigger, started_at, finished_at, duration_ms, arrived_at) VALUES ('old', 'events', 'files', 'api', 1, 2, 1, 1)`,
    ]);
    const reader = new DuckDbStateStore(path);
    try {
      await reader.openReadOnly();
      expect(await reader.scan('old')).toMatchObject({ scanId: 'old', results: [] });
      expect((await reader.scan('old'))?.incremental).toBeUndefined();
    } finally {
      await reader.close();
    }

    const outcome: IncrementalOutcome = { mode: 'full', reason: 'a full scan was requested', rowsRead: 1500, watermark: '2024-01-01 00:24:59' };
    const store = new DuckDbStateStore(path);
    try {
      await store.open();
      await store.commitScan(commit('new', outcome));
      expect((await store.scan('new'))?.incremental).toEqual(outcome);
      expect((await store.scan('old'))?.incremental).toBeUndefined();
    } finally {
      await store.close();
    }
    const again = new DuckDbStateStore(path);
    try {
      const restored = await again.open();
      expect(restored.latest.find((l) => l.dataset === 'events')?.incremental).toEqual(outcome);
    } finally {
      await again.close();
      dir.cleanup();
    }
  });
});
