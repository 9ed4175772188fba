import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, type Node } from 'yaml';
import { DiagnosticError, type Diagnostic } from '../diagnostics/diagnostic';
import { Reporter } from '../diagnostics/reporter';
import { YamlFile } from '../diagnostics/yamlFile';
import { IdentifierError, parseQualifiedName } from '../sources/identifiers';
import { ConfigReader } from './configReader';
import { type Config, type DatasetConfig, DEFAULT_SCAN_SETTINGS, type FileFormat, type ScanSettings, type SourceConfig } from './types';

const TOP_KEYS = ['sources', 'datasets', 'checks', 'scan'] as const;
const SOURCE_KEYS = ['type', 'path', 'url', 'default', 'threads', 'memory_limit', 'pool_size'];
const DATASET_KEYS = ['source', 'table', 'file', 'format', 'filter', 'sample', 'schedule', 'critical', 'on_error', 'description', 'owner'];
const SCAN_KEYS = ['query_timeout', 'samples_limit', 'concurrency'];
const FILE_FORMATS: readonly FileFormat[] = ['csv', 'parquet', 'json'];

/** The implicit in-memory DuckDB that reads `file:` datasets without a `source:`. */
export const FILES_SOURCE = 'files';

export interface LoadedConfig {
  config: Config;
  diagnostics: Diagnostic[];
}

function abs(dir: string, p: string): string {
  return p === ':memory:' || isAbsolute(p) ? p : resolve(dir, p);
}

function readSource(r: ConfigReader, name: string, node: Node, dir: string): SourceConfig | undefined {
  r.entries(node, `source \`${name}\``, SOURCE_KEYS);
  const type = r.oneOf(r.get(node, 'type'), `the \`type\` of source \`${name}\``, ['duckdb', 'postgres'] as const);
  const isDefault = r.boolean(r.get(node, 'default'), '`default`') ?? false;
  const location = r.at(node);
  if (type === 'duckdb') {
    const path = r.string(r.get(node, 'path'), `the \`path\` of source \`${name}\``);
    if (path === undefined) {
      if (!r.get(node, 'path')) r.report.error(location, `duckdb source \`${name}\` needs \`path:\` (a database file, or ':memory:')`);
      return undefined;
    }
    const threads = r.number(r.get(node, 'threads'), '`threads`', { integer: true, min: 1 });
    const memoryLimit = r.string(r.get(node, 'memory_limit'), '`memory_limit`');
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
  if (!r.get(node, 'type')) r.report.error(location, `source \`${name}\` needs \`type: duckdb\` or \`type: postgres\``);
  return undefined;
}

function readDataset(r: ConfigReader, name: string, node: Node, dir: string): DatasetConfig | undefined {
  r.entries(node, `dataset \`${name}\``, DATASET_KEYS);
  const location = r.at(node);
  const ds: DatasetConfig = { name, critical: false, onError: 'ignore', location };
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
  if (file !== undefined) {
    ds.file = abs(dir, file);
    const fmt = r.oneOf(r.get(node, 'format'), '`format`', FILE_FORMATS);
    const byExt = extname(file.replace(/\.gz$/, '')).slice(1).toLowerCase();
    const inferred = fmt ?? (byExt === 'tsv' ? 'csv' : byExt === 'ndjson' || byExt === 'jsonl' ? 'json' : (FILE_FORMATS as readonly string[]).includes(byExt) ? (byExt as FileFormat) : undefined);
    if (!inferred) r.report.error(r.at(r.get(node, 'file')), `cannot tell the format of \`${file}\` from its extension; add \`format:\` (${FILE_FORMATS.join(', ')})`);
    else ds.format = inferred;
  }
  if (table === undefined && file === undefined && !r.get(node, 'table') && !r.get(node, 'file')) {
    r.report.error(location, `dataset \`${name}\` needs \`table:\` (a table in its source) or \`file:\` (csv, parquet or json files)`);
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
  if (schedule !== undefined) ds.schedule = schedule;
  ds.critical = r.boolean(r.get(node, 'critical'), '`critical`') ?? false;
  // Critical datasets fail closed: an errored scan opens their breaker unless told otherwise.
  ds.onError = r.oneOf(r.get(node, 'on_error'), '`on_error`', ['open', 'ignore'] as const) ?? (ds.critical ? 'open' : 'ignore');
  return ds;
}

function readScan(r: ConfigReader, node: Node | undefined): ScanSettings {
  r.entries(node, '`scan`', SCAN_KEYS);
  return {
    queryTimeoutMs: r.durationMs(r.get(node, 'query_timeout'), '`query_timeout`') ?? DEFAULT_SCAN_SETTINGS.queryTimeoutMs,
    samplesLimit: r.number(r.get(node, 'samples_limit'), '`samples_limit`', { integer: true, min: 0 }) ?? DEFAULT_SCAN_SETTINGS.samplesLimit,
    concurrency: r.number(r.get(node, 'concurrency'), '`concurrency`', { integer: true, min: 1, max: 64 }) ?? DEFAULT_SCAN_SETTINGS.concurrency,
  };
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
    if (ds.file && src && src.type !== 'duckdb') {
      r.report.error(ds.location, `dataset \`${ds.name}\` reads files, which needs a duckdb source; \`${src.name}\` is ${src.type}`);
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
  const config: Config = { file: path, dir, sources: {}, datasets: {}, checks: [], scan: { ...DEFAULT_SCAN_SETTINGS } };
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
  const checksNode = r.get(root, 'checks');
  config.checks = (r.stringList(checksNode, '`checks`') ?? []).map((g) => abs(dir, g));
  config.scan = readScan(r, r.get(root, 'scan'));
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
