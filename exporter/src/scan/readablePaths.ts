import { dirname } from 'node:path';
import type { Config } from '../config/types';
import { resolveDataset } from './datasetTarget';

/** The fixed folder part of a glob (`data/events/*.parquet` → `data/events`). */
export function globRoot(path: string): string {
  const wildcard = path.search(/[*?[{]/);
  return wildcard < 0 ? dirname(path) : dirname(path.slice(0, wildcard) + 'x');
}

/** A location check SQL on a DuckDB source may read, and the file dataset that opens it. */
export interface ReadableLocation {
  kind: 'directory' | 'file';
  path: string;
  dataset: string;
  source: string;
}

/**
 * Where check SQL may read files: a single-file dataset opens that file only; a glob opens its
 * folder (files added later must be read too), and with it everything else in that folder.
 */
export function readableLocations(config: Config): ReadableLocation[] {
  const out: ReadableLocation[] = [];
  for (const name of Object.keys(config.datasets)) {
    const r = resolveDataset(config, name);
    if (!r.ok || r.target.relation.kind !== 'files') continue;
    const path = r.target.relation.path;
    const glob = /[*?[{]/.test(path);
    out.push({ kind: glob ? 'directory' : 'file', path: glob ? globRoot(path) : path, dataset: name, source: r.target.source.name });
  }
  return out;
}
