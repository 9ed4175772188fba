import { type ChildProcess, spawn } from 'node:child_process';
import { DuckDbStateStore } from '../state/duckdbStateStore';
import type { RestoredState } from '../state/stateStore';
import { duckdbExec, duckdbQuery } from '../testing/duckdbFile';
import { eventually } from '../testing/exporterFixture';
import { freePort } from '../testing/freePort';
import { type HttpReceiver, startHttpReceiver } from '../testing/httpReceiver';
import { CLI } from '../testing/runCli';
import { tempProject } from '../testing/tempDir';

/**
 * Kills the exporter with SIGKILL in the middle of scans and alert retries, several times, and
 * checks that nothing committed is lost or half-written and that alerts are neither lost nor
 * (beyond at-least-once redelivery) duplicated.
 */
describe('crash recovery (SIGKILL during scans and alert retries)', () => {
  const CONFIG = [
    'sources:',
    '  wh: { type: duckdb, path: wh.duckdb }',
    'datasets:',
    // `flip` fails on odd seconds: with a scan every second its breaker opens and closes all the time.
    '  flip: { table: main.t, schedule: "${SCHEDULE}", critical: true }',
    '  steady: { table: main.t, schedule: "${SCHEDULE}" }',
    '  flip_report: { table: main.t, upstream: [flip] }',
    'checks: [checks.yml]',
    'server: { scan_on_start: "${SCAN_ON_START}", max_concurrent_scans: 2 }',
    'state: { path: state/state.duckdb }',
    'alerts:',
    '  group_window: 1s',
    '  channels:',
    '    hooks: { type: webhook, url: "${HOOK_URL}" }',
  ].join('\n');
  const CHECKS = [
    'checks for flip:',
    '  - row_count > 0',
    '  - flip:',
    '      flip expression: CAST(epoch(now()) AS BIGINT) % 2',
    '      fail: when = 1',
    '  - avg(v) between 0 and 1000',
    'checks for steady:',
    '  - row_count > 0',
    '  - missing_count(v) = 0',
    '',
  ].join('\n');
  const CHECKS_PER_DATASET: Record<string, number> = { flip: 3, steady: 2 };
  const EVERY_SECOND = '* * * * * *';
  const NEVER = '0 0 1 1 *';

  const project = tempProject({ 'datatrust.yml': CONFIG, 'checks.yml': CHECKS });
  const statePath = project.path('state/state.duckdb');
  let receiver: HttpReceiver;
  let healthy = false;
  /** Event ids by delivery, for the requests the receiver accepted. */
  const accepted: { eventIds: string[] }[] = [];

  beforeAll(async () => {
    await duckdbExec(project.path('wh.duckdb'), ['CREATE TABLE t AS SELECT range AS id, (range % 997)::DOUBLE AS v FROM range(200000)']);
    let n = 0;
    receiver = await startHttpReceiver((req, res) => {
      // While unhealthy, reject every other delivery so retries are always in flight.
      const ok = healthy || n++ % 2 === 1;
      res.statusCode = ok ? 200 : 500;
      res.end(ok ? 'ok' : 'unavailable');
      if (ok) accepted.push({ eventIds: (JSON.parse(req.body) as { events: { id: string }[] }).events.map((e) => e.id) });
    });
  });
  afterAll(async () => {
    await receiver.close();
    project.cleanup();
  });

  async function startServe(schedule: string, scanOnStart: boolean): Promise<{ child: ChildProcess; url: string; log: () => string }> {
    const port = await freePort();
    let log = '';
    const child = spawn(process.execPath, [CLI, 'serve', '-c', project.path('datatrust.yml'), '--port', String(port)], {
      env: { ...process.env, SCHEDULE: schedule, SCAN_ON_START: String(scanOnStart), HOOK_URL: `${receiver.base}/hook`, DATATRUST_API_TOKEN: 't' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    await eventually(async () => (await fetch(`${url}/readyz`)).ok, 20_000, 50).catch((e: Error) => {
      throw new Error(`${e.message}\n${log}`);
    });
    return { child, url, log: () => log };
  }

  const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));

  async function readState(): Promise<RestoredState> {
    const store = new DuckDbStateStore(statePath);
    try {
      return await store.open();
    } finally {
      await store.close();
    }
  }

  /** Invariants of the state file that any interruption must preserve. */
  async function checkInvariants(state: RestoredState): Promise<void> {
    // No half-written scan: every scan has all of its checks' results.
    const perScan = await duckdbQuery(statePath, 'SELECT s.dataset, s.scan_id, count(r.scan_id) AS n FROM scans s LEFT JOIN check_results r USING (scan_id) GROUP BY ALL');
    for (const row of perScan) expect(Number(row.n)).toBe(CHECKS_PER_DATASET[String(row.dataset)]);
    // Counters are written in the same transaction as the results they count.
    const counted = await duckdbQuery(statePath, 'SELECT dataset, outcome, count(*) AS n FROM check_results GROUP BY ALL');
    for (const row of counted) expect(state.counters.evaluations[`${String(row.dataset)}\u0000${String(row.outcome)}`]).toBe(Number(row.n));
    // The audit trail replays to the current breaker state, alternating, with an incident per opening.
    for (const b of state.breakers) {
      const transitions = await duckdbQuery(statePath, `SELECT from_state, to_state, incident_id FROM transitions WHERE dataset = '${b.dataset}' ORDER BY changed_at, rowid`);
      let current = 'closed';
      for (const t of transitions) {
        expect(t.from_state).toBe(current);
        current = String(t.to_state);
        if (current === 'open') expect(t.incident_id).toEqual(expect.any(String));
      }
      expect(current).toBe(b.state);
    }
    const incidents = await duckdbQuery(statePath, 'SELECT incident_id, resolved_at FROM incidents');
    const opened = await duckdbQuery(statePath, "SELECT count(*) AS n FROM transitions WHERE to_state = 'open'");
    expect(incidents).toHaveLength(Number(opened[0]!.n));
    // Every incident has its alert events in the outbox, one per channel.
    const events = await duckdbQuery(statePath, 'SELECT event_id FROM outbox');
    const ids = new Set(events.map((e) => String(e.event_id)));
    for (const i of incidents) {
      expect(ids.has(`${String(i.incident_id)}:opened`)).toBe(true);
      if (i.resolved_at !== null) expect(ids.has(`${String(i.incident_id)}:resolved`)).toBe(true);
    }
  }

  it('loses and duplicates nothing across repeated kill -9 and restarts', async () => {
    const KILLS = 3;
    for (let cycle = 0; cycle < KILLS; cycle++) {
      const serve = await startServe(EVERY_SECOND, true);
      // Let scans and failing deliveries pile up, then kill at an arbitrary moment.
      await new Promise((r) => setTimeout(r, 2200 + Math.floor(Math.random() * 1500)));
      serve.child.kill('SIGKILL');
      await exited(serve.child);

      const state = await readState();
      await checkInvariants(state);
      expect(state.breakers.map((b) => b.dataset).sort()).toEqual(['flip', 'steady']);

      // A restart (schedules off) restores the breakers and counters exactly.
      const again = await startServe(NEVER, false);
      const api = (await (await fetch(`${again.url}/api/v1/breakers`)).json()) as { breakers: { dataset: string; ownState: string; since: string; incidentId?: string }[] };
      for (const b of state.breakers) {
        expect(api.breakers.find((x) => x.dataset === b.dataset)).toMatchObject({ ownState: b.state, since: b.since, ...(b.incidentId ? { incidentId: b.incidentId } : {}) });
      }
      const metrics = await (await fetch(`${again.url}/metrics`)).text();
      for (const [key, n] of Object.entries(state.counters.evaluations)) {
        const [dataset, outcome] = key.split('\u0000');
        expect(metrics).toContain(`datatrust_check_evaluations_total{dataset="${dataset}",outcome="${outcome}"} ${n}\n`);
      }
      again.child.kill('SIGKILL');
      await exited(again.child);
    }

    // The chaos was real: breakers flapped and deliveries were failing and being retried.
    const before = await readState();
    const flips = await duckdbQuery(statePath, 'SELECT count(*) AS n FROM transitions');
    expect(Number(flips[0]!.n)).toBeGreaterThanOrEqual(4);
    expect(before.counters.deliveries['hooks\u0000retry'] ?? 0).toBeGreaterThan(0);

    // Recovery: the receiver is healthy again; a restart must deliver everything still pending.
    healthy = true;
    const last = await startServe(NEVER, false);
    await eventually(async () => /datatrust_alert_outbox_pending\{channel="hooks"\} 0\n/.test(await (await fetch(`${last.url}/metrics`)).text()), 30_000, 200);
    last.child.kill('SIGTERM');
    await exited(last.child);
    expect(last.child.exitCode).toBe(0);

    const final = await duckdbQuery(statePath, 'SELECT event_id, status FROM outbox');
    expect(final.length).toBeGreaterThan(0);
    expect(final.filter((e) => e.status !== 'delivered')).toEqual([]);
    const inOutbox = new Set(final.map((e) => String(e.event_id)));
    const received = accepted.flatMap((a) => a.eventIds);
    // Nothing lost: every committed alert event reached the receiver.
    for (const id of inOutbox) expect(received).toContain(id);
    // Nothing invented, and duplicates only from redelivery after a kill (receivers dedupe by event id).
    for (const id of received) expect(inOutbox.has(id)).toBe(true);
    const duplicates = received.length - new Set(received).size;
    expect(duplicates).toBeLessThanOrEqual(KILLS * 2);
  }, 120_000);
});
