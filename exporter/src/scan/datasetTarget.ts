import { FILES_SOURCE } from '../config/loadConfig';
import type { Config, DatasetConfig, DuckDbSourceConfig, SourceConfig } from '../config/types';
import type { Relation } from '../sources/dialect';
import { IdentifierError, parseQualifiedName, validateIdentifier } from '../sources/identifiers';
import type { HttpDatasetSettings } from '../config/httpDataset';

/** Where a dataset's rows live and how to read them. */
export interface DatasetTarget {
  name: string;
  source: SourceConfig;
  relation: Relation;
  /** Dataset-level SQL filter from datatrust.yml. */
  filter?: string;
  samplePercent?: number;
  /** The declaration in datatrust.yml, when there is one. */
  declared?: DatasetConfig;
}

export type Resolution = { ok: true; target: DatasetTarget } | { ok: false; error: string };

/** The in-memory DuckDB that reads file datasets declared without a `source:`. */
export function filesSource(config: Config): DuckDbSourceConfig {
  const declared = config.sources[FILES_SOURCE];
  if (declared?.type === 'duckdb') return declared;
  return { name: FILES_SOURCE, type: 'duckdb', path: ':memory:', isDefault: false, location: { file: config.file, line: 1, col: 1 } };
}

/**
 * An HTTP dataset's records land in an in-memory DuckDB of its own, in a table named after the
 * dataset, so check SQL (`failed rows` queries, filters) can name it as it would a table.
 */
function httpTarget(declared: DatasetConfig, settings: HttpDatasetSettings): Omit<DatasetTarget, 'name' | 'declared'> {
  const source: DuckDbSourceConfig = { name: `http:${declared.name}`, type: 'duckdb', path: ':memory:', isDefault: false, http: { dataset: declared.name, settings }, location: declared.location };
  const target: Omit<DatasetTarget, 'name' | 'declared'> = { source, relation: { kind: 'table', parts: [validateIdentifier(declared.name, 'dataset name')], quoted: [true] } };
  if (declared.filter) target.filter = declared.filter;
  if (declared.samplePercent) target.samplePercent = declared.samplePercent;
  return target;
}

/** The source used for a bare table name: the only source, or the one marked `default: true`. */
export function defaultSource(config: Config): SourceConfig | { error: string } {
  const all = Object.values(config.sources);
  const marked = all.filter((s) => s.isDefault);
  if (marked.length === 1) return marked[0]!;
  if (all.length === 1) return all[0]!;
  if (all.length === 0) return { error: 'there are no `sources:` to look for it in' };
  return { error: `there are ${all.length} sources (${all.map((s) => s.name).join(', ')}) and none is marked \`default: true\`` };
}

/**
 * Resolves a dataset name as used in `checks for X`: a declared dataset, else the table X in
 * the default source. Pure: nothing is looked up in the database here.
 */
export function resolveDataset(config: Config, name: string): Resolution {
  const declared = config.datasets[name];
  try {
    if (declared?.http) return { ok: true, target: { ...httpTarget(declared, declared.http), name, declared } };
    if (declared) {
      const source = declared.file && !declared.source ? filesSource(config) : declared.source ? (config.sources[declared.source] ?? (declared.source === FILES_SOURCE ? filesSource(config) : undefined)) : defaultSource(config);
      if (!source || 'error' in source) return { ok: false, error: `dataset \`${name}\` has no usable source: ${source && 'error' in source ? source.error : `unknown source \`${declared.source}\``}` };
      const relation: Relation = declared.file
        ? { kind: 'files', path: declared.file, format: declared.format ?? 'csv' }
        : { kind: 'table', ...parseQualifiedName(declared.table ?? name) };
      const target: DatasetTarget = { name, source, relation, declared };
      if (declared.filter) target.filter = declared.filter;
      if (declared.samplePercent) target.samplePercent = declared.samplePercent;
      return { ok: true, target };
    }
    const source = defaultSource(config);
    if ('error' in source) {
      return { ok: false, error: `dataset \`${name}\` is not declared under \`datasets:\`, and ${source.error}` };
    }
    return { ok: true, target: { name, source, relation: { kind: 'table', ...parseQualifiedName(name, 'dataset name') } } };
  } catch (e) {
    if (e instanceof IdentifierError) return { ok: false, error: e.message };
    throw e;
  }
}
