import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { Cron } from 'croner';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { DiagnosticError, type Diagnostic } from '../diagnostics/diagnostic';
import { Reporter } from '../diagnostics/reporter';
import { YamlFile } from '../diagnostics/yamlFile';
import { parseMemorySize } from '../limits/memorySize';
import { IdentifierError, parseQualifiedName } from '../sources/identifiers';
import { ConfigReader } from './configReader';
import { readHttpDataset } from './readHttpDataset';
import { readS3Source } from './readS3Source';
import { parseS3Url } from '../sources/s3/s3Glob';
import type { AlertSettings, ChannelConfig } from '../alerts/types';
import { type Config, type DatasetConfig, DEFAULT_LINEAGE_SETTINGS, DEFAULT_PORT, DEFAULT_REPORT_SETTINGS, DEFAULT_SCAN_SETTINGS, DEFAULT_SERVER_LIMITS, type FileFormat, type LineageSettings, type ReportSettings, type ScanSettings, type ServerSettings, type SourceConfig, type StateSettings } from './types';

const TOP_KEYS = ['sources', 'datasets', 'checks', 'scan', 'server', 'state', 'alerts', 'lineage', 'report'] as const;
const SOURCE_KEYS = ['type', 'path', 'url', 'default', 'threads', 'memory_limit', 'pool_size'];
const DATASET_KEYS = ['source', 'table', 'file', 'http', 'format', 'filter', 'sample', 'schedule', 'critical', 'on_error', 'upstream', 'lineage', 'incremental', 'description', 'owner'];
const INCREMENTAL_KEYS = ['column', 'full_every'];
/** Default `incremental.full_every`: a full recomputation every 24 scans (daily for hourly scans). */
export const DEFAULT_FULL_EVERY = 24;
const DATASET_LINEAGE_KEYS = ['namespace', 'name'];
const LINEAGE_KEYS = ['namespace', 'trigger_debounce', 'marquez_url', 'marquez_api_key'];
const SCAN_KEYS = ['query_timeout', 'samples_limit', 'concurrency'];
const SERVER_KEYS = ['host', 'port', 'public_url', 'max_concurrent_scans', 'scan_on_start', 'max_connections', 'max_long_polls'];
const STATE_KEYS = ['path', 'retention'];
const ALERT_KEYS = ['group_window', 'channels', 'grafana_url'];
const REPORT_KEYS = ['monthly_cost_usd', 'baseline_cost_usd', 'fte', 'baseline_fte', 'baseline_mttd'];
const CHANNEL_KEYS: Record<ChannelConfig['type'], string[]> = {
  slack: ['type', 'webhook_url', 'min_priority'],
  email: ['type', 'smtp_url', 'from', 'to', 'min_priority'],
  webhook: ['type', 'url', 'headers', 'min_priority'],
  log: ['type', 'path', 'min_priority'],
};
const FILE_FORMATS: readonly FileFormat[] = ['csv', 'parquet', 'json'];

/** The implicit in-memory DuckDB that reads `file:` datasets without a `source:`. */
export const FILES_SOURCE = 'files';

export interface LoadedConfig {
  config: Config;
  diagnostics: Diagnostic[];
}

/** Local paths resolve against the config's folder; URLs (`s3://…`, `https://…`) stay as written. */
function abs(dir: string, p: string): string {
  return p === ':memory:' || isAbsolute(p) || /^[a-z][a-z0-9+.-]*:\/\//i.test(p) ? p : resolve(dir, p);
}

function readSource(r: ConfigReader, name: string, node: Node, dir: string): SourceConfig | undefined {
  const typeNode = r.get(node, 'type');
  if (isScalar(typeNode) && typeNode.value === 's3') return readS3Source(r, name, node, dir);
  r.entries(node, `source \`${name}\``, SOURCE_KEYS);
  const type = r.oneOf(typeNode, `the \`type\` of source \`${name}\``, ['duckdb', 'postgres', 's3'] as const);
  const isDefault = r.boolean(r.get(node, 'default'), '`default`') ?? false;
  const location = r.at(node);
  if (type === 'duckdb') {
    const path = r.string(r.get(node, 'path'), `the \`path\` of source \`${name}\``);
    if (path === undefined) {
      if (!r.get(node, 'path')) r.report.error(location, `duckdb source \`${name}\` needs \`path:\` (a database file, or ':memory:')`);
      return undefined;
    }
    const threads = r.number(r.get(node, 'threads'), '`threads`', { integer: true, min: 1 });
    let memoryLimit = r.string(r.get(node, 'memory_limit'), '`memory_limit`');
    if (memoryLimit !== undefined && parseMemorySize(memoryLimit) === undefined) {
      r.report.error(r.at(r.get(node, 'memory_limit')), `\`memory_limit\` must be a size such as 2GB or 512MiB, found \`${memoryLimit}\``);
      memoryLimit = undefined;
    }
    return { name, type, path: abs(dir, path), isDefault, location, ...(threads ? { threads } : {}), ...(memoryLimit ? { memoryLimit } : {}) };
  }
  if (type === 'postgres') {
    const urlNode = r.get(node, 'url');
    if (!urlNode) {
      r.report.error(location, `postgres source \`${name}\` needs \`url:\`, e.g. \`url: \${LEDGER_PG_URL}\``);
      return undefined;
    }
    const raw = isScalar(urlNode) ? String(urlNode.value) : '';
    // A URL is only a secret when it carries a password; a password must come from the environment.
    const hasPassword = /^[a-z]+:\/\/[^/@:]*:[^/@]+@/i.test(raw);
    const url = r.string(urlNode, `the \`url\` of source \`${name}\``, { secret: hasPassword });
    const poolSize = r.number(r.get(node, 'pool_size'), '`pool_size`', { integer: true, min: 1, max: 64 }) ?? 4;
    return url === undefined ? undefined : { name, type, url, isDefault, poolSize, location };
  }
  if (!r.get(node, 'type')) r.report.error(location, `source \`${name}\` needs \`type: duckdb\`, \`type: postgres\` or \`type: s3\``);
  return undefined;
}

function readDataset(r: ConfigReader, name: string, node: Node, dir: string): DatasetConfig | undefined {
  r.entries(node, `dataset \`${name}\``, DATASET_KEYS);
  const location = r.at(node);
  const ds: DatasetConfig = { name, critical: false, onError: 'ignore', upstream: [], location };
  const source = r.string(r.get(node, 'source'), '`source`');
  const table = r.string(r.get(node, 'table'), '`table`');
  const file = r.string(r.get(node, 'file'), '`file`');
  if (source !== undefined) ds.source = source;
  if (table !== undefined) {
    try {
      parseQualifiedName(table);
      ds.table = table;
    } catch (e) {
      if (!(e instanceof IdentifierError)) throw e;
      r.report.error(r.at(r.get(node, 'table')), e.message);
    }
  }
  if (file !== undefined && file.length > MAX_PATH_CHARS) {
    r.report.error(r.at(r.get(node, 'file')), `\`file\` is ${file.length} characters long; at most ${MAX_PATH_CHARS}`);
  } else if (file !== undefined) {
    ds.file = abs(dir, file);
    const fmt = r.oneOf(r.get(node, 'format'), '`format`', FILE_FORMATS);
    const byExt = extname(file.replace(/\.gz$/, '')).slice(1).toLowerCase();
    const inferred = fmt ?? (byExt === 'tsv' ? 'csv' : byExt === 'ndjson' || byExt === 'jsonl' ? 'json' : (FILE_FORMATS as readonly string[]).includes(byExt) ? (byExt as FileFormat) : undefined);
    if (!inferred) r.report.error(r.at(r.get(node, 'file')), `cannot tell the format of \`${file}\` from its extension; add \`format:\` (${FILE_FORMATS.join(', ')})`);
    else ds.format = inferred;
  }
  const httpNode = r.get(node, 'http');
  if (httpNode) {
    const http = readHttpDataset(r, httpNode, name);
    if (http) ds.http = http;
    const other = ['table', 'file', 'format', 'source', 'incremental'].filter((k) => r.get(node, k));
    // Its records are fetched whole into an engine of its own at every scan.
    if (other.length) r.report.error(location, `dataset \`${name}\` reads an HTTP API (\`http:\`), which cannot be combined with ${other.map((k) => `\`${k}:\``).join(', ')}`);
  } else if (table === undefined && file === undefined && !r.get(node, 'table') && !r.get(node, 'file')) {
    r.report.error(location, `dataset \`${name}\` needs \`table:\` (a table in its source), \`file:\` (csv, parquet or json files) or \`http:\` (a JSON API)`);
  }
  if (table !== undefined && file !== undefined) r.report.error(location, `dataset \`${name}\` has both \`table:\` and \`file:\`; keep one`);
  const filter = r.string(r.get(node, 'filter'), '`filter`');
  if (filter !== undefined) ds.filter = filter;
  const sampleNode = r.get(node, 'sample');
  if (sampleNode) {
    const text = isScalar(sampleNode) ? String(sampleNode.value).trim() : '';
    const pct = Number(text.replace(/\s*%$/, ''));
    if (!(pct > 0 && pct <= 100)) r.report.error(r.at(sampleNode), `\`sample\` must be a percentage between 0 and 100, e.g. \`sample: 10%\`, found \`${text}\``);
    else if (pct < 100) ds.samplePercent = pct;
  }
  const schedule = r.string(r.get(node, 'schedule'), '`schedule`');
  if (schedule !== undefined) {
    try {
      new Cron(schedule, { paused: true }).stop();
      ds.schedule = schedule;
    } catch (e) {
      r.report.error(r.at(r.get(node, 'schedule')), `\`schedule\` is not a cron expression (minute hour day month weekday, e.g. "*/5 * * * *"): ${(e as Error).message}`);
    }
  }
  ds.upstream = r.stringList(r.get(node, 'upstream'), '`upstream`') ?? [];
  const lineageNode = r.get(node, 'lineage');
  if (lineageNode) {
    r.entries(lineageNode, `\`lineage\` of dataset \`${name}\``, DATASET_LINEAGE_KEYS);
    const namespace = r.string(r.get(lineageNode, 'namespace'), '`lineage.namespace`');
    const olName = r.string(r.get(lineageNode, 'name'), '`lineage.name`');
    if (namespace && olName) ds.lineage = { namespace, name: olName };
    else r.report.error(r.at(lineageNode), `\`lineage\` of dataset \`${name}\` needs both \`namespace:\` and \`name:\` (its OpenLineage identity, e.g. { namespace: "postgres://db:5432", name: "core.public.transactions" })`);
  }
  const incremental = r.get(node, 'incremental');
  if (incremental) {
    r.entries(incremental, `\`incremental\` of dataset \`${name}\``, INCREMENTAL_KEYS);
    const column = r.string(r.get(incremental, 'column'), '`incremental.column`');
    const fullEvery = r.number(r.get(incremental, 'full_every'), '`incremental.full_every`', { integer: true, min: 1 }) ?? DEFAULT_FULL_EVERY;
    if (!column) r.report.error(r.at(incremental), `\`incremental\` of dataset \`${name}\` needs \`column:\`, a column that grows with every appended row, e.g. { column: created_at }`);
    else if (ds.samplePercent !== undefined) r.report.error(r.at(incremental), `dataset \`${name}\` cannot be both \`incremental\` and \`sample\`d: partial aggregates of samples do not add up to the table's`);
    else ds.incremental = { column, fullEvery };
  }
  ds.critical = r.boolean(r.get(node, 'critical'), '`critical`') ?? false;
  // Critical datasets fail closed: an errored scan opens their breaker unless told otherwise.
  ds.onError = r.oneOf(r.get(node, 'on_error'), '`on_error`', ['open', 'ignore'] as const) ?? (ds.critical ? 'open' : 'ignore');
  return ds;
}

/** Longer than any real path (PATH_MAX is 4,096), and short of the glob library's own limit (65,536, a crash). */
export const MAX_PATH_CHARS = 4096;

function readCheckGlobs(r: ConfigReader, node: Node | undefined, dir: string): string[] {
  if (node === undefined) return [];
  if (!isScalar(node) && !isSeq(node)) {
    r.report.error(r.at(node), '`checks` must be a list');
    return [];
  }
  const globs: string[] = [];
  for (const item of isSeq(node) ? (node.items as Node[]) : [node]) {
    const glob = r.string(item, 'an item of `checks`');
    if (glob === undefined) continue;
    if (glob.length > MAX_PATH_CHARS) r.report.error(r.at(item), `a \`checks\` pattern is ${glob.length} characters long; at most ${MAX_PATH_CHARS}`);
    else globs.push(abs(dir, glob));
  }
  return globs;
}

function readScan(r: ConfigReader, node: Node | undefined): ScanSettings {
  r.entries(node, '`scan`', SCAN_KEYS);
  return {
    queryTimeoutMs: r.durationMs(r.get(node, 'query_timeout'), '`query_timeout`') ?? DEFAULT_SCAN_SETTINGS.queryTimeoutMs,
    samplesLimit: r.number(r.get(node, 'samples_limit'), '`samples_limit`', { integer: true, min: 0 }) ?? DEFAULT_SCAN_SETTINGS.samplesLimit,
    concurrency: r.number(r.get(node, 'concurrency'), '`concurrency`', { integer: true, min: 1, max: 64 }) ?? DEFAULT_SCAN_SETTINGS.concurrency,
  };
}

function readConnectionLimits(r: ConfigReader, node: Node | undefined): Pick<ServerSettings, 'maxConnections' | 'maxLongPolls'> {
  const maxConnections = r.number(r.get(node, 'max_connections'), '`max_connections`', { integer: true, min: 16, max: 1_000_000 }) ?? DEFAULT_SERVER_LIMITS.maxConnections;
  let maxLongPolls = r.number(r.get(node, 'max_long_polls'), '`max_long_polls`', { integer: true, min: 0, max: 1_000_000 });
  // Long-polls are never closed to make room: if they could take every connection, nothing else could get in.
  if (maxLongPolls !== undefined && maxLongPolls > maxConnections / 2) {
    r.report.error(r.at(r.get(node, 'max_long_polls')), `\`max_long_polls\` (${maxLongPolls}) must be at most half of \`max_connections\` (${maxConnections}), so the gate and /healthz always find a connection`);
  }
  maxLongPolls ??= Math.min(DEFAULT_SERVER_LIMITS.maxLongPolls, Math.floor(maxConnections / 2));
  return { maxConnections, maxLongPolls: Math.min(maxLongPolls, Math.floor(maxConnections / 2)) };
}

function readServer(r: ConfigReader, node: Node | undefined): ServerSettings {
  r.entries(node, '`server`', SERVER_KEYS);
  const publicUrl = r.string(r.get(node, 'public_url'), '`public_url`');
  return {
    host: r.string(r.get(node, 'host'), '`host`') ?? '127.0.0.1',
    port: r.number(r.get(node, 'port'), '`port`', { integer: true, min: 0, max: 65535 }) ?? DEFAULT_PORT,
    maxConcurrentScans: r.number(r.get(node, 'max_concurrent_scans'), '`max_concurrent_scans`', { integer: true, min: 1, max: 64 }) ?? 2,
    scanOnStart: r.boolean(r.get(node, 'scan_on_start'), '`scan_on_start`') ?? true,
    ...readConnectionLimits(r, node),
    ...(publicUrl ? { publicUrl: publicUrl.replace(/\/+$/, '') } : {}),
  };
}

function readState(r: ConfigReader, node: Node | undefined, dir: string): StateSettings {
  r.entries(node, '`state`', STATE_KEYS);
  return {
    path: abs(dir, r.string(r.get(node, 'path'), '`path`') ?? 'data/state.duckdb'),
    retentionMs: r.durationMs(r.get(node, 'retention'), '`retention`') ?? 90 * 86400_000,
  };
}

function readChannel(r: ConfigReader, name: string, node: Node, dir: string): ChannelConfig | undefined {
  const type = r.oneOf(r.get(node, 'type'), `the \`type\` of channel \`${name}\``, ['slack', 'email', 'webhook', 'log'] as const);
  if (!type) {
    if (!r.get(node, 'type')) r.report.error(r.at(node), `channel \`${name}\` needs \`type: slack\`, \`type: email\`, \`type: webhook\` or \`type: log\``);
    return undefined;
  }
  r.entries(node, `channel \`${name}\``, CHANNEL_KEYS[type]);
  const minPriority = r.oneOf(r.get(node, 'min_priority'), '`min_priority`', ['high', 'low'] as const) ?? 'high';
  const required = (key: string, secret = false): string | undefined => {
    const v = r.get(node, key);
    if (!v) {
      r.report.error(r.at(node), `${type} channel \`${name}\` needs \`${key}:\``);
      return undefined;
    }
    return r.string(v, `\`${key}\` of channel \`${name}\``, { secret });
  };
  if (type === 'slack') {
    // Anyone holding a Slack webhook URL can post to the channel: it is a secret.
    const webhookUrl = required('webhook_url', true);
    // `${SLACK_WEBHOOK_URL:-}` lets one config serve environments with and without Slack.
    if (webhookUrl === '') r.report.warning(r.at(r.get(node, 'webhook_url')), `slack channel \`${name}\` is disabled: its \`webhook_url\` is empty`);
    return webhookUrl ? { name, type, minPriority, webhookUrl } : undefined;
  }
  if (type === 'log') {
    // No path: stdout (the exporter logs to stderr, so stdout carries only alert lines).
    const path = r.string(r.get(node, 'path'), `\`path\` of channel \`${name}\``);
    return { name, type, minPriority, ...(path ? { path: abs(dir, path) } : {}) };
  }
  if (type === 'email') {
    const raw = r.get(node, 'smtp_url');
    const hasPassword = isScalar(raw) && /^[a-z]+:\/\/[^/@:]*:[^/@]+@/i.test(String(raw.value));
    const smtpUrl = required('smtp_url', hasPassword);
    const from = required('from');
    const to = r.stringList(r.get(node, 'to'), '`to`') ?? [];
    if (to.length === 0) r.report.error(r.at(node), `email channel \`${name}\` needs \`to:\` (one or more addresses)`);
    return smtpUrl && from && to.length ? { name, type, minPriority, smtpUrl, from, to } : undefined;
  }
  const url = required('url');
  const headers: Record<string, string> = {};
  for (const p of r.entries(r.get(node, 'headers'), '`headers`')) {
    // Header values usually carry credentials (Authorization): they must come from the environment.
    const v = r.string(p.value ?? undefined, `header \`${r.key(p)}\` of channel \`${name}\``, { secret: true });
    if (v !== undefined) headers[r.key(p)] = v;
  }
  return url ? { name, type, minPriority, url, headers } : undefined;
}

function readAlerts(r: ConfigReader, node: Node | undefined, server: ServerSettings, dir: string): AlertSettings {
  r.entries(node, '`alerts`', ALERT_KEYS);
  const channels: ChannelConfig[] = [];
  for (const p of r.entries(r.get(node, 'channels'), '`channels`')) {
    const c = readChannel(r, r.key(p), p.value!, dir);
    if (c) channels.push(c);
  }
  const grafanaUrl = r.string(r.get(node, 'grafana_url'), '`grafana_url`');
  return {
    groupWindowMs: r.durationMs(r.get(node, 'group_window'), '`group_window`') ?? 5 * 60_000,
    channels,
    ...(server.publicUrl ? { publicUrl: server.publicUrl } : {}),
    ...(grafanaUrl ? { grafanaUrl: grafanaUrl.replace(/\/+$/, '') } : {}),
  };
}

function readLineage(r: ConfigReader, node: Node | undefined): LineageSettings {
  r.entries(node, '`lineage`', LINEAGE_KEYS);
  const marquezUrl = r.string(r.get(node, 'marquez_url'), '`lineage.marquez_url`');
  // Marquez's API key lets anyone write lineage there: a secret, from the environment only.
  const marquezApiKey = r.string(r.get(node, 'marquez_api_key'), '`lineage.marquez_api_key`', { secret: true });
  if (marquezUrl !== undefined && marquezUrl !== '' && !/^https?:\/\/[^\s/]+/.test(marquezUrl)) {
    r.report.error(r.at(r.get(node, 'marquez_url')), `\`lineage.marquez_url\` must be an http(s) URL such as http://marquez:5000, found \`${marquezUrl}\``);
  }
  return {
    namespace: r.string(r.get(node, 'namespace'), '`lineage.namespace`') ?? DEFAULT_LINEAGE_SETTINGS.namespace,
    triggerDebounceMs: r.durationMs(r.get(node, 'trigger_debounce'), '`lineage.trigger_debounce`') ?? DEFAULT_LINEAGE_SETTINGS.triggerDebounceMs,
    // `${MARQUEZ_URL:-}` leaves forwarding off where no Marquez runs.
    ...(marquezUrl ? { marquezUrl: marquezUrl.replace(/\/+$/, '') } : {}),
    ...(marquezApiKey ? { marquezApiKey } : {}),
  };
}

function readReport(r: ConfigReader, node: Node | undefined): ReportSettings {
  r.entries(node, '`report`', REPORT_KEYS);
  const money = (key: string) => r.number(r.get(node, key), `\`${key}\``, { min: 0 });
  const monthlyCostUsd = money('monthly_cost_usd');
  const fte = money('fte');
  return {
    ...(monthlyCostUsd !== undefined ? { monthlyCostUsd } : {}),
    baselineCostUsd: money('baseline_cost_usd') ?? DEFAULT_REPORT_SETTINGS.baselineCostUsd,
    ...(fte !== undefined ? { fte } : {}),
    baselineFte: money('baseline_fte') ?? DEFAULT_REPORT_SETTINGS.baselineFte,
    baselineMttdMs: r.durationMs(r.get(node, 'baseline_mttd'), '`baseline_mttd`') ?? DEFAULT_REPORT_SETTINGS.baselineMttdMs,
  };
}

/** `s3://` files are read by an s3 source, and an s3 source reads nothing else. */
function checkS3Dataset(r: ConfigReader, ds: DatasetConfig, src: SourceConfig | undefined): void {
  const s3Url = ds.file?.startsWith('s3://') ? ds.file : undefined;
  if (src?.type === 's3' && !s3Url) {
    r.report.error(ds.location, `dataset \`${ds.name}\` uses s3 source \`${src.name}\`, which reads \`file: s3://bucket/key\` (a key or a glob), not ${ds.file ? `\`${ds.file}\`` : 'tables'}`);
  } else if (s3Url && src?.type !== 's3') {
    r.report.error(ds.location, `dataset \`${ds.name}\` reads \`${s3Url}\`: add \`source:\` naming a source with \`type: s3\` (its region, endpoint and credentials)`);
  } else if (s3Url) {
    const parsed = parseS3Url(s3Url);
    if ('error' in parsed) r.report.error(ds.location, `dataset \`${ds.name}\`: ${parsed.error}`);
  }
}

/** Cross-references that no single key can check. */
function checkReferences(r: ConfigReader, config: Config): void {
  const defaults = Object.values(config.sources).filter((s) => s.isDefault);
  if (defaults.length > 1) {
    for (const s of defaults.slice(1)) r.report.error(s.location, `more than one source is marked \`default: true\` (${defaults.map((d) => d.name).join(', ')}); keep one`);
  }
  for (const ds of Object.values(config.datasets)) {
    if (ds.source !== undefined && !config.sources[ds.source] && !(ds.source === FILES_SOURCE && ds.file)) {
      r.report.error(ds.location, `dataset \`${ds.name}\` uses source \`${ds.source}\`, which is not under \`sources:\` (known: ${Object.keys(config.sources).join(', ') || 'none'})`);
    }
    const src = ds.source ? config.sources[ds.source] : undefined;
    if (ds.file && src && src.type === 'postgres') {
      r.report.error(ds.location, `dataset \`${ds.name}\` reads files, which needs a duckdb or s3 source; \`${src.name}\` is ${src.type}`);
    }
    checkS3Dataset(r, ds, src);
    for (const up of ds.upstream) {
      if (!config.datasets[up]) r.report.error(ds.location, `dataset \`${ds.name}\` lists upstream \`${up}\`, which is not under \`datasets:\``);
    }
    if (ds.table && !ds.source && Object.keys(config.sources).length > 1 && defaults.length === 0) {
      r.report.error(ds.location, `dataset \`${ds.name}\` does not say its \`source:\` and there are several sources; add \`source:\` or mark one source \`default: true\``);
    }
  }
}

/** Parses `datatrust.yml` text. Never throws for bad input: problems come back as diagnostics. */
export function parseConfigText(file: string, text: string, env: Record<string, string | undefined> = process.env): LoadedConfig {
  const path = resolve(file);
  const dir = dirname(path);
  const yaml = new YamlFile(file, text);
  const report = new Reporter();
  const config: Config = {
    file: path,
    dir,
    sources: {},
    datasets: {},
    checks: [],
    scan: { ...DEFAULT_SCAN_SETTINGS },
    server: { host: '127.0.0.1', port: DEFAULT_PORT, maxConcurrentScans: 2, scanOnStart: true, ...DEFAULT_SERVER_LIMITS },
    state: { path: resolve(dir, 'data/state.duckdb'), retentionMs: 90 * 86400_000 },
    alerts: { groupWindowMs: 5 * 60_000, channels: [] },
    lineage: { ...DEFAULT_LINEAGE_SETTINGS },
    report: { ...DEFAULT_REPORT_SETTINGS },
  };
  const syntax = yaml.syntaxDiagnostics();
  if (syntax.some((d) => d.severity === 'error')) return { config, diagnostics: syntax };
  report.diagnostics.push(...syntax);
  const r = new ConfigReader(yaml, report, env);
  const root = yaml.doc.contents as Node | null;
  if (!isMap(root)) {
    report.error(yaml.positionOf(root), 'datatrust.yml must be a map with `sources:`, `datasets:` and `checks:`');
    return { config, diagnostics: report.diagnostics };
  }
  r.entries(root, 'datatrust.yml', TOP_KEYS);
  for (const p of r.entries(r.get(root, 'sources'), '`sources`')) {
    const s = readSource(r, r.key(p), p.value!, dir);
    if (s) config.sources[s.name] = s;
  }
  for (const p of r.entries(r.get(root, 'datasets'), '`datasets`')) {
    const d = readDataset(r, r.key(p), p.value!, dir);
    if (d) config.datasets[d.name] = d;
  }
  config.checks = readCheckGlobs(r, r.get(root, 'checks'), dir);
  config.scan = readScan(r, r.get(root, 'scan'));
  config.server = readServer(r, r.get(root, 'server'));
  config.state = readState(r, r.get(root, 'state'), dir);
  config.alerts = readAlerts(r, r.get(root, 'alerts'), config.server, dir);
  config.lineage = readLineage(r, r.get(root, 'lineage'));
  config.report = readReport(r, r.get(root, 'report'));
  checkReferences(r, config);
  return { config, diagnostics: report.diagnostics };
}

/** Reads `datatrust.yml`; a missing file is a DiagnosticError, everything else a diagnostic. */
export function loadConfig(file: string, env: Record<string, string | undefined> = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DiagnosticError([{ file, line: 1, col: 1, severity: 'error', message: code === 'ENOENT' ? 'config file not found (pass -c <file>)' : `cannot read config: ${code}` }]);
  }
  return parseConfigText(file, text, env);
}
