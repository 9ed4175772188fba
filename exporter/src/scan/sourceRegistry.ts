import { dirname } from 'node:path';
import type { Config, SourceConfig } from '../config/types';
import { DuckDbSource } from '../sources/duckdbSource';
import { PostgresSource } from '../sources/postgresSource';
import type { Source } from '../sources/source';
import { filesSource, resolveDataset } from './datasetTarget';

/** The fixed folder part of a glob (`data/events/*.parquet` → `data/events`). */
export function globRoot(path: string): string {
  const wildcard = path.search(/[*?[{]/);
  return wildcard < 0 ? dirname(path) : dirname(path.slice(0, wildcard) + 'x');
}

/**
 * Opens each source once per scan and closes them all at the end. DuckDB files are released
 * between scans so writers can take their lock.
 */
export interface RegistryOptions {
  /** DuckDB threads for sources that do not set `threads:` (DuckDB's own default: every core). */
  defaultThreads?: number;
}

export class SourceRegistry {
  private readonly sources = new Map<string, Source>();

  constructor(
    private readonly config: Config,
    private readonly options: RegistryOptions = {},
  ) {}

  /** Folders a DuckDB source may read files from: those of the file datasets it serves. */
  private allowedDirectories(source: SourceConfig): string[] {
    const dirs = new Set<string>();
    for (const name of Object.keys(this.config.datasets)) {
      const r = resolveDataset(this.config, name);
      if (r.ok && r.target.source.name === source.name && r.target.relation.kind === 'files') dirs.add(globRoot(r.target.relation.path));
    }
    return [...dirs];
  }

  get(source: SourceConfig): Source {
    let s = this.sources.get(source.name);
    if (!s) {
      const threads = source.type === 'duckdb' ? (source.threads ?? this.options.defaultThreads) : undefined;
      s = source.type === 'duckdb' ? new DuckDbSource({ ...source, ...(threads ? { threads } : {}) }, this.allowedDirectories(source)) : new PostgresSource(source);
      this.sources.set(source.name, s);
    }
    return s;
  }

  byName(name: string): SourceConfig | undefined {
    return this.config.sources[name] ?? (name === filesSource(this.config).name ? filesSource(this.config) : undefined);
  }

  async closeAll(): Promise<void> {
    const all = [...this.sources.values()];
    this.sources.clear();
    await Promise.allSettled(all.map((s) => s.close()));
  }
}
