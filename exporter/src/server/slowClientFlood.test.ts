import { type ChildProcess, spawn } from 'node:child_process';
import { duckdbExec } from '../testing/duckdbFile';
import { eventually } from '../testing/exporterFixture';
import { freePort } from '../testing/freePort';
import { timedGet } from '../testing/rawHttp';
import { CLI } from '../testing/runCli';
import { tempProject } from '../testing/tempDir';

/**
 * The fault as it was found: clients that open requests and never finish them (20,000 POSTs
 * with `Content-Length: 100` and no body) held their sockets forever, the exporter ran out of
 * file descriptors, and the gate and /healthz stopped answering. Here the exporter runs as
 * `datatrust serve` with 1,024 file descriptors, and 3,000 slow clients keep reconnecting: the
 * gate and /healthz must keep answering.
 */
const ATTACKERS = 3000;
const FD_LIMIT = 1024;

const ATTACKS = {
  'unauthenticated slow body': 'POST /api/v1/breakers/orders/override HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n',
  'slow headers': 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ',
  'GET with a body that never comes': 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n',
  'long-poll': 'GET /api/v1/breakers/orders?wait=5m HTTP/1.1\r\nHost: x\r\n\r\n',
};

/**
 * The attackers, in a process of their own so they do not slow the test's measuring client:
 * `count` slow connections, a quarter of each kind; one the server closes is reopened 5 to 15 s
 * later, slowloris-style, to keep the pressure on. (A connection-rate flood is another fault,
 * for the proxy's per-client rate limits: see docs/deployment.md.) On SIGTERM it prints what
 * the server answered them.
 */
const FLOOD_SCRIPT = `
const net = require('node:net');
const [port, count] = process.argv.slice(1).map(Number);
const attacks = ${JSON.stringify(Object.values(ATTACKS))};
const statuses = {};
let opened = 0;
let answered = 0;
const open = (head) => {
  opened++;
  const s = net.connect(port, '127.0.0.1', () => s.write(head));
  s.on('data', (d) => {
    const m = /^HTTP\\/1\\.1 (\\d{3})/.exec(d.toString());
    if (m) statuses[m[1]] = (statuses[m[1]] || 0) + 1;
    // Half the first wave answered (401s, 200s, 503s): the opening burst is over.
    if (m && ++answered === count / 2) process.stdout.write('ready\\n');
  });
  s.on('error', () => undefined);
  s.on('close', () => setTimeout(() => open(head), 5000 + Math.random() * 10000));
};
for (let i = 0; i < count; i++) open(attacks[i % attacks.length]);
process.on('SIGTERM', () => { process.stdout.write(JSON.stringify({ opened, statuses }) + '\\n'); process.exit(0); });
`;

function flood(port: number, count: number) {
  const child = spawn(process.execPath, ['-e', FLOOD_SCRIPT, String(port), String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return {
    /** Resolves once the server has answered half the first wave: the burst of opening them is over. */
    ready: () => eventually(() => out.startsWith('ready\n'), 30_000, 50),
    async stop(): Promise<{ opened: number; statuses: Record<string, number> }> {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      const last = out.trim().split('\n').pop() ?? '';
      return last.startsWith('{') ? (JSON.parse(last) as { opened: number; statuses: Record<string, number> }) : { opened: 0, statuses: {} };
    },
  };
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!;

async function measure(base: string, rounds: number) {
  const gate: number[] = [];
  const health: number[] = [];
  const failures: string[] = [];
  for (let i = 0; i < rounds; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const g = await timedGet(`${base}/api/v1/breakers/orders`, 2000);
    if (g.status === 423) gate.push(g.ms);
    else failures.push(`gate: ${g.status ?? g.error}`);
    const h = await timedGet(`${base}/healthz`, 2000);
    if (h.status === 200) health.push(h.ms);
    else failures.push(`/healthz: ${h.status ?? h.error}`);
  }
  return { gate, health, failures };
}

describe('slow clients', () => {
  it('cannot take the gate and /healthz down: they keep answering during a flood of slow requests', async () => {
    const p = tempProject({
      'datatrust.yml': [
        'sources: { wh: { type: duckdb, path: wh.duckdb } }',
        'datasets: { orders: { table: main.orders, critical: true } }',
        'checks: [checks.yml]',
        'server: { scan_on_start: false, max_connections: 400, max_long_polls: 100 }',
        'state: { path: state.duckdb }',
      ].join('\n'),
      'checks.yml': 'checks for orders:\n  - row_count > 0\n',
    });
    await duckdbExec(p.path('wh.duckdb'), ['CREATE TABLE orders AS SELECT 1 AS id']);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let serve: ChildProcess | undefined;
    let attack: ReturnType<typeof flood> | undefined;
    let stderr = '';
    try {
      serve = spawn('sh', ['-c', `ulimit -n ${FD_LIMIT} && exec "$0" "$@"`, process.execPath, CLI, 'serve', '-c', p.path('datatrust.yml'), '--port', String(port)], {
        env: { ...process.env, DATATRUST_API_TOKEN: 'flood-test-token-0123456789' },
      });
      serve.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      await eventually(async () => (await timedGet(`${base}/healthz`, 500)).status === 200, 20_000, 100);
      const before = await measure(base, 50);
      expect(before.failures).toEqual([]);

      attack = flood(port, ATTACKERS);
      // Measured once all slow clients are in, with the caps hit and the refused ones coming back.
      await attack.ready();
      await new Promise((r) => setTimeout(r, 1000));
      const during = await measure(base, 50);
      const stats = await attack.stop();

      const line = (xs: number[]) => `median ${percentile(xs, 0.5)} ms, p99 ${percentile(xs, 0.99)} ms, max ${Math.max(...xs)} ms`;
      process.stderr.write(
        `slow-client flood (${ATTACKERS} slow clients, ${stats.opened} connections opened, server limited to ${FD_LIMIT} file descriptors):\n` +
          `  gate before ${line(before.gate)}; during ${line(during.gate)}\n  /healthz before ${line(before.health)}; during ${line(during.health)}\n` +
          `  answers the slow clients got: ${JSON.stringify(stats.statuses)}\n`,
      );
      // Every gate and /healthz request answered, none waited anywhere near the client's 2 s.
      expect(during.failures).toEqual([]);
      expect(percentile(during.gate, 0.99)).toBeLessThan(1000);
      expect(percentile(during.health, 0.99)).toBeLessThan(1000);
      // The slow clients were refused, not served forever: 401 for the unauthenticated POSTs,
      // 503 for long-polls past the cap, their connections closed.
      expect(stats.statuses['401']).toBeGreaterThan(0);
      expect(stats.statuses['503']).toBeGreaterThan(0);
      expect(serve.exitCode).toBeNull();
    } finally {
      await attack?.stop();
      serve?.kill('SIGTERM');
      if (serve && serve.exitCode === null) await new Promise((r) => serve!.once('exit', r));
      p.cleanup();
    }
    expect(stderr).not.toMatch(/EMFILE|http: /);
  }, 120_000);
});
