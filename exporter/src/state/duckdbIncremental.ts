import type { Partial } from '../scan/incremental/partials';
import type { IncrementalState, KeyIndexMark } from '../scan/incremental/state';
import type { Db } from './db';

/**
 * Incremental scans' durable state: one watermark row per dataset (the counts and checksum that
 * prove the rows below it unchanged) and one partial aggregate per metric. Written in the scan's
 * own commit transaction, so partials and results never disagree after a crash.
 */
export const INCREMENTAL_SCHEMA_SQL = [
  `CREATE TABLE IF NOT EXISTS incremental_watermarks (
     dataset VARCHAR, column_name VARCHAR, fingerprint VARCHAR, watermark VARCHAR, rows_at_or_below BIGINT, null_rows BIGINT,
     checksum VARCHAR, files_json VARCHAR, scans_since_full INTEGER, full_at BIGINT, updated_at BIGINT)`,
  `CREATE TABLE IF NOT EXISTS incremental_partials (dataset VARCHAR, metric VARCHAR, partial_json VARCHAR)`,
];

/**
 * The key index mark (which version of the key index file the duplicates were counted from)
 * rides in `incremental_partials` under this name, which no aggregate expression can take.
 */
const KEY_INDEX_ROW = '#key_index';

export async function loadIncrementalState(db: Db, dataset: string): Promise<IncrementalState | undefined> {
  const w = (await db.rows('SELECT * FROM incremental_watermarks WHERE dataset = ?', [dataset]))[0];
  if (!w) return undefined;
  const partials: Record<string, Partial> = {};
  let keyIndex: KeyIndexMark | undefined;
  for (const p of await db.rows('SELECT metric, partial_json FROM incremental_partials WHERE dataset = ?', [dataset])) {
    if (p.metric === KEY_INDEX_ROW) keyIndex = JSON.parse(String(p.partial_json)) as KeyIndexMark;
    else partials[String(p.metric)] = JSON.parse(String(p.partial_json)) as Partial;
  }
  return {
    column: String(w.column_name),
    fingerprint: String(w.fingerprint),
    watermark: w.watermark === null ? null : String(w.watermark),
    rowsAtOrBelow: Number(w.rows_at_or_below),
    nullRows: Number(w.null_rows),
    ...(w.checksum !== null ? { checksum: String(w.checksum) } : {}),
    ...(w.files_json !== null ? { files: JSON.parse(String(w.files_json)) as NonNullable<IncrementalState['files']> } : {}),
    scansSinceFull: Number(w.scans_since_full),
    fullAt: new Date(Number(w.full_at)).toISOString(),
    partials,
    ...(keyIndex ? { keyIndex } : {}),
  };
}

/** Replaces the dataset's state; call inside the commit transaction. */
export async function saveIncrementalState(db: Db, dataset: string, s: IncrementalState, at: number): Promise<void> {
  await db.exec('DELETE FROM incremental_watermarks WHERE dataset = ?', [dataset]);
  await db.exec('DELETE FROM incremental_partials WHERE dataset = ?', [dataset]);
  await db.exec('INSERT INTO incremental_watermarks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
    dataset,
    s.column,
    s.fingerprint,
    s.watermark,
    s.rowsAtOrBelow,
    s.nullRows,
    s.checksum ?? null,
    s.files ? JSON.stringify(s.files) : null,
    s.scansSinceFull,
    Date.parse(s.fullAt),
    at,
  ]);
  const partials: [string, unknown][] = [...Object.entries(s.partials), ...(s.keyIndex ? [[KEY_INDEX_ROW, s.keyIndex] as [string, unknown]] : [])];
  if (partials.length) {
    await db.exec(`INSERT INTO incremental_partials VALUES ${partials.map(() => '(?, ?, ?)').join(', ')}`, partials.flatMap(([metric, p]) => [dataset, metric, JSON.stringify(p)]));
  }
}
