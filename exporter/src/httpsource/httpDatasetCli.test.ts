import type { ServerResponse } from 'node:http';
import { type CapturedRequest, type HttpReceiver, startHttpReceiver } from '../testing/httpReceiver';
import { freePort } from '../testing/freePort';
import { runCli } from '../testing/runCli';
import { tempProject } from '../testing/tempDir';

const TOKEN = 'sk-live-7Hq2ZpL9xV4mR8tW';
const ORDERS = Array.from({ length: 23 }, (_, i) => ({ id: i + 1, amount: i + 1, customer: { tier: i % 2 ? 'gold' : 'basic' }, updated_at: new Date(Date.now() - (i + 1) * 60_000).toISOString() }));
const CHECKS = ['checks for orders_api:', '  - row_count = 23', '  - duplicate_count(id) = 0', '  - missing_count(customer.tier) = 0', '  - freshness(updated_at) < 1h', ''].join('\n');

function project(url: string, extra: string[] = []) {
  return tempProject({
    'datatrust.yml': [
      'datasets:',
      '  orders_api:',
      '    http:',
      `      url: ${url}`,
      '      headers: { Authorization: "Bearer ${ORDERS_TOKEN}" }',
      '      records: items',
      ...extra.map((l) => `      ${l}`),
      'checks: [checks.yml]',
      '',
    ].join('\n'),
    'checks.yml': CHECKS,
  });
}

let api: HttpReceiver;
beforeEach(async () => {
  api = await startHttpReceiver();
});
afterEach(() => api.close());

describe('datatrust scan on an HTTP API', () => {
  it('scans a paginated, rate-limited API end to end: waits out the 429, reads every page, passes', async () => {
    const limited = new Set<number>();
    api.respond((req, res) => {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end();
      const page = Number(new URL(req.url, api.base).searchParams.get('page') ?? 1);
      // The rate limit hits page 2 once.
      if (page === 2 && !limited.has(page)) {
        limited.add(page);
        return void res.writeHead(429, { 'retry-after': '1' }).end('{"error":"rate limited"}');
      }
      const link = page * 10 < ORDERS.length ? { link: `<${api.base}/v1/orders?page=${page + 1}>; rel="next"` } : {};
      res.writeHead(200, { 'content-type': 'application/json', ...link }).end(JSON.stringify({ items: ORDERS.slice((page - 1) * 10, page * 10) }));
    });
    const p = project(`${api.base}/v1/orders`, ['pagination: { type: link_header }']);
    try {
      const started = Date.now();
      const r = await runCli(['scan', '-c', p.path('datatrust.yml'), '-f', 'json'], { env: { ORDERS_TOKEN: TOKEN } });
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { datasets: { checks: { outcome: string }[] }[]; summary: Record<string, number> };
      expect(out.summary).toMatchObject({ pass: 4, fail: 0, error: 0 });
      expect(api.requests.map((q) => q.url)).toEqual(['/v1/orders', '/v1/orders?page=2', '/v1/orders?page=2', '/v1/orders?page=3']);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    } finally {
      p.cleanup();
    }
  });

  it('never prints the token, however the API fails, in any output format', async () => {
    // One dataset per way of failing, all echoing the credentials they got, as some APIs do.
    const port = await freePort();
    const failures: Record<string, { respond: (req: CapturedRequest, res: ServerResponse) => void; extra?: string[]; url?: string }> = {
      unauthorized: { respond: (req, res) => void res.writeHead(401).end(`rejected ${String(req.headers.authorization)} on ${req.url}`) },
      unavailable: { respond: (req, res) => void res.writeHead(503).end(`down; you sent ${String(req.headers.authorization)}`), extra: ['retries: 1'] },
      not_json: { respond: (req, res) => void res.writeHead(200).end(`{"items": [${String(req.headers.authorization)}`) },
      not_a_list: { respond: (req, res) => void res.writeHead(200).end(JSON.stringify({ items: { token: req.headers.authorization } })) },
      too_slow: { respond: () => undefined, extra: ['timeout: 1s', 'retries: 0'] },
      refused: { respond: () => undefined, url: `http://127.0.0.1:${port}/refused?key=\${ORDERS_TOKEN}`, extra: ['retries: 0'] },
    };
    api.respond((req, res) => failures[new URL(req.url, api.base).pathname.slice(1)]!.respond(req, res));
    const config = ['datasets:'];
    for (const [name, f] of Object.entries(failures)) {
      config.push(`  ${name}:`, '    http:', `      url: ${f.url ?? `${api.base}/${name}?key=\${ORDERS_TOKEN}`}`, '      headers: { Authorization: "Bearer ${ORDERS_TOKEN}" }', '      records: items', ...(f.extra ?? []).map((l) => `      ${l}`));
    }
    const p = tempProject({
      'datatrust.yml': [...config, 'checks: [checks.yml]', 'scan: { concurrency: 6 }', ''].join('\n'),
      'checks.yml': Object.keys(failures).map((name) => `checks for ${name}:\n  - row_count > 0\n`).join(''),
    });
    try {
      for (const format of ['text', 'json', 'markdown', 'junit']) {
        const r = await runCli(['scan', '-c', p.path('datatrust.yml'), '-f', format], { env: { ORDERS_TOKEN: TOKEN } });
        expect({ format, code: r.code }).toEqual({ format, code: 3 });
        expect(r.stdout + r.stderr).not.toContain(TOKEN);
        if (format === 'json') {
          const errors = (JSON.parse(r.stdout) as { datasets: { checks: { error: string }[] }[] }).datasets.map((d) => d.checks[0]!.error);
          expect(errors).toEqual([
            expect.stringMatching(/answered 401 Unauthorized: rejected Bearer \[redacted\] on \/unauthorized\?key=\[redacted\]$/),
            expect.stringMatching(/answered 503 Service Unavailable: down; you sent Bearer \[redacted\] \(after 2 attempts/),
            expect.stringMatching(/is not JSON/),
            expect.stringMatching(/`items` is an object, not a list of records/),
            expect.stringMatching(/no answer within 1 s \(http\.timeout\)/),
            expect.stringMatching(/GET http:\/\/127\.0\.0\.1:\d+\/refused\?key=\[redacted\] failed: connect ECONNREFUSED/),
          ]);
        }
      }
    } finally {
      p.cleanup();
    }
  }, 60_000);
});
