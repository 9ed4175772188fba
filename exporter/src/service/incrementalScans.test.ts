/**
 * Incremental scans under `datatrust serve`: the watermark and partial aggregates are committed
 * with each scan's results, survive a restart, and `POST /api/v1/scans/{dataset}?full=true`
 * reads every row again; merged values always equal the table's. A key-indexed duplicates check
 * keeps its index beside the state file, written by the scan worker.
 */
import { existsSync } from 'node:fs';
import { loadProject } from '../config/loadProject';
import type { IncrementalOutcome } from '../scan/incremental/state';
import type { CheckResult } from '../scan/result';
import { runExporter, type RunningExporter } from '../server/runExporter';
import { duckdbExec } from '../testing/duckdbFile';
import { TOKEN } from '../testing/exporterFixture';
import { tempProject } from '../testing/tempDir';

const CHECKS = ['checks for events:', '  - row_count > 0', '  - sum(amount) > 0', '  - max(amount) > 0', '  - freshness(created_at) < 100000d', '  - duplicate_count(ref) >= 0:', '      incremental: key_index', ''].join('\n');

describe('incremental scans in the service', () => {
  const p = tempProject({
    'datatrust.yml': [
      'sources:',
      '  wh: { type: duckdb, path: wh.duckdb }',
      'datasets:',
      '  events: { table: main.events, incremental: { column: created_at, full_every: 100 } }',
      'checks: [checks.yml]',
      'server: { scan_on_start: false }',
      'state: { path: state/state.duckdb }',
    ].join('\n'),
    'checks.yml': CHECKS,
  });
  const warehouse = p.path('wh.duckdb');
  let exporter: RunningExporter | undefined;

  const start = async () => (exporter = await runExporter({ project: loadProject(p.path('datatrust.yml')), port: 0, host: '127.0.0.1', token: TOKEN }));
  const append = (from: number, to: number) =>
    duckdbExec(warehouse, [`INSERT INTO events SELECT range AS id, TIMESTAMP '2024-01-01' + to_seconds(range) AS created_at, (range % 50) + 0.25 AS amount, range % 1200 AS ref FROM range(${from}, ${to})`]);

  /** How the last scan read the dataset, as the scan API tells. */
  let outcome: IncrementalOutcome | undefined;
  /** Runs a scan through the API and returns its stored results. */
  async function scan(query = ''): Promise<CheckResult[]> {
    const post = await fetch(`${exporter!.url}/api/v1/scans/events${query}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(post.status).toBe(202);
    const { scanId } = (await post.json()) as { scanId: string };
    for (;;) {
      const r = (await (await fetch(`${exporter!.url}/api/v1/scans/${scanId}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { status: string; results?: CheckResult[]; incremental?: IncrementalOutcome };
      if (r.status === 'done' && r.results) {
        outcome = r.incremental;
        return r.results;
      }
      if (r.status === 'failed') throw new Error(JSON.stringify(r));
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  const expected = (n: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (i % 50) + 0.25;
    return { rows: n, sum, max: Math.min(n, 50) - 1 + 0.25 };
  };

  beforeAll(async () => {
    await duckdbExec(warehouse, ['CREATE TABLE events (id BIGINT, created_at TIMESTAMP, amount DECIMAL(10,2), ref BIGINT)']);
    await append(0, 1000);
    await start();
  });
  afterAll(async () => {
    await exporter?.stop();
    p.cleanup();
  });

  it('merges new rows, keeps its state across a restart, and reads everything again on ?full=true', async () => {
    const first = await scan();
    expect(first.map((r) => r.source)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(first[0]!.value).toBe(1000);
    expect(first[4]!.value).toBe(0);
    expect(outcome).toMatchObject({ mode: 'full', reason: 'no stored partial aggregates yet', rowsRead: 1000 });
    expect(existsSync(p.path('state/state.duckdb.keys'))).toBe(true);

    await append(1000, 1300);
    const second = await scan();
    expect(second.map((r) => r.source)).toEqual(['incremental', 'incremental', 'incremental', 'incremental', 'incremental']);
    expect(second.slice(0, 3).map((r) => r.value)).toEqual([1300, expected(1300).sum, expected(1300).max]);
    // refs 1200…1299 repeat 0…99.
    expect(second[4]!.value).toBe(100);
    // The scan API and the dataset API say how the rows were read.
    expect(outcome).toEqual({ mode: 'incremental', rowsRead: 300, watermark: '2024-01-01 00:21:39' });
    const { datasets } = (await (await fetch(`${exporter!.url}/api/v1/datasets`)).json()) as { datasets: { dataset: string; latest: { incremental?: IncrementalOutcome } | null }[] };
    expect(datasets.find((d) => d.dataset === 'events')?.latest?.incremental).toEqual(outcome);

    // The partials were committed with the scan: a restarted service carries on from them.
    await exporter!.stop();
    await append(1300, 1500);
    await start();
    const third = await scan();
    expect(third[0]).toMatchObject({ source: 'incremental', value: 1500 });
    expect(third[1]!.value).toBe(expected(1500).sum);
    expect(third[4]).toMatchObject({ source: 'incremental', value: 300 });

    const full = await scan('?full=true');
    expect(full.map((r) => r.source)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(outcome).toMatchObject({ mode: 'full', reason: 'a full scan was requested', rowsRead: 1500 });
    // Freshness is an age: it grows between scans.
    expect([...full.slice(0, 3), full[4]!].map((r) => r.value)).toEqual([...third.slice(0, 3), third[4]!].map((r) => r.value));
    // Rebuilt by the full scan, the index serves the next incremental one.
    await append(1500, 1600);
    const after = await scan();
    expect(after[4]).toMatchObject({ source: 'incremental', value: 400 });
    const bad = await fetch(`${exporter!.url}/api/v1/scans/events?full=yes`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bad.status).toBe(400);
  }, 60_000);
});
