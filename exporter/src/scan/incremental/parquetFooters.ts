import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { toMetricNumber } from '../../sources/cells';
import type { Dialect } from '../../sources/dialect';
import type { Cell, ColumnInfo } from '../../sources/source';
import type { QueryRunner } from '../plans/executePlan';
import type { StoredFile } from './state';

/** One Parquet file of the relation as this scan knows it. */
export interface FileFacts {
  /** What the state keeps of the file. */
  stored: StoredFile;
  /** Each row group's signature, when the footer was read this time (absent: vouched for by its identity). */
  groups?: string[];
}

/** The watermark column over every file: exact, from footers or from what the state kept of them. */
export interface FooterTotals {
  rows: number;
  nulls: number;
  /** The column's maximum as the database prints it. */
  max: Cell;
  files: Map<string, FileFacts>;
}

export function signatureOf(groups: readonly string[]): string {
  return createHash('sha256').update(groups.join('\n')).digest('hex').slice(0, 32);
}

/**
 * A local file's identity: size, modification time and inode. A rewrite changes at least one of
 * them (a replacing rename changes the inode, an in-place write the time), so a file with the
 * identity it had when it was read holds the same row groups and its footer need not be read.
 */
export function fileIdentity(file: string): string | undefined {
  if (!isAbsolute(file)) return undefined;
  try {
    const s = statSync(file, { bigint: true });
    return s.isFile() ? `${s.size}:${s.mtimeNs}:${s.ino}` : undefined;
  } catch {
    return undefined;
  }
}

interface FooterInput {
  path: string;
  column: ColumnInfo;
  dialect: Dialect;
  runner: QueryRunner;
  /** What the last scan kept of each file. */
  known?: Record<string, StoredFile>;
}

/** The files a path or glob names, as DuckDB's readers expand it. */
async function listFiles(input: FooterInput): Promise<string[]> {
  const r = await input.runner.run(`SELECT file FROM glob(${input.dialect.string(input.path)}) ORDER BY file`, 'metadata');
  return r.rows.map((row) => String(row[0]));
}

/**
 * Reads the footers of `files` (per row group of the watermark column: rows, bytes, NULLs,
 * bounds). Undefined when a footer cannot vouch for its rows (statistics absent or inexact, or a
 * row group without the column).
 */
async function readFooters(input: FooterInput, source: string): Promise<Map<string, FileFacts> | undefined> {
  const { dialect: d, column } = input;
  const t = column.type;
  const name = d.string(column.name);
  const max = `TRY_CAST(stats_max_value AS ${t})`;
  // Orders the maxima (doubles may tie two close values: then a false doubt, never a missed one).
  const order = column.category === 'temporal' ? `epoch_us(CAST(${max} AS TIMESTAMP))` : `CAST(${max} AS DOUBLE)`;
  const inexact = `stats_null_count IS NULL OR (stats_null_count < row_group_num_rows AND (stats_max_value IS NULL OR max_is_exact IS NOT TRUE OR ${max} IS NULL))`;
  // One footer read, no window: the first column's rows count every row group, the column's rows the rest.
  const sql = `SELECT column_id = 0 AS first, path_in_schema = ${name} AS mine, file_name, row_group_num_rows, stats_null_count, CONCAT_WS(':', row_group_num_rows, total_compressed_size, stats_null_count, stats_min_value, stats_max_value) AS signature, ${inexact} AS inexact, CAST(${max} AS VARCHAR) AS max_text, ${order} AS max_order
FROM parquet_metadata(${source})
WHERE column_id = 0 OR path_in_schema = ${name} ORDER BY file_name, row_group_id`;
  const r = await input.runner.run(sql, 'metadata');
  const groupsByFile = new Map<string, number>();
  const out = new Map<string, FileFacts & { groups: string[] }>();
  for (const [first, mine, fileCell, count, nullCount, signature, inexact, maxText, maxOrder] of r.rows) {
    const file = String(fileCell);
    if (first === true) groupsByFile.set(file, (groupsByFile.get(file) ?? 0) + 1);
    if (mine !== true) continue;
    if (inexact === true) return undefined;
    const f = out.get(file) ?? { stored: { rowGroups: 0, signature: '', rows: 0, nulls: 0, max: null, maxOrder: null }, groups: [] };
    const s = f.stored;
    s.rows! += toMetricNumber(count ?? null) ?? 0;
    s.nulls! += toMetricNumber(nullCount ?? null) ?? 0;
    const o = toMetricNumber(maxOrder ?? null);
    if (o !== null && (s.maxOrder === null || o > s.maxOrder!)) {
      s.maxOrder = o;
      s.max = maxText === null || maxText === undefined ? null : String(maxText);
    }
    f.groups.push(String(signature));
    out.set(file, f);
  }
  // A row group without the column (another schema in the folder) cannot be vouched for.
  for (const [file, groups] of groupsByFile) if (out.get(file)?.groups.length !== groups) return undefined;
  for (const f of out.values()) {
    f.stored.rowGroups = f.groups.length;
    f.stored.signature = signatureOf(f.groups);
  }
  return out;
}

/**
 * The watermark column's exact totals over a Parquet relation without reading a row: from the
 * footers of the files that are new or changed since the last scan, and from what the state
 * kept of the files whose identity is unchanged (so a scan after one new file reads one footer,
 * not the folder's). Undefined when footers cannot vouch for every row.
 */
export async function footerTotals(input: FooterInput): Promise<FooterTotals | undefined> {
  try {
    const local = !input.path.includes('://');
    const listed = local ? await listFiles(input) : undefined;
    const files = new Map<string, FileFacts>();
    const unread: string[] = [];
    for (const file of listed ?? []) {
      const identity = fileIdentity(file);
      const known = input.known?.[file];
      if (identity && known?.identity === identity && known.rows !== undefined) files.set(file, { stored: known });
      else unread.push(file);
    }
    if (!listed || unread.length) {
      const source = listed ? `[${unread.map((f) => input.dialect.string(f)).join(', ')}]` : input.dialect.string(input.path);
      const read = await readFooters(input, source);
      if (!read) return undefined;
      for (const [file, f] of read) {
        const identity = local ? fileIdentity(file) : undefined;
        files.set(file, { ...f, stored: { ...f.stored, ...(identity ? { identity } : {}) } });
      }
      // A listed file without a footer row had no row group to vouch for.
      if (listed && unread.some((f) => !files.has(f))) return undefined;
    }
    if (files.size === 0) return undefined;
    let rows = 0;
    let nulls = 0;
    let top: { order: number; text: string | null } | undefined;
    for (const { stored } of files.values()) {
      rows += stored.rows ?? 0;
      nulls += stored.nulls ?? 0;
      if (stored.maxOrder !== null && stored.maxOrder !== undefined && (!top || stored.maxOrder > top.order)) top = { order: stored.maxOrder, text: stored.max ?? null };
    }
    return { rows, nulls, max: top?.text ?? null, files };
  } catch {
    return undefined;
  }
}

/**
 * Files that may hold rows past the watermark: those the last scan did not read, and those that
 * gained row groups. Every row of a file read before is at or below the watermark (the watermark
 * is the largest value read), and a file that changed otherwise forces a full recomputation.
 */
export function filesPastWatermark(totals: FooterTotals, known: Record<string, StoredFile>): string[] {
  return [...totals.files].filter(([file, f]) => !known[file] || (f.groups !== undefined && f.groups.length > known[file]!.rowGroups)).map(([file]) => file);
}

/** Why a file the partials were built from is not the same any more, if it is not. */
export function fileDoubt(totals: FooterTotals, known: Record<string, StoredFile>): string | undefined {
  for (const [file, was] of Object.entries(known)) {
    const now = totals.files.get(file);
    if (!now) return `${file} was rewritten or removed (rows deleted or updated)`;
    // Vouched for by its identity: the same bytes.
    if (!now.groups) continue;
    if (now.groups.length < was.rowGroups || signatureOf(now.groups.slice(0, was.rowGroups)) !== was.signature) return `${file} was rewritten or removed (rows deleted or updated)`;
  }
  return undefined;
}

/** A DuckDB relation over some of a Parquet relation's files (the same reader, so the same columns). */
export function parquetFiles(files: readonly string[], d: Dialect): string {
  return `read_parquet([${files.map((f) => d.string(f)).join(', ')}])`;
}
