import { LineageGraph } from '../lineage/lineageGraph';
import { LineageStore } from '../lineage/lineageStore';
import { readEvent, type IncomingEvent } from '../openlineage/readEvents';
import { duckdbQuery } from '../testing/duckdbFile';
import { tempProject } from '../testing/tempDir';
import { DuckDbStateStore } from './duckdbStateStore';

const PRODUCER = 'https://example.com/producer';
const SCHEMA = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const runId = (i: number) => `0190a4c1-0000-7000-8000-${String(i).padStart(12, '0')}`;

function event(i: number, eventType: 'START' | 'COMPLETE'): IncomingEvent {
  const read = readEvent({
    eventType,
    eventTime: `2026-11-30T10:${eventType === 'START' ? '00' : '05'}:00.123456789Z`,
    producer: PRODUCER,
    schemaURL: SCHEMA,
    run: { runId: runId(i) },
    job: { namespace: 'airflow', name: `etl.job_${i}` },
    inputs: [{ namespace: 'postgres://db:5432', name: 'public.source' }],
    outputs: [{ namespace: 'postgres://db:5432', name: `public.table_${i}` }],
  });
  if (!read.ok) throw new Error(JSON.stringify(read.violations));
  return read.incoming;
}

async function open(path: string) {
  const state = new DuckDbStateStore(path);
  await state.open();
  const graph = new LineageGraph();
  const store = new LineageStore(state.lineage, graph);
  await store.open();
  return { state, store, graph };
}

/** Batches above the IN-list size go through the temp key table; the result must be the same. */
describe('lineage tables: large batches', () => {
  const N = 120;

  it('replace records by key, survive a reopen and find runs by id, with no duplicate rows', async () => {
    const p = tempProject({});
    try {
      const first = await open(p.path('state.duckdb'));
      const starts = Array.from({ length: N }, (_, i) => event(i, 'START'));
      const completes = Array.from({ length: N }, (_, i) => event(i, 'COMPLETE'));
      expect(new Set(await first.store.ingest(starts))).toEqual(new Set(['accepted']));
      expect(new Set(await first.store.ingest(completes))).toEqual(new Set(['accepted']));
      await first.state.close();

      const again = await open(p.path('state.duckdb'));
      try {
        expect(again.store.model.jobs.size).toBe(N);
        expect(again.store.model.datasets.size).toBe(N + 1);
        expect(again.graph.jobCount).toBe(N);
        const runs = await again.store.runs(Array.from({ length: N }, (_, i) => runId(i)));
        expect(runs).toHaveLength(N);
        expect(new Set(runs.map((r) => r.state))).toEqual(new Set(['COMPLETED']));
        // Every run is found in the state file, not in memory: all duplicates.
        expect(new Set(await again.store.ingest([...starts, ...completes]))).toEqual(new Set(['duplicate']));
      } finally {
        await again.state.close();
      }
      const [counts] = await duckdbQuery(
        p.path('state.duckdb'),
        `SELECT (SELECT count(*) FROM lineage_datasets) AS datasets, (SELECT count(*) FROM lineage_jobs) AS jobs,
                (SELECT count(*) FROM lineage_runs) AS runs, (SELECT count(*) FROM lineage_events) AS events`,
      );
      expect(counts).toEqual({ datasets: N + 1, jobs: N, runs: N, events: 2 * N });
    } finally {
      p.cleanup();
    }
  });
});
