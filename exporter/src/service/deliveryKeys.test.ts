import { type ChildProcess, spawn } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { duckdbExec } from '../testing/duckdbFile';
import { eventually } from '../testing/exporterFixture';
import { freePort } from '../testing/freePort';
import { type CapturedRequest, startHttpReceiver } from '../testing/httpReceiver';
import { CLI } from '../testing/runCli';
import { tempProject } from '../testing/tempDir';

const TOKEN = 'delivery-keys-token-0123456789';

interface Delivery {
  key: string;
  eventIds: string[];
  datasets: string[];
}

const delivery = (r: CapturedRequest): Delivery => {
  const events = (JSON.parse(r.body) as { events: { id: string; dataset: string }[] }).events;
  return { key: String(r.headers['idempotency-key']), eventIds: events.map((e) => e.id).sort(), datasets: events.map((e) => e.dataset).sort() };
};

/**
 * The webhook's Idempotency-Key must survive `kill -9`: a batch, once formed and attempted,
 * keeps its members and its key until delivered, whatever was committed while the service was
 * down. Deterministic: the service is killed each time while the receiver holds its request.
 */
describe('delivery keys across kill -9', () => {
  it('redelivers the interrupted batch with the same key and members, and never one event under two keys', async () => {
    const p = tempProject({
      'datatrust.yml': [
        'sources: { wh: { type: duckdb, path: wh.duckdb } }',
        'datasets:',
        ...['a', 'b', 'c', 'd'].map((d) => `  ${d}: { table: main.t }`),
        'checks: [checks.yml]',
        'server: { scan_on_start: false }',
        'state: { path: state.duckdb }',
        'alerts:',
        '  group_window: 1s',
        '  channels:',
        '    hooks: { type: webhook, url: "${HOOK_URL}" }',
      ].join('\n'),
      // Every scan fails: each dataset's first scan opens an incident, one alert each.
      'checks.yml': ['a', 'b', 'c', 'd'].map((d) => `checks for ${d}:\n  - row_count = 0\n`).join(''),
    });
    await duckdbExec(p.path('wh.duckdb'), ['CREATE TABLE t AS SELECT 1 AS id']);
    const held: ServerResponse[] = [];
    const receiver = await startHttpReceiver((_req, res) => held.push(res));
    let serve: { child: ChildProcess; url: string } | undefined;
    let seen = 0;

    const start = async () => {
      const port = await freePort();
      const child = spawn(process.execPath, [CLI, 'serve', '-c', p.path('datatrust.yml'), '--port', String(port)], {
        env: { ...process.env, HOOK_URL: `${receiver.base}/hook`, DATATRUST_API_TOKEN: TOKEN },
        stdio: 'ignore',
      });
      const url = `http://127.0.0.1:${port}`;
      await eventually(async () => (await fetch(`${url}/readyz`)).ok, 20_000, 50);
      serve = { child, url };
    };
    const kill = async () => {
      const { child } = serve!;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      held.length = 0;
      serve = undefined;
    };
    const scan = async (dataset: string) => {
      const r = await fetch(`${serve!.url}/api/v1/scans/${dataset}`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(r.status).toBe(202);
      // 423 once the failing scan is committed, its alert with it.
      await eventually(async () => (await fetch(`${serve!.url}/api/v1/breakers/${dataset}`)).status === 423);
    };
    /** The next request the receiver got (and holds). */
    const next = async (): Promise<Delivery> => {
      await eventually(() => receiver.requests.length > seen, 15_000);
      return delivery(receiver.requests[seen++]!);
    };
    const answer = () => held.shift()!.end('ok');

    try {
      await start();
      await scan('a');
      const first = await next();
      expect(first.datasets).toEqual(['a']);
      // While the receiver processes it, more incidents are committed; then the service dies.
      await scan('b');
      await scan('c');
      await kill();

      await start();
      expect(await next()).toEqual(first);
      await kill();

      await start();
      expect(await next()).toEqual(first);
      answer();
      const second = await next();
      expect(second.datasets).toEqual(['b', 'c']);
      expect(second.key).not.toBe(first.key);
      await scan('d');
      await kill();

      await start();
      expect(await next()).toEqual(second);
      await kill();

      await start();
      expect(await next()).toEqual(second);
      answer();
      const third = await next();
      expect(third.datasets).toEqual(['d']);
      await kill();

      await start();
      expect(await next()).toEqual(third);
      answer();

      // Over the series: 5 kills, every event under exactly one key.
      const keysByEvent = new Map<string, Set<string>>();
      for (const r of receiver.requests) for (const id of delivery(r).eventIds) keysByEvent.set(id, (keysByEvent.get(id) ?? new Set()).add(delivery(r).key));
      expect(keysByEvent.size).toBe(4);
      expect([...keysByEvent.values()].filter((keys) => keys.size > 1)).toEqual([]);
      process.stderr.write(`delivery keys: 5 kills, ${receiver.requests.length} requests for ${keysByEvent.size} events, 0 events under more than one key\n`);
    } finally {
      if (serve) await kill();
      await receiver.close();
      p.cleanup();
    }
  }, 120_000);
});
