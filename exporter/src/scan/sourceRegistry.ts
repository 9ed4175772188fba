import type { Config, SourceConfig } from '../config/types';
import { httpDatasetSource, httpFetchBudgetMs } from '../httpsource/httpDatasetSource';
import { DuckDbSource } from '../sources/duckdbSource';
import { PostgresSource } from '../sources/postgresSource';
import { s3CacheRoot, S3Source } from '../sources/s3/s3Source';
import type { Source } from '../sources/source';
import { type SourceActivity, watchSource } from '../sources/watchedSource';
import { filesSource } from './datasetTarget';
import { readableLocations } from './readablePaths';

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

  /** What a DuckDB source may read: the files of the file datasets it serves (a glob: its folder). */
  private readable(source: SourceConfig): { directories: string[]; files: string[] } {
    const mine = readableLocations(this.config).filter((l) => l.source === source.name);
    return { directories: [...new Set(mine.filter((l) => l.kind === 'directory').map((l) => l.path))], files: [...new Set(mine.filter((l) => l.kind === 'file').map((l) => l.path))] };
  }

  get(source: SourceConfig): Source {
    let s = this.sources.get(source.name);
    if (!s) {
      const { defaultThreads: threads, defaultMemoryLimit: memoryLimit, activity } = this.options;
      const duckdbLimits = { ...(threads ? { threads } : {}), ...(memoryLimit ? { memoryLimit } : {}) };
      if (source.type === 'duckdb' && source.http) s = httpDatasetSource({ ...duckdbLimits, ...source, http: source.http }, httpFetchBudgetMs(this.config.scan.queryTimeoutMs));
      else if (source.type === 'duckdb') s = new DuckDbSource({ ...duckdbLimits, ...source }, this.readable(source));
      else if (source.type === 's3') s = new S3Source(source, { cacheRoot: s3CacheRoot(source, this.config.state.path), urls: readableLocations(this.config).filter((l) => l.source === source.name).map((l) => this.config.datasets[l.dataset]!.file!), ...duckdbLimits });
      else s = new PostgresSource(source);
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
