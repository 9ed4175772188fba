import type { SourcePosition } from '../diagnostics/diagnostic';

export interface DuckDbSourceConfig {
  name: string;
  type: 'duckdb';
  /** Absolute path, or `:memory:`. */
  path: string;
  isDefault: boolean;
  threads?: number;
  memoryLimit?: string;
  location: SourcePosition;
}

export interface PostgresSourceConfig {
  name: string;
  type: 'postgres';
  url: string;
  isDefault: boolean;
  poolSize: number;
  location: SourcePosition;
}

export type SourceConfig = DuckDbSourceConfig | PostgresSourceConfig;

export type FileFormat = 'csv' | 'parquet' | 'json';

export interface DatasetConfig {
  name: string;
  source?: string;
  table?: string;
  /** Absolute path or glob of csv/parquet/json files, read by DuckDB. */
  file?: string;
  format?: FileFormat;
  /** Dataset-level SQL filter applied to every check. */
  filter?: string;
  /** Percentage of rows to sample (DuckDB TABLESAMPLE / PostgreSQL TABLESAMPLE SYSTEM). */
  samplePercent?: number;
  /** Cron expression for scheduled scans (used by `datatrust serve`). */
  schedule?: string;
  critical: boolean;
  /** What a scan error does to the breaker: open it, or leave it as it was. */
  onError: 'open' | 'ignore';
  location: SourcePosition;
}

export interface ScanSettings {
  queryTimeoutMs: number;
  samplesLimit: number;
  /** Datasets scanned at the same time within one scan. */
  concurrency: number;
}

export interface Config {
  /** Absolute path of the config file; relative paths inside it resolve against its folder. */
  file: string;
  dir: string;
  sources: Record<string, SourceConfig>;
  datasets: Record<string, DatasetConfig>;
  /** Absolute globs of check files. */
  checks: string[];
  scan: ScanSettings;
}

export const DEFAULT_SCAN_SETTINGS: ScanSettings = { queryTimeoutMs: 60_000, samplesLimit: 10, concurrency: 2 };
