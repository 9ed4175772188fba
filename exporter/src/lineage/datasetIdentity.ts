import { basename, extname, relative, isAbsolute } from 'node:path';
import { redact } from '../alerts/redact';
import type { Config } from '../config/types';
import type { DatasetIdentity } from '../openlineage/types';
import { resolveDataset } from '../scan/datasetTarget';

/**
 * A configured dataset's OpenLineage identity: `lineage:` when given, else a default that
 * follows the OpenLineage naming spec (spec/Naming.md) where it has one:
 * - PostgreSQL: `postgres://{host}:{port}` + `{database}.{schema}.{table}` (schema `public` when omitted);
 * - DuckDB tables: `duckdb://{path}` + `{catalog}.{schema}.{table}`, the convention of dbt-ol's
 *   DuckDB adapter, the path as datatrust.yml resolves it (relative to its folder when inside
 *   it) and the catalog the file's stem, as DuckDB names it (schema `main` when omitted);
 * - local files: `file` + the absolute path (or glob); `s3://bucket` + key for S3 files;
 * - HTTP APIs: `{scheme}://{host}` + the URL's path.
 * Undefined when the dataset cannot be resolved (its checks then report why).
 */
export function datasetIdentity(config: Config, dataset: string): DatasetIdentity | undefined {
  const declared = config.datasets[dataset];
  if (declared?.lineage) return declared.lineage;
  if (declared?.http) {
    // No OpenLineage naming for HTTP APIs yet: the origin as namespace, the path as name (never the query, which may hold a key).
    const url = new URL(declared.http.url);
    return { namespace: `${url.protocol}//${url.host}`, name: redact(url.pathname, declared.http.secrets) };
  }
  const resolved = resolveDataset(config, dataset);
  if (!resolved.ok) return undefined;
  const { source, relation } = resolved.target;
  if (relation.kind === 'files') {
    const s3 = /^s3:\/\/([^/]+)\/(.*)$/.exec(relation.path);
    return s3 ? { namespace: `s3://${s3[1]}`, name: s3[2]! } : { namespace: 'file', name: relation.path };
  }
  const parts = relation.parts;
  if (source.type === 'postgres') {
    const url = new URL(source.url);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username) || 'postgres';
    const qualified = parts.length === 1 ? [database, 'public', ...parts] : parts.length === 2 ? [database, ...parts] : parts;
    return { namespace: `postgres://${url.hostname}:${url.port || '5432'}`, name: qualified.join('.') };
  }
  // An s3 source reads only `file:` datasets (handled above); anything else is a config error.
  if (source.type === 's3') return undefined;
  const inMemory = source.path === ':memory:';
  const rel = inMemory ? 'memory' : relative(config.dir, source.path);
  const path = inMemory ? rel : rel.startsWith('..') || isAbsolute(rel) ? source.path : rel;
  const catalog = inMemory ? 'memory' : basename(source.path, extname(source.path));
  const qualified = parts.length === 1 ? [catalog, 'main', ...parts] : parts.length === 2 ? [catalog, ...parts] : parts;
  return { namespace: `duckdb://${path}`, name: qualified.join('.') };
}
