import { gzipSync } from 'node:zlib';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { loadProject } from '../config/loadProject';
import { duckdbExec } from '../testing/duckdbFile';
import { TOKEN } from '../testing/exporterFixture';
import { rawRequest, timedGet } from '../testing/rawHttp';
import { tempProject } from '../testing/tempDir';
import { jsonBody } from './bodyLimits';
import { runExporter, type RunningExporter } from './runExporter';

/** `orders` is critical and not scanned yet: its gate answers 423, and a long-poll on it waits. */
async function limitedExporter(server: string) {
  const p = tempProject({
    'datatrust.yml': ['sources: { wh: { type: duckdb, path: wh.duckdb } }', 'datasets: { orders: { table: main.orders, critical: true } }', 'checks: [checks.yml]', `server: { scan_on_start: false, ${server} }`, 'state: { path: state.duckdb }'].join('\n'),
    'checks.yml': 'checks for orders:\n  - row_count > 0\n',
  });
  await duckdbExec(p.path('wh.duckdb'), ['CREATE TABLE orders AS SELECT 1 AS id']);
  const exporter = await runExporter({ project: loadProject(p.path('datatrust.yml')), port: 0, host: '127.0.0.1', token: TOKEN });
  const port = (exporter.server.address() as AddressInfo).port;
  return { exporter, port, cleanup: async () => (await exporter.stop(500), p.cleanup()) };
}

const head = (lines: string[]) => lines.join('\r\n') + '\r\n\r\n';

describe('HTTP limits', () => {
  let fx: { exporter: RunningExporter; port: number; cleanup: () => Promise<void> };
  beforeAll(async () => {
    fx = await limitedExporter('max_connections: 16, max_long_polls: 4');
  });
  afterAll(async () => fx.cleanup());

  it('refuses an unauthenticated POST at once and closes the connection, without waiting for its body', async () => {
    const r = await rawRequest(fx.port, head(['POST /api/v1/breakers/orders/override HTTP/1.1', 'Host: x', 'Content-Type: application/json', 'Content-Length: 100']));
    expect(r).toMatchObject({ status: 401, closed: true });
    expect(r.ms).toBeLessThan(1000);
  });

  it('refuses a body declared larger than the limit before it is sent, and closes the connection', async () => {
    const r = await rawRequest(fx.port, head(['POST /api/v1/breakers/orders/override HTTP/1.1', 'Host: x', `Authorization: Bearer ${TOKEN}`, 'Content-Type: application/json', 'Content-Length: 20000']));
    expect(r).toMatchObject({ status: 413, closed: true });
    expect(r.text).toContain('request body is larger than 16 KB');
  });

  it('applies a route\'s own larger limit the same way: lineage ingestion refuses a declared 6 MB body before it is sent', async () => {
    const r = await rawRequest(fx.port, head(['POST /api/v1/lineage HTTP/1.1', 'Host: x', `Authorization: Bearer ${TOKEN}`, 'Content-Type: application/json', `Content-Length: ${6 * 1024 * 1024}`]));
    expect(r).toMatchObject({ status: 413, closed: true });
    expect(r.text).toContain('request body is larger than 5 MB');
    expect(r.ms).toBeLessThan(1000);
  });

  it('closes a connection whose request declared a body the route did not read', async () => {
    const r = await rawRequest(fx.port, head(['GET /healthz HTTP/1.1', 'Host: x', 'Content-Length: 100']));
    expect(r).toMatchObject({ status: 200, closed: true });
  });

  it('keeps a connection whose body was read open for the next request', async () => {
    const body = JSON.stringify({ state: 'open', reason: 'x', ttl: 'oops' });
    const r = await rawRequest(fx.port, head(['POST /api/v1/breakers/orders/override HTTP/1.1', 'Host: x', `Authorization: Bearer ${TOKEN}`, 'Content-Type: application/json', `Content-Length: ${body.length}`]) + body, 500);
    expect(r).toMatchObject({ status: 400, closed: false });
    r.socket.destroy();
  });

  it('caps long-polls with 503 and Retry-After; the plain gate still answers', async () => {
    const polls = Array.from({ length: 4 }, () => rawRequest(fx.port, head(['GET /api/v1/breakers/orders?wait=1m HTTP/1.1', 'Host: x']), 1500));
    await new Promise((r) => setTimeout(r, 300));
    const refused = await rawRequest(fx.port, head(['GET /api/v1/breakers/orders?wait=1m HTTP/1.1', 'Host: x']), 1000);
    expect(refused.status).toBe(503);
    expect(refused.text).toMatch(/\r\nretry-after: 5\r\n/i);
    expect(refused.text).toContain('server.max_long_polls: 4');
    expect((await timedGet(`${fx.exporter.url}/api/v1/breakers/orders`)).status).toBe(423);
    for (const p of await Promise.all(polls)) {
      expect(p.status).toBeUndefined();
      p.socket.destroy();
    }
  });

  it('makes room at the connection cap by closing the oldest idle connection', async () => {
    const idle = await Promise.all(Array.from({ length: 16 }, () => rawRequest(fx.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n', 200)));
    expect((await timedGet(`${fx.exporter.url}/healthz`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(idle[0]!.socket.destroyed || idle[0]!.socket.readableEnded).toBe(true);
    for (const s of idle) s.socket.destroy();
  });

  it('refuses a new connection with 503 and Retry-After when every connection is busy', async () => {
    // 4 long-polls and 12 authenticated requests whose bodies never come: all busy.
    const busy = await Promise.all([
      ...Array.from({ length: 4 }, () => rawRequest(fx.port, head(['GET /api/v1/breakers/orders?wait=1m HTTP/1.1', 'Host: x']), 200)),
      ...Array.from({ length: 12 }, () => rawRequest(fx.port, head(['POST /api/v1/breakers/orders/override HTTP/1.1', 'Host: x', `Authorization: Bearer ${TOKEN}`, 'Content-Type: application/json', 'Content-Length: 100']), 200)),
    ]);
    const refused = await rawRequest(fx.port, head(['GET /healthz HTTP/1.1', 'Host: x']), 1000);
    expect(refused).toMatchObject({ status: 503, closed: true });
    expect(refused.text).toMatch(/\r\nRetry-After: 1\r\n/);
    for (const b of busy) b.socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect((await timedGet(`${fx.exporter.url}/healthz`)).status).toBe(200);
  });
});

describe('per-route body limits', () => {
  it('lets a route declare a larger limit, applied to the decompressed body', async () => {
    const app = express();
    app.post('/small', jsonBody(), (req, res) => void res.json({ n: JSON.stringify(req.body).length }));
    app.post('/big', jsonBody({ limit: 2 * 1024 * 1024 }), (req, res) => void res.json({ n: JSON.stringify(req.body).length }));
    app.use((err: { status?: number; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(err.status ?? 500).json({ error: err.message }));
    const server = createServer(app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = (path: string, json: string, gzip = false) =>
      fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}) }, body: gzip ? gzipSync(json) : json });
    try {
      const half = JSON.stringify({ events: 'x'.repeat(512 * 1024) });
      expect((await post('/small', half)).status).toBe(413);
      expect(await (await post('/big', half, true)).json()).toEqual({ n: half.length });
      // 3 MB of JSON that gzips to a few KB: the limit is on what it inflates to.
      const bomb = JSON.stringify({ events: 'x'.repeat(3 * 1024 * 1024) });
      const r = await post('/big', bomb, true);
      expect(r.status).toBe(413);
      expect(await r.json()).toEqual({ error: 'request body is larger than 2 MB' });
    } finally {
      server.close();
    }
  });

});
