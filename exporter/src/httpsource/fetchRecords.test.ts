import type { HttpDatasetSettings } from '../config/httpDataset';
import { type HttpReceiver, startHttpReceiver } from '../testing/httpReceiver';
import { type FetchTiming, fetchPage, REAL_TIMING } from './fetchPage';
import { fetchRecords } from './fetchRecords';

const ITEMS = Array.from({ length: 25 }, (_, i) => ({ id: i + 1, name: `item ${i + 1}` }));
const SECRET = 'tok-9f8e7d6c5b4a';
/** Retries without the real backoff's half-second waits. */
const FAST: FetchTiming = { ...REAL_TIMING, backoff: { baseMs: 10, capMs: 40 } };

let api: HttpReceiver;
beforeEach(async () => {
  api = await startHttpReceiver();
});
afterEach(() => api.close());

function settings(over: Partial<HttpDatasetSettings> = {}): HttpDatasetSettings {
  return { url: `${api.base}/items`, method: 'GET', headers: {}, query: {}, records: ['data'], maxPages: 100, timeoutMs: 2000, retries: 3, maxBytes: 1_000_000, secrets: [], ...over };
}

function query(url: string): URLSearchParams {
  return new URL(url, 'http://x').searchParams;
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
const ids = (r: Awaited<ReturnType<typeof fetchRecords>>) => r.records.map((x) => x.get('id'));
const soon = () => Date.now() + 10_000;

describe('fetchRecords: pagination', () => {
  it('follows Link rel="next" headers until there is none', async () => {
    api.respond((req, res) => {
      const page = Number(query(req.url).get('p') ?? 1);
      const { body, headers } = json({ data: ITEMS.slice((page - 1) * 10, page * 10) }, page < 3 ? { link: `</items?p=${page + 1}>; rel="next", </items?p=3>; rel="last"` } : {});
      res.writeHead(200, headers).end(body);
    });
    const r = await fetchRecords(settings({ pagination: { type: 'link_header' } }), soon());
    expect(ids(r)).toEqual(ITEMS.map((i) => i.id));
    expect(r.pages).toBe(3);
  });

  it('sends the cursor field back as a parameter until it is null', async () => {
    api.respond((req, res) => {
      const at = Number(query(req.url).get('cursor') ?? 0);
      const next = at + 10 < ITEMS.length ? String(at + 10) : null;
      const { body, headers } = json({ data: ITEMS.slice(at, at + 10), meta: { next } });
      res.writeHead(200, headers).end(body);
    });
    const r = await fetchRecords(settings({ pagination: { type: 'cursor', cursorField: ['meta', 'next'], param: 'cursor' } }), soon());
    expect(ids(r)).toEqual(ITEMS.map((i) => i.id));
    expect(api.requests.map((q) => query(q.url).get('cursor'))).toEqual([null, '10', '20']);
  });

  it('counts pages from `start` with the page size, stopping at a short page', async () => {
    api.respond((req, res) => {
      const q = query(req.url);
      const page = Number(q.get('page'));
      const size = Number(q.get('per_page'));
      const { body, headers } = json({ data: ITEMS.slice(page * size, (page + 1) * size) });
      res.writeHead(200, headers).end(body);
    });
    const r = await fetchRecords(settings({ query: { status: 'open' }, pagination: { type: 'page', param: 'page', start: 0, sizeParam: 'per_page', size: 10 } }), soon());
    expect(ids(r)).toEqual(ITEMS.map((i) => i.id));
    expect(api.requests.map((q) => [query(q.url).get('page'), query(q.url).get('status')])).toEqual([['0', 'open'], ['1', 'open'], ['2', 'open']]);
  });

  it('moves the offset by the records received and stops at a short page', async () => {
    api.respond((req, res) => {
      const q = query(req.url);
      const { body, headers } = json({ data: ITEMS.slice(Number(q.get('offset')), Number(q.get('offset')) + Number(q.get('limit'))) });
      res.writeHead(200, headers).end(body);
    });
    const r = await fetchRecords(settings({ pagination: { type: 'offset', param: 'offset', sizeParam: 'limit', size: 10 } }), soon());
    expect(ids(r)).toEqual(ITEMS.map((i) => i.id));
    expect(api.requests.map((q) => query(q.url).get('offset'))).toEqual(['0', '10', '20']);
  });

  it('is an error, not a truncated dataset, when there are more pages than max_pages', async () => {
    api.respond((req, res) => {
      const page = Number(query(req.url).get('page'));
      const { body, headers } = json({ data: ITEMS.slice((page - 1) * 5, page * 5) });
      res.writeHead(200, headers).end(body);
    });
    await expect(fetchRecords(settings({ maxPages: 3, pagination: { type: 'page', param: 'page', start: 1 } }), soon())).rejects.toThrow(/more than 3 pages \(http\.max_pages\)/);
    expect(api.requests).toHaveLength(3);
  });

  it('accepts exactly max_pages pages when the last one ends the data', async () => {
    api.respond((req, res) => {
      const page = Number(query(req.url).get('page'));
      const { body, headers } = json({ data: ITEMS.slice((page - 1) * 10, page * 10) });
      res.writeHead(200, headers).end(body);
    });
    const r = await fetchRecords(settings({ maxPages: 3, pagination: { type: 'page', param: 'page', start: 1, size: 10 } }), soon());
    expect(r.records).toHaveLength(25);
  });

  it('refuses a cursor that does not move instead of looping', async () => {
    api.respond((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [{ id: 1 }], next: 'same' })));
    await expect(fetchRecords(settings({ pagination: { type: 'cursor', cursorField: ['next'], param: 'c' } }), soon())).rejects.toThrow(/points to itself/);
  });
});

describe('fetchRecords: retries', () => {
  it('waits as a 429 Retry-After (seconds) asks, then succeeds', async () => {
    let calls = 0;
    api.respond((_req, res) => {
      if (++calls === 1) return void res.writeHead(429, { 'retry-after': '1' }).end('slow down');
      res.writeHead(200).end(JSON.stringify({ data: ITEMS }));
    });
    const started = Date.now();
    const r = await fetchRecords(settings(), soon());
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(r.records).toHaveLength(25);
    expect(r.requests).toBe(2);
  });

  it('honours a Retry-After HTTP-date', async () => {
    let calls = 0;
    let askedAt = 0;
    api.respond((_req, res) => {
      if (++calls === 1) {
        askedAt = Date.now();
        // HTTP-dates have whole seconds: two seconds on, so the wait is over one second.
        return void res.writeHead(429, { 'retry-after': new Date(Math.floor(askedAt / 1000) * 1000 + 2000).toUTCString() }).end();
      }
      res.writeHead(200).end(JSON.stringify({ data: ITEMS }));
    });
    await fetchRecords(settings(), soon());
    expect(Date.now() - askedAt).toBeGreaterThanOrEqual(1000);
  });

  it('retries 5xx answers with backoff and gives up after http.retries', async () => {
    api.respond((_req, res) => res.writeHead(503).end('maintenance'));
    await expect(fetchRecords(settings({ retries: 2 }), soon(), FAST)).rejects.toThrow(/answered 503 Service Unavailable: maintenance \(after 3 attempts, http\.retries: 2\)/);
    expect(api.requests).toHaveLength(3);
  });

  it('recovers from a 500 on a later page', async () => {
    let calls = 0;
    api.respond((req, res) => {
      const page = Number(query(req.url).get('page'));
      if (page === 2 && ++calls < 3) return void res.writeHead(500).end();
      res.writeHead(200).end(JSON.stringify({ data: ITEMS.slice((page - 1) * 10, page * 10) }));
    });
    const r = await fetchRecords(settings({ pagination: { type: 'page', param: 'page', start: 1, size: 10 } }), soon(), FAST);
    expect(r.records).toHaveLength(25);
    expect(r.requests).toBe(5);
  });

  it('does not retry a 4xx other than 429', async () => {
    api.respond((_req, res) => res.writeHead(404).end('{"error":"no such list"}'));
    await expect(fetchRecords(settings(), soon(), FAST)).rejects.toThrow(/answered 404 Not Found: \{"error":"no such list"\}$/);
    expect(api.requests).toHaveLength(1);
  });

  it('fails at once when Retry-After asks to wait past the deadline', async () => {
    api.respond((_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end());
    await expect(fetchRecords(settings(), soon())).rejects.toThrow(/Retry-After asks for 3600 s, past the fetch's deadline \(90% of scan\.query_timeout\)/);
  });

  it('times out a request that never answers, and retries it', async () => {
    api.respond(() => undefined);
    const started = Date.now();
    await expect(fetchRecords(settings({ timeoutMs: 300, retries: 1 }), soon(), FAST)).rejects.toThrow(/no answer within 0.3 s \(http\.timeout\) \(after 2 attempts/);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(api.requests).toHaveLength(2);
  });
});

describe('fetchRecords: malformed answers and caps', () => {
  it.each([
    ['not JSON', '<html>oops</html>', /page 1 \(GET .*\/items\) is not JSON/],
    ['without the records path', '{"items": []}', /the answer has no `data` \(http\.records\)/],
    ['with records that are not a list', '{"data": {"id": 1}}', /`data` is an object, not a list of records/],
    ['with a record that is not an object', '{"data": [{"id": 1}, 7]}', /record 2 of `data` is a number, not an object/],
  ])('rejects a page %s', async (_what, body, message) => {
    api.respond((_req, res) => res.writeHead(200).end(body));
    await expect(fetchRecords(settings(), soon())).rejects.toThrow(message);
  });

  it('rejects a malformed second page after a good first one', async () => {
    api.respond((req, res) => {
      const page = Number(query(req.url).get('page'));
      res.writeHead(200).end(page === 1 ? JSON.stringify({ data: ITEMS.slice(0, 10) }) : '{"data": [truncated');
    });
    await expect(fetchRecords(settings({ pagination: { type: 'page', param: 'page', start: 1, size: 10 } }), soon())).rejects.toThrow(/page 2 .* is not JSON/);
  });

  it('stops reading when the answers pass max_bytes, declared or streamed', async () => {
    const big = JSON.stringify({ data: Array.from({ length: 2000 }, (_, i) => ({ id: i, pad: 'x'.repeat(50) })) });
    api.respond((_req, res) => res.writeHead(200, { 'content-length': String(Buffer.byteLength(big)) }).end(big));
    await expect(fetchRecords(settings({ maxBytes: 10_000 }), soon())).rejects.toThrow(/passed http\.max_bytes \(10000 bytes in all\)/);
    // Chunked, no Content-Length: counted as it arrives.
    api.respond((_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < big.length; i += 4096) res.write(big.slice(i, i + 4096));
      res.end();
    });
    await expect(fetchRecords(settings({ maxBytes: 10_000 }), soon())).rejects.toThrow(/passed http\.max_bytes/);
  });

  it('counts max_bytes over all pages together', async () => {
    api.respond((req, res) => {
      const page = Number(query(req.url).get('page'));
      res.writeHead(200).end(JSON.stringify({ data: ITEMS.slice((page - 1) * 10, page * 10) }));
    });
    const one = Buffer.byteLength(JSON.stringify({ data: ITEMS.slice(0, 10) }));
    await expect(fetchRecords(settings({ maxBytes: one * 2, pagination: { type: 'page', param: 'page', start: 1, size: 10 } }), soon())).rejects.toThrow(/max_bytes/);
  });
});

describe('fetchRecords: redirects', () => {
  it('follows a redirect within the API with its headers, and refuses one to another origin', async () => {
    const elsewhere = await startHttpReceiver((_req, res) => void res.writeHead(200).end(JSON.stringify({ data: [] })));
    try {
      api.respond((req, res) => {
        if (req.url === '/items') return void res.writeHead(301, { location: '/v2/items' }).end();
        if (req.url === '/v2/items') return void res.writeHead(200).end(JSON.stringify({ data: ITEMS }));
        res.writeHead(302, { location: `${elsewhere.base}/steal` }).end();
      });
      const s = settings({ headers: { 'X-Api-Key': SECRET }, secrets: [SECRET] });
      expect((await fetchRecords(s, soon())).records).toHaveLength(25);
      expect(api.requests.map((q) => [q.url, q.headers['x-api-key']])).toEqual([['/items', SECRET], ['/v2/items', SECRET]]);
      await expect(fetchRecords({ ...s, url: `${api.base}/moved` }, soon())).rejects.toThrow(`redirects to another origin, ${elsewhere.base}: credentials are not sent there`);
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('fetchRecords: only the origin of http.url gets the headers', () => {
  let elsewhere: HttpReceiver;
  beforeEach(async () => {
    elsewhere = await startHttpReceiver((_req, res) => void res.writeHead(200).end(JSON.stringify({ data: [] })));
  });
  afterEach(() => elsewhere.close());

  it('refuses a Link rel="next" to another origin without sending it anything', async () => {
    api.respond((_req, res) => void res.writeHead(200, { link: `<${elsewhere.base}/items?p=2>; rel="next"` }).end(JSON.stringify({ data: ITEMS.slice(0, 10) })));
    const s = settings({ headers: { Authorization: `Bearer ${SECRET}` }, secrets: [`Bearer ${SECRET}`], pagination: { type: 'link_header' } });
    await expect(fetchRecords(s, soon())).rejects.toThrow(`page 1 (GET ${api.base}/items): its next page is at another origin, ${elsewhere.base}; the configured headers are sent only to ${api.base}, the origin of http.url`);
    expect(api.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('judges a redirect of a later page against http.url, not against that page', async () => {
    api.respond((req, res) => {
      const p = query(req.url).get('p');
      if (p === null) return void res.writeHead(200, { link: '</items?p=2>; rel="next"' }).end(JSON.stringify({ data: ITEMS.slice(0, 10) }));
      res.writeHead(307, { location: `${elsewhere.base}/items?p=${p}` }).end();
    });
    const s = settings({ headers: { 'X-Api-Key': SECRET }, secrets: [SECRET], pagination: { type: 'link_header' } });
    await expect(fetchRecords(s, soon())).rejects.toThrow(`redirects to another origin, ${elsewhere.base}: credentials are not sent there`);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('never requests a URL at another origin, whoever asks', async () => {
    const s = settings({ headers: { 'X-Api-Key': SECRET }, secrets: [SECRET] });
    const budget = { bytesLeft: 1000, deadline: soon() };
    await expect(fetchPage(`${elsewhere.base}/items`, s, budget)).rejects.toThrow(`${elsewhere.base} is not the origin of http.url; the configured headers are sent to that origin only`);
    expect(elsewhere.requests).toHaveLength(0);
  });
});

describe('fetchRecords: requests that cannot be made', () => {
  it('fails at once, without retries, on a URL with credentials in it', async () => {
    const password = 'pw-5e4d3c2b1a';
    const s = settings({ url: `http://reader:${password}@${api.base.slice('http://'.length)}/items`, secrets: [password], retries: 3 });
    const error = await fetchRecords(s, soon(), FAST).catch((e: Error) => e);
    expect(String(error)).toMatch(/the request cannot be made: Request cannot be constructed from a URL that includes credentials/);
    expect(String(error)).not.toContain(password);
    expect(api.requests).toHaveLength(0);
  });
});

describe('fetchRecords: secrets', () => {
  it('sends the headers and never shows the values that came from the environment', async () => {
    // The API echoes what it got, as some do in their errors.
    api.respond((req, res) => res.writeHead(401).end(`bad token ${String(req.headers.authorization)} for ${req.url}`));
    const s = settings({ headers: { Authorization: `Bearer ${SECRET}` }, query: { api_key: `${SECRET}-q` }, secrets: [`Bearer ${SECRET}`, `${SECRET}-q`].sort((a, b) => b.length - a.length) });
    const error = await fetchRecords(s, soon()).catch((e: Error) => e);
    expect(api.requests[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(String(error)).toMatch(/answered 401 Unauthorized: bad token \[redacted\]/);
    expect(String(error)).not.toContain(SECRET);
  });
});
