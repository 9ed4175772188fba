import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { parseMemorySize } from '../limits/memorySize';
import type { ConfigReader } from './configReader';
import { interpolate } from './env';
import { HTTP_DATASET_DEFAULTS, type HttpDatasetSettings, type HttpPagination } from './httpDataset';

const HTTP_KEYS = ['url', 'method', 'headers', 'query', 'body', 'records', 'pagination', 'max_pages', 'timeout', 'retries', 'max_bytes'];
const PAGINATION_KEYS: Record<HttpPagination['type'], string[]> = {
  link_header: ['type'],
  cursor: ['type', 'cursor_field', 'param'],
  page: ['type', 'param', 'start', 'size_param', 'size'],
  offset: ['type', 'param', 'size_param', 'size'],
};
/** Headers and query parameters that carry credentials: their values must come from the environment. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|token|key|secret|auth|passw|signature/i;
/** Shorter values would blank out ordinary words and numbers in messages; no credential is that short. */
const MIN_SECRET_CHARS = 4;

/** The URL is not shown: its password may be literal. */
const CREDENTIALS_IN_URL =
  '`http.url` must not hold credentials (`user:password@`): fetch refuses such URLs. Send them as a header from the environment instead, e.g. `headers: { Authorization: "Basic ${API_BASIC_AUTH}" }` (base64 of user:password)';

/** `user@` or `user:password@` before the host; an unparsable URL is left to the scheme check. */
function hasUserInfo(url: string): boolean {
  try {
    const u = new URL(url);
    return u.username !== '' || u.password !== '';
  } catch {
    return /^[a-z]+:\/\/[^/?#]*@/i.test(url);
  }
}

/** A dotted path such as `data.items` or `meta.next`. */
function readPath(r: ConfigReader, node: Node | undefined, what: string): string[] | undefined {
  const text = r.string(node, what);
  if (text === undefined) return undefined;
  const parts = text.split('.');
  if (parts.some((p) => p === '')) {
    r.report.error(r.at(node), `${what} must be a dotted path of JSON keys such as \`data.items\`, found \`${text}\``);
    return undefined;
  }
  return parts;
}

/** JSON text of a YAML body, with `${VAR}` resolved in its strings (those values are secrets). */
function readBody(r: ConfigReader, node: Node, secrets: Set<string>): string | undefined {
  if (isScalar(node) && typeof node.value === 'string') {
    const text = r.string(node, '`http.body`');
    if (text === undefined) return undefined;
    try {
      JSON.parse(text);
    } catch {
      r.report.error(r.at(node), '`http.body` must be JSON (or a YAML map or list, sent as JSON)');
      return undefined;
    }
    noteSecret(node, r, secrets);
    return text;
  }
  if (!isMap(node) && !isSeq(node)) {
    r.report.error(r.at(node), '`http.body` must be a map or a list (sent as JSON), or JSON text');
    return undefined;
  }
  const missing: string[] = [];
  const resolve = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const i = interpolate(v, r.env);
      missing.push(...i.missing);
      addSecrets(v, r, secrets);
      return i.value;
    }
    if (Array.isArray(v)) return v.map(resolve);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
    return v;
  };
  const json = JSON.stringify(resolve(node.toJSON()));
  for (const name of missing) r.report.error(r.at(node), `\`http.body\` refers to environment variable \`${name}\`, which is not set`);
  return missing.length ? undefined : json;
}

/**
 * Records the values `${VAR}` references in `text` bring in: any may be a credential, so none is
 * ever shown, nor their URL-encoded forms (they travel in query strings).
 */
function addSecrets(text: string, r: ConfigReader, secrets: Set<string>): void {
  for (const m of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g)) {
    if (m.index > 0 && text[m.index - 1] === '$') continue;
    const value = interpolate(m[0], r.env).value;
    if (value.length < MIN_SECRET_CHARS) continue;
    secrets.add(value);
    secrets.add(encodeURIComponent(value));
    secrets.add(new URLSearchParams({ v: value }).toString().slice(2));
  }
}

function noteSecret(node: Node | undefined, r: ConfigReader, secrets: Set<string>): void {
  if (isScalar(node) && typeof node.value === 'string') addSecrets(node.value, r, secrets);
}

function readPagination(r: ConfigReader, node: Node, dataset: string): HttpPagination | undefined {
  const type = r.oneOf(r.get(node, 'type'), '`pagination.type`', ['link_header', 'cursor', 'page', 'offset'] as const);
  if (!type) {
    if (!r.get(node, 'type')) r.report.error(r.at(node), `\`pagination\` of dataset \`${dataset}\` needs \`type:\` (link_header, cursor, page or offset)`);
    return undefined;
  }
  r.entries(node, `\`pagination\` (type ${type}) of dataset \`${dataset}\``, PAGINATION_KEYS[type]);
  if (type === 'link_header') return { type };
  const required = (key: string): string | undefined => {
    if (!r.get(node, key)) {
      r.report.error(r.at(node), `\`pagination\` of type ${type} needs \`${key}:\``);
      return undefined;
    }
    return r.string(r.get(node, key), `\`pagination.${key}\``);
  };
  if (type === 'cursor') {
    const cursorField = r.get(node, 'cursor_field') ? readPath(r, r.get(node, 'cursor_field'), '`pagination.cursor_field`') : (required('cursor_field'), undefined);
    const param = required('param');
    return cursorField && param ? { type, cursorField, param } : undefined;
  }
  const param = required('param');
  const sizeParam = r.string(r.get(node, 'size_param'), '`pagination.size_param`');
  const size = r.number(r.get(node, 'size'), '`pagination.size`', { integer: true, min: 1 });
  if (sizeParam !== undefined && size === undefined) r.report.error(r.at(r.get(node, 'size_param')), '`pagination.size_param` needs `size:`, the page size to send');
  if (!param) return undefined;
  if (type === 'page') {
    const start = r.number(r.get(node, 'start'), '`pagination.start`', { integer: true, min: 0 }) ?? 1;
    return { type, param, start, ...(sizeParam ? { sizeParam } : {}), ...(size ? { size } : {}) };
  }
  if (size === undefined) {
    // Without a page size an offset API gives no way to tell the last page from a short one.
    if (!r.get(node, 'size')) r.report.error(r.at(node), '`pagination` of type offset needs `size:`, the records a full page holds');
    return undefined;
  }
  return { type, param, size, ...(sizeParam ? { sizeParam } : {}) };
}

/** `datasets.<name>.http`; undefined (with diagnostics) when it cannot be used. */
export function readHttpDataset(r: ConfigReader, node: Node, dataset: string): HttpDatasetSettings | undefined {
  r.entries(node, `\`http\` of dataset \`${dataset}\``, HTTP_KEYS);
  if (!isMap(node)) return undefined;
  const secrets = new Set<string>();
  const urlNode = r.get(node, 'url');
  if (!urlNode) {
    r.report.error(r.at(node), `\`http\` of dataset \`${dataset}\` needs \`url:\`, e.g. \`url: https://api.example.com/v1/orders\``);
    return undefined;
  }
  const url = r.string(urlNode, '`http.url`');
  let ok = url !== undefined;
  if (url !== undefined && !/^https?:\/\/[^\s/]+/i.test(url)) {
    r.report.error(r.at(urlNode), '`http.url` must be an http(s) URL such as https://api.example.com/v1/orders');
    ok = false;
  } else if (url !== undefined && hasUserInfo(url)) {
    r.report.error(r.at(urlNode), CREDENTIALS_IN_URL);
    ok = false;
  }
  noteSecret(urlNode, r, secrets);
  const method = r.oneOf(r.get(node, 'method'), '`http.method`', ['GET', 'POST'] as const) ?? 'GET';
  const headers: Record<string, string> = {};
  for (const p of r.entries(r.get(node, 'headers'), '`http.headers`')) {
    const name = r.key(p);
    const v = r.string(p.value ?? undefined, `header \`${name}\` of dataset \`${dataset}\``, { secret: CREDENTIAL_HEADER.test(name) });
    noteSecret(p.value ?? undefined, r, secrets);
    if (v === undefined) ok = false;
    else headers[name] = v;
  }
  const query: Record<string, string> = {};
  for (const p of r.entries(r.get(node, 'query'), '`http.query`')) {
    const v = r.string(p.value ?? undefined, `query parameter \`${r.key(p)}\` of dataset \`${dataset}\``, { secret: CREDENTIAL_HEADER.test(r.key(p)) });
    noteSecret(p.value ?? undefined, r, secrets);
    if (v === undefined) ok = false;
    else query[r.key(p)] = v;
  }
  const bodyNode = r.get(node, 'body');
  let body: string | undefined;
  if (bodyNode) {
    if (method !== 'POST') r.report.error(r.at(bodyNode), '`http.body` is sent only with `method: POST`');
    body = readBody(r, bodyNode, secrets);
    if (body === undefined) ok = false;
  }
  const records = r.get(node, 'records') ? readPath(r, r.get(node, 'records'), '`http.records`') : [];
  const paginationNode = r.get(node, 'pagination');
  const pagination = paginationNode ? readPagination(r, paginationNode, dataset) : undefined;
  const maxPagesNode = r.get(node, 'max_pages');
  if (maxPagesNode && !paginationNode) {
    // Without pagination exactly one page is fetched: the cap would be accepted and ignored.
    r.report.error(r.at(maxPagesNode), '`http.max_pages` applies only with `pagination:`; without it one page is fetched. Add `pagination:` or remove `max_pages`');
  }
  const maxBytesNode = r.get(node, 'max_bytes');
  const maxBytesText = r.string(maxBytesNode, '`http.max_bytes`');
  const maxBytes = maxBytesText === undefined ? HTTP_DATASET_DEFAULTS.maxBytes : /^\d+$/.test(maxBytesText) ? Number(maxBytesText) : parseMemorySize(maxBytesText);
  if (maxBytes === undefined || maxBytes <= 0) r.report.error(r.at(maxBytesNode), `\`http.max_bytes\` must be a size such as 64MiB or 500KB, found \`${maxBytesText}\``);
  const settings: HttpDatasetSettings = {
    url: url ?? '',
    method,
    headers,
    query,
    ...(body !== undefined ? { body } : {}),
    records: records ?? [],
    ...(pagination ? { pagination } : {}),
    maxPages: r.number(maxPagesNode, '`http.max_pages`', { integer: true, min: 1, max: 100_000 }) ?? HTTP_DATASET_DEFAULTS.maxPages,
    timeoutMs: r.durationMs(r.get(node, 'timeout'), '`http.timeout`') ?? HTTP_DATASET_DEFAULTS.timeoutMs,
    retries: r.number(r.get(node, 'retries'), '`http.retries`', { integer: true, min: 0, max: 10 }) ?? HTTP_DATASET_DEFAULTS.retries,
    maxBytes: maxBytes ?? HTTP_DATASET_DEFAULTS.maxBytes,
    secrets: [...secrets].sort((a, b) => b.length - a.length),
  };
  return ok && records !== undefined && (!paginationNode || pagination) ? settings : undefined;
}
