import { formatDiagnostic } from '../diagnostics/diagnostic';
import { resolveDataset } from '../scan/datasetTarget';
import { parseConfigText } from './loadConfig';

const load = (text: string, env: Record<string, string> = {}) => parseConfigText('/proj/datatrust.yml', text, env);
const messages = (text: string, env: Record<string, string> = {}) => load(text, env).diagnostics.map(formatDiagnostic);
const dataset = (http: string[]) => ['datasets:', '  orders:', '    http:', ...http.map((l) => `      ${l}`), ''].join('\n');

describe('datasets.<name>.http', () => {
  it('reads a paginated API with credentials from the environment, which become secrets', () => {
    const { config, diagnostics } = load(
      dataset([
        'url: https://api.example.com/v1/orders',
        'headers: { Authorization: "Bearer ${ORDERS_TOKEN}", Accept: application/json }',
        'query: { status: paid, api_key: "${ORDERS_KEY}" }',
        'records: data.items',
        'pagination: { type: cursor, cursor_field: meta.next, param: cursor }',
        'max_pages: 20',
        'timeout: 10s',
        'retries: 5',
        'max_bytes: 8MiB',
      ]),
      { ORDERS_TOKEN: 'tok-123456', ORDERS_KEY: 'key-abcdef' },
    );
    expect(diagnostics).toEqual([]);
    expect(config.datasets.orders!.http).toEqual({
      url: 'https://api.example.com/v1/orders',
      method: 'GET',
      headers: { Authorization: 'Bearer tok-123456', Accept: 'application/json' },
      query: { status: 'paid', api_key: 'key-abcdef' },
      records: ['data', 'items'],
      pagination: { type: 'cursor', cursorField: ['meta', 'next'], param: 'cursor' },
      maxPages: 20,
      timeoutMs: 10_000,
      retries: 5,
      maxBytes: 8 * 2 ** 20,
      secrets: ['tok-123456', 'key-abcdef'],
    });
    const r = resolveDataset(config, 'orders');
    expect(r.ok && r.target.relation).toEqual({ kind: 'table', parts: ['orders'], quoted: [true] });
    expect(r.ok && r.target.source).toMatchObject({ name: 'http:orders', type: 'duckdb', path: ':memory:' });
  });

  it('keeps the URL-encoded forms of a secret too, since query strings carry them so', () => {
    const { config } = load(dataset(['url: "https://a.test/x?k=${K}"']), { K: 'a b/c+d=' });
    expect(config.datasets.orders!.http!.secrets).toEqual(expect.arrayContaining(['a b/c+d=', 'a%20b%2Fc%2Bd%3D', 'a+b%2Fc%2Bd%3D']));
  });

  it('has defaults: GET, the answer itself is the list, 100 pages, 30 s, 3 retries, 64 MiB', () => {
    const { config, diagnostics } = load(dataset(['url: http://localhost:8080/items']));
    expect(diagnostics).toEqual([]);
    expect(config.datasets.orders!.http).toMatchObject({ method: 'GET', records: [], maxPages: 100, timeoutMs: 30_000, retries: 3, maxBytes: 64 * 2 ** 20, secrets: [] });
  });

  it('sends a POST body written as YAML as JSON, with ${VAR} resolved', () => {
    const { config, diagnostics } = load(dataset(['url: https://api.example.com/search', 'method: POST', 'body: { filter: { since: "2026-01-01" }, key: "${K}" }', 'pagination: { type: offset, param: offset, size_param: limit, size: 100 }']), { K: 'secret-body' });
    expect(diagnostics).toEqual([]);
    expect(config.datasets.orders!.http).toMatchObject({ body: '{"filter":{"since":"2026-01-01"},"key":"secret-body"}', secrets: ['secret-body'], pagination: { type: 'offset', param: 'offset', sizeParam: 'limit', size: 100 } });
  });

  it('refuses credentials written into the file', () => {
    expect(messages(dataset(['url: https://api.example.com/x', 'headers: { Authorization: Bearer abc123 }', 'query: { access_token: abc123 }']))).toEqual([
      '/proj/datatrust.yml:5:33: header `Authorization` of dataset `orders` is a secret: write it as `${VARIABLE}` and set the variable in the environment, never in a file',
      '/proj/datatrust.yml:6:30: query parameter `access_token` of dataset `orders` is a secret: write it as `${VARIABLE}` and set the variable in the environment, never in a file',
    ]);
  });

  it('refuses credentials in the URL, literal or from the environment, pointing to an Authorization header', () => {
    const expected = [
      '/proj/datatrust.yml:4:12: `http.url` must not hold credentials (`user:password@`): fetch refuses such URLs. Send them as a header from the environment instead, e.g. `headers: { Authorization: "Basic ${API_BASIC_AUTH}" }` (base64 of user:password)',
    ];
    expect(messages(dataset(['url: "https://reader:${API_PW}@api.example.com/x"']), { API_PW: 'pw-123456' })).toEqual(expected);
    expect(messages(dataset(['url: https://user:pw@api.example.com/x']))).toEqual(expected);
    expect(messages(dataset(['url: https://token@api.example.com/x']))).toEqual(expected);
    expect(messages(dataset(['url: "${API_URL}"']), { API_URL: 'https://u:p@api.example.com/x' })).toEqual(expected);
    expect(messages(dataset(['url: https://api.example.com/x?email=a@b.test']))).toEqual([]);
  });

  it('refuses max_pages without pagination, where it would be ignored', () => {
    expect(messages(dataset(['url: https://a.test/x', 'max_pages: 5']))).toEqual([
      '/proj/datatrust.yml:5:18: `http.max_pages` applies only with `pagination:`; without it one page is fetched. Add `pagination:` or remove `max_pages`',
    ]);
    expect(messages(dataset(['url: https://a.test/x', 'pagination: { type: link_header }', 'max_pages: 5']))).toEqual([]);
  });

  it('names unknown keys where they are written, with the accepted ones', () => {
    const m = messages(dataset(['url: https://api.example.com/x', 'paginate: { type: page }', 'pagination: { type: page, param: p, step: 2 }']));
    expect(m[0]).toMatch(/^\/proj\/datatrust.yml:5:7: unknown key `paginate` in `http` of dataset `orders`\. Accepted: `url`, `method`, .*`pagination`/);
    expect(m[1]).toMatch(/^\/proj\/datatrust.yml:6:43: unknown key `step` in `pagination` \(type page\) of dataset `orders`/);
    expect(m).toHaveLength(2);
  });

  it('says what each pagination type needs', () => {
    expect(messages(dataset(['url: https://a.test/x', 'pagination: { type: cursor, param: c }']))).toEqual(['/proj/datatrust.yml:5:19: `pagination` of type cursor needs `cursor_field:`']);
    expect(messages(dataset(['url: https://a.test/x', 'pagination: { type: offset, param: o }']))).toEqual(['/proj/datatrust.yml:5:19: `pagination` of type offset needs `size:`, the records a full page holds']);
    expect(messages(dataset(['url: https://a.test/x', 'pagination: { type: pages }']))[0]).toMatch(/^\/proj\/datatrust.yml:5:27: .*`pages`.*did you mean `page`/);
    expect(messages(dataset(['url: https://a.test/x', 'pagination: { type: page, param: p, size_param: n }']))).toEqual(['/proj/datatrust.yml:5:55: `pagination.size_param` needs `size:`, the page size to send']);
  });

  it('refuses what an HTTP dataset cannot be combined with, and bad values', () => {
    expect(messages('datasets:\n  orders:\n    table: t\n    http: { url: "https://a.test/x" }\n')).toEqual(['/proj/datatrust.yml:3:5: dataset `orders` reads an HTTP API (`http:`), which cannot be combined with `table:`']);
    expect(messages(dataset(['url: ftp://a.test/x']))).toEqual(['/proj/datatrust.yml:4:12: `http.url` must be an http(s) URL such as https://api.example.com/v1/orders']);
    expect(messages(dataset(['url: https://a.test/x', 'body: { a: 1 }']))).toEqual(['/proj/datatrust.yml:5:13: `http.body` is sent only with `method: POST`']);
    expect(messages(dataset(['url: https://a.test/x', 'records: data..items', 'max_bytes: lots', 'method: PUT']))).toHaveLength(3);
    expect(messages(dataset(['records: data']))).toEqual(['/proj/datatrust.yml:4:7: `http` of dataset `orders` needs `url:`, e.g. `url: https://api.example.com/v1/orders`']);
  });
});
