import type { Partial } from './partials';

export type { IncrementalSettings } from '../../config/types';

/**
 * What an incremental dataset keeps between scans, in the state store: the watermark, the
 * counts that prove nothing changed below it, and each mergeable metric's partial aggregate.
 */
export interface IncrementalState {
  column: string;
  /** Identity of the metrics, relation and filter the partials were built for. */
  fingerprint: string;
  /** The largest value of the column read so far, as the database prints it; null before any. */
  watermark: string | null;
  /** Rows at or below the watermark, and rows whose column is NULL, when last scanned. */
  rowsAtOrBelow: number;
  nullRows: number;
  /**
   * Proof that the rows at or below the watermark are the same ones: the exact sum of the column
   * over them (tables), or each Parquet file's row groups (count, size, bounds) by file.
   */
  checksum?: string;
  files?: Record<string, StoredFile>;
  /** Incremental scans since the last full one. */
  scansSinceFull: number;
  /** When the partials were last recomputed from every row. */
  fullAt: string;
  /** Partial aggregates by the metric's aggregate expression. */
  partials: Record<string, Partial>;
  /** Which version of the dataset's key index file the duplicates were counted from (`incremental: key_index`). */
  keyIndex?: KeyIndexMark;
}

/**
 * The committed side of a key index (scan/incremental/keyIndexFile.ts): the file's epoch (new on
 * every rebuild), the last batch merged into it (seq 0: the rebuild), and the number of
 * duplicated keys per index signature after that batch.
 */
export interface KeyIndexMark {
  epoch: string;
  seq: number;
  batch: string;
  duplicates: Record<string, number>;
}

/** What the state keeps of a Parquet file the partials were built from. */
export interface StoredFile {
  /** Its row groups when read, and a signature of them (rows, bytes, NULLs, bounds of each). */
  rowGroups: number;
  signature: string;
  /** The watermark column in the file: rows, NULLs, maximum (text, and a number that orders it). Absent in older states. */
  rows?: number;
  nulls?: number;
  max?: string | null;
  maxOrder?: number | null;
  /** Size, modification time and inode of a local file when read: unchanged, its footer is not read again. */
  identity?: string;
}

/** How a scan of an incremental dataset went, reported with its results. */
export interface IncrementalOutcome {
  mode: 'incremental' | 'full';
  /** Why every row was read, for a full scan. */
  reason?: string;
  /** Rows read past the watermark (incremental), or all rows (full). */
  rowsRead: number;
  watermark: string | null;
  /** Why the key index could not be kept this time (its checks then ran their full query; the next scan rebuilds it). */
  keyIndexError?: string;
}

/** The stored state of incremental datasets, read by scans (the state store implements it). */
export interface IncrementalStore {
  incrementalState(dataset: string): Promise<IncrementalState | undefined>;
}
