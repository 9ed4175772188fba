import { type ChildProcess, spawn } from 'node:child_process';
import { eventually } from '../testing/exporterFixture';
import { freePort } from '../testing/freePort';
import { CLI } from '../testing/runCli';
import { tempProject } from '../testing/tempDir';

/**
 * `kill -9` while batches of OpenLineage events stream in: every event answered 2xx is there
 * after the restart, and every batch is all or nothing (one transaction per commit).
 */
describe('lineage ingestion survives SIGKILL', () => {
  const project = tempProject({
    'datatrust.yml': ['sources:', '  wh: { type: duckdb, path: ":memory:" }', 'datasets: {}', 'checks: []', 'state: { path: state/state.duckdb }'].join('\n'),
  });
  afterAll(() => project.cleanup());

  async function startServe(): Promise<{ child: ChildProcess; url: string }> {
    const port = await freePort();
    let log = '';
    const child = spawn(process.execPath, [CLI, 'serve', '-c', project.path('datatrust.yml'), '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    await eventually(async () => (await fetch(`${url}/readyz`)).ok, 20_000, 50).catch((e: Error) => {
      throw new Error(`${e.message}\n${log}`);
    });
    return { child, url };
  }
  const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

  const batch = (b: number) =>
    Array.from({ length: 50 }, (_, i) => ({
      eventType: 'COMPLETE',
      eventTime: new Date(Date.UTC(2026, 10, 30, 0, 0, 0, b * 50 + i)).toISOString(),
      run: { runId: `0194f1b6-3c55-7d1e-9a7e-${String(b * 50 + i).padStart(12, '0')}` },
      job: { namespace: 'crash', name: `job_${b}` },
      inputs: [{ namespace: 'pg', name: `in_${b}_${i}` }],
      outputs: [{ namespace: 'pg', name: `out_${b}` }],
      producer: 'https://example.com/crash-test',
    }));

  test('what was answered 2xx is kept; nothing is half-written', async () => {
    const acknowledged = new Set<number>();
    const sent: number[] = [];
    for (let round = 0; round < 3; round++) {
      const { child, url } = await startServe();
      let next = round * 1000;
      const senders = Array.from({ length: 3 }, async () => {
        for (;;) {
          const b = next++;
          sent.push(b);
          try {
            const res = await fetch(`${url}/api/v1/lineage/batch`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(batch(b)) });
            if (res.ok) acknowledged.add(b);
          } catch {
            return; // the server died under us
          }
        }
      });
      // Kill mid-stream: once this round has had answers, a little later, while batches are in flight.
      const before = acknowledged.size;
      await eventually(() => acknowledged.size >= before + 2, 30_000, 10);
      await new Promise((r) => setTimeout(r, 50 + round * 70));
      child.kill('SIGKILL');
      await exited(child);
      await Promise.all(senders);
    }
    expect(acknowledged.size).toBeGreaterThan(3);

    const { child, url } = await startServe();
    try {
      for (const b of sent) {
        const res = await fetch(`${url}/api/v1/namespaces/crash/jobs/job_${b}/runs?limit=100`);
        const runs = res.status === 200 ? ((await res.json()) as { runs: unknown[] }).runs.length : 0;
        if (acknowledged.has(b)) expect([b, runs]).toEqual([b, 50]);
        else expect([b, [0, 50]]).toEqual([b, expect.arrayContaining([runs])]);
      }
    } finally {
      child.kill('SIGTERM');
      await exited(child);
    }
  }, 120_000);
});
