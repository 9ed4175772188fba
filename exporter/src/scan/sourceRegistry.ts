import { dirname } from 'node:path';
import type { Config, SourceConfig } from '../config/types';
import { DuckDbSource } from '../sources/duckdbSource';
import { PostgresSource } from '../sources/postgresSource';
import type { Source } from '../sources/source';
import { type SourceActivity, watchSource } from '../sources/watchedSource';
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
  /** DuckDB threads for sources that do not set `threads:`. */
  defaultThreads?: number;
  /** DuckDB `memory_limit` for sources that do not set `memory_limit:` (e.g. `2048MiB`). */
  defaultMemoryLimit?: string;
  /** Told of every source call, for the scan watchdog. */
  activity?: SourceActivity;
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
      const { defaultThreads: threads, defaultMemoryLimit: memoryLimit, activity } = this.options;
      s = source.type === 'duckdb' ? new DuckDbSource({ ...(threads ? { threads } : {}), ...(memoryLimit ? { memoryLimit } : {}), ...source }, this.allowedDirectories(source)) : new PostgresSource(source);
      if (activity) s = watchSource(s, activity);
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
