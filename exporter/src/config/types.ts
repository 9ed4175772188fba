import type { AlertSettings } from '../alerts/types';
import type { SourcePosition } from '../diagnostics/diagnostic';
import type { HttpDatasetSettings } from './httpDataset';

export interface DuckDbSourceConfig {
  name: string;
  type: 'duckdb';
  /** Absolute path, or `:memory:`. */
  path: string;
  isDefault: boolean;
  threads?: number;
  memoryLimit?: string;
  /** Set on the in-memory engine of an HTTP dataset: its records are fetched into it when it opens. */
  http?: { dataset: string; settings: HttpDatasetSettings };
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

/** How an S3 source's files are read: DuckDB's httpfs, or the AWS SDK into a local cache. */
export type S3ReaderMode = 'auto' | 'httpfs' | 'sdk';

/** Files in S3 or an S3-compatible store (MinIO…), read by an in-memory DuckDB (sources/s3/). */
export interface S3SourceConfig {
  name: string;
  type: 's3';
  /** Absent: the AWS default chain (AWS_REGION…). */
  region?: string;
  /** An S3-compatible store's URL, e.g. http://minio:9000. */
  endpoint?: string;
  /** Bucket in the path (`endpoint/bucket/key`), as MinIO and most S3-compatible stores want. */
  pathStyle: boolean;
  mode: S3ReaderMode;
  /** From `${VAR}` only; absent: the AWS default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** The SDK reader's local copies; `path` absent: `s3-cache` beside the state file. */
  cache: { path?: string; maxSizeBytes: number };
  /** Never the default: bare table names do not live in S3. */
  isDefault: boolean;
  location: SourcePosition;
}

export type SourceConfig = DuckDbSourceConfig | PostgresSourceConfig | S3SourceConfig;

export type FileFormat = 'csv' | 'parquet' | 'json';

/** `datasets.<name>.incremental` (scan/incremental/). */
export interface IncrementalSettings {
  /** A column that grows with every appended row (a creation time, an id). */
  column: string;
  /** Every Nth scan recomputes everything from all rows (in-place updates show up then). */
  fullEvery: number;
}

export interface DatasetConfig {
  name: string;
  source?: string;
  table?: string;
  /** Absolute path or glob of csv/parquet/json files, read by DuckDB. */
  file?: string;
  format?: FileFormat;
  /** A JSON API read at every scan (httpsource/). */
  http?: HttpDatasetSettings;
  /** Dataset-level SQL filter applied to every check. */
  filter?: string;
  /** Percentage of rows to sample (DuckDB TABLESAMPLE / PostgreSQL TABLESAMPLE SYSTEM). */
  samplePercent?: number;
  /** Cron expression for scheduled scans (used by `datatrust serve`). */
  schedule?: string;
  critical: boolean;
  /** What a scan error does to the breaker: open it, or leave it as it was. */
  onError: 'open' | 'ignore';
  /** Datasets this one is built from, declared by hand; lineage events add the rest. */
  upstream: string[];
  /** Its OpenLineage identity, when it differs from the default (lineage/datasetIdentity.ts). */
  lineage?: { namespace: string; name: string };
  /** Scans read only rows past a watermark and merge them into stored partial aggregates. */
  incremental?: IncrementalSettings;
  location: SourcePosition;
}

export interface ScanSettings {
  queryTimeoutMs: number;
  samplesLimit: number;
  /** Datasets scanned at the same time within one scan. */
  concurrency: number;
}

export interface ServerSettings {
  host: string;
  port: number;
  /** How people and links reach this service (alert messages link the gate here). */
  publicUrl?: string;
  /** Scans running at once across all datasets; one dataset never runs twice at once. */
  maxConcurrentScans: number;
  /** Scan every dataset once at start-up, so the gate and metrics have data at once. */
  scanOnStart: boolean;
  /** Open HTTP connections; past it idle ones are closed, else new ones get 503 + Retry-After. */
  maxConnections: number;
  /** Gate long-polls (`?wait=`) waiting at once; past it 503 + Retry-After. Below maxConnections. */
  maxLongPolls: number;
}

export const DEFAULT_SERVER_LIMITS = { maxConnections: 2000, maxLongPolls: 1000 };

export interface StateSettings {
  /** DuckDB state file (absolute). */
  path: string;
  /** How long scan history, resolved incidents and delivered alerts are kept. */
  retentionMs: number;
}

export interface LineageSettings {
  /** Namespace of the jobs this service reports itself (`datatrust.scan.<dataset>`). */
  namespace: string;
  /** A burst of COMPLETE events for one dataset within this window queues one scan. */
  triggerDebounceMs: number;
  /** A real Marquez to forward every event to (ingested and our own scans'), through a durable queue. */
  marquezUrl?: string;
  marquezApiKey?: string;
}

/**
 * The executive report's cost model and baselines (`report:`). Inputs, never measurements: the
 * report labels them so. Baselines default to the PRD's figures.
 */
export interface ReportSettings {
  /** What running DataTrust costs per month (infrastructure plus people), if entered. */
  monthlyCostUsd?: number;
  /** The commercial solution it replaces (PRD 2.3: $5,000/month). */
  baselineCostUsd: number;
  /** People running DataTrust, if entered. */
  fte?: number;
  /** People the commercial solution needed (PRD 2.3: 2 FTE). */
  baselineFte: number;
  /** Time to detect a data incident before DataTrust; the PRD's target is 80% below it. */
  baselineMttdMs: number;
}

export const DEFAULT_REPORT_SETTINGS: ReportSettings = { baselineCostUsd: 5000, baselineFte: 2, baselineMttdMs: 3600_000 };

export interface Config {
  /** Absolute path of the config file; relative paths inside it resolve against its folder. */
  file: string;
  dir: string;
  sources: Record<string, SourceConfig>;
  datasets: Record<string, DatasetConfig>;
  /** Absolute globs of check files. */
  checks: string[];
  scan: ScanSettings;
  server: ServerSettings;
  state: StateSettings;
  alerts: AlertSettings;
  lineage: LineageSettings;
  report: ReportSettings;
}

/** Outside 9090–9999 (Prometheus and friends), 3000 (Grafana) and 5000 (Marquez). */
export const DEFAULT_PORT = 8470;

export const DEFAULT_LINEAGE_SETTINGS: LineageSettings = { namespace: 'datatrust', triggerDebounceMs: 1000 };

export const DEFAULT_SCAN_SETTINGS: ScanSettings = { queryTimeoutMs: 60_000, samplesLimit: 10, concurrency: 2 };
