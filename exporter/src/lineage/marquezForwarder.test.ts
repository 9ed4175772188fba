import { loadProject } from '../config/loadProject';
import { runExporter, type RunningExporter } from '../server/runExporter';
import { duckdbExec } from '../testing/duckdbFile';
import { eventually, TOKEN } from '../testing/exporterFixture';
import { freePort } from '../testing/freePort';
import { type HttpReceiver, startHttpReceiver } from '../testing/httpReceiver';
import { tempProject } from '../testing/tempDir';

interface Sent {
  eventType: string;
  eventTime: string;
  run: { runId: string };
  job: { name: string };
}

/**
 * A Marquez stand-in on loopback that records what it receives, down at first, brought back,
 * taken down again: every event the exporter stored reaches it exactly once, in order, and
 * nobody waits for it meanwhile.
 */
describe('forwarding to Marquez through the durable queue', () => {
  const project = tempProject({
    'datatrust.yml': [
      'sources:',
      '  wh: { type: duckdb, path: wh.duckdb }',
      'datasets:',
      '  orders: { table: main.orders }',
      'checks: [checks.yml]',
      'server: { scan_on_start: false }',
      'state: { path: state/state.duckdb }',
      'lineage: { marquez_url: "${MARQUEZ_URL}", marquez_api_key: "${MARQUEZ_API_KEY}" }',
    ].join('\n'),
    'checks.yml': 'checks for orders:\n  - row_count > 0\n  - missing_count(id) = 0\n',
  });
  let port: number;
  let marquez: HttpReceiver | undefined;
  let exporter: RunningExporter;
  const received: Sent[] = [];
  let refuse: (e: Sent) => boolean = () => false;

  const upMarquez = async () => {
    marquez = await startHttpReceiver((req, res) => {
      const e = JSON.parse(req.body) as Sent;
      if (req.headers.authorization !== 'Bearer marquez-key-123456' || req.url !== '/api/v1/lineage') {
        res.statusCode = 401;
        return res.end('{}');
      }
      if (refuse(e)) {
        res.statusCode = 400;
        return res.end('{"code":400,"message":"namespace is invalid"}');
      }
      received.push(e);
      res.statusCode = 201;
      res.end();
    }, port);
  };
  const downMarquez = async () => {
    await marquez?.close();
    marquez = undefined;
  };
  const start = async () => {
    const p = loadProject(project.path('datatrust.yml'), { env: { MARQUEZ_URL: `http://127.0.0.1:${port}`, MARQUEZ_API_KEY: 'marquez-key-123456' } });
    if (p.blocking.length) throw new Error(JSON.stringify(p.blocking));
    exporter = await runExporter({ project: p, port: 0, host: '127.0.0.1', token: TOKEN });
  };
  let n = 0;
  const run = async (job: string) => {
    const runId = `0194f1b6-3c55-7d1e-9a7e-${String(++n).padStart(12, '0')}`;
    for (const eventType of ['START', 'COMPLETE']) {
      const t = Date.now();
      const res = await fetch(`${exporter.url}/api/v1/lineage`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ eventType, eventTime: new Date().toISOString(), run: { runId }, job: { namespace: 'etl', name: job }, producer: 'https://example.com/p' }),
      });
      expect(res.status).toBe(201);
      // Ingestion never waits for Marquez.
      expect(Date.now() - t).toBeLessThan(5000);
    }
    return runId;
  };
  const metric = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`${exporter.url}/metrics`)).text())?.[1]);

  beforeAll(async () => {
    port = await freePort();
    await duckdbExec(project.path('wh.duckdb'), ['CREATE TABLE orders AS SELECT range AS id FROM range(10)']);
  });
  afterAll(async () => {
    await exporter?.stop();
    await downMarquez();
    project.cleanup();
  });

  test('Marquez down for a whole run, then up: nothing lost, nothing twice, in order, across a restart', async () => {
    await start();
    const sentRuns = [await run('extract'), await run('load')];
    const scan = await fetch(`${exporter.url}/api/v1/scans/orders`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(scan.status).toBe(202);
    await eventually(async () => (await metric('datatrust_lineage_forward_pending')) === 6, 20_000);
    expect((await fetch(`${exporter.url}/api/v1/breakers/orders`)).status).toBe(200);
    await exporter.stop();

    await start();
    await upMarquez();
    await eventually(() => received.length >= 6, 30_000);
    await eventually(async () => (await metric('datatrust_lineage_forward_pending')) === 0, 10_000);
    const keys = received.map((e) => `${e.run.runId}/${e.eventType}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const runId of sentRuns) expect(keys.indexOf(`${runId}/START`)).toBeLessThan(keys.indexOf(`${runId}/COMPLETE`));
    expect(received.filter((e) => e.job.name === 'datatrust.scan.orders').map((e) => e.eventType)).toEqual(['START', 'COMPLETE']);
  }, 90_000);

  test('taken down and brought back again: the backlog drains in order', async () => {
    const before = received.length;
    await downMarquez();
    const runs = [await run('again'), await run('again')];
    await new Promise((r) => setTimeout(r, 1500));
    await upMarquez();
    await eventually(() => received.length >= before + 4, 30_000);
    expect(received.slice(before).map((e) => `${e.run.runId}/${e.eventType}`)).toEqual(runs.flatMap((r) => [`${r}/START`, `${r}/COMPLETE`]));
  }, 60_000);

  test('an event Marquez rejects is set aside and the rest go on', async () => {
    const before = received.length;
    refuse = (e) => e.job.name === 'rejected';
    await run('rejected');
    const ok = await run('accepted');
    await eventually(() => received.length >= before + 2, 30_000);
    expect(received.slice(before).map((e) => e.run.runId)).toEqual([ok, ok]);
  }, 60_000);
});
