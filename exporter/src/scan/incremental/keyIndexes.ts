import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import type { Dialect } from '../../sources/dialect';
import type { DescribedRelation, QueryKind, RowChunk } from '../../sources/source';
import { and } from '../conditions';
import { errorMessage } from '../errors';
import type { DatasetPlan } from '../planDataset';
import type { CheckQueryResult, QueryRunner } from '../plans/executePlan';
import { type IndexShape, KeyIndexFile, type KeyIndexContents, rebuildKeyIndex } from './keyIndexFile';
import { groupedKeysSql, type KeyIndexSpec, keyIndexSpec } from './keyIndexSql';
import { incrementalForDataset, type IncrementalInput, type IncrementalResult, pastWatermark } from './runIncremental';
import type { IncrementalState, KeyIndexMark } from './state';

/** A check that counts its duplicates from a key index (`incremental: key_index`). */
export interface KeyIndexedCheck {
  /** Its index among the plan's checks. */
  check: number;
  spec: KeyIndexSpec;
  /** Key column names, for samples. */
  names: string[];
}

/** A query runner that can also hand over a large result a chunk at a time. */
export interface StreamingRunner extends QueryRunner {
  stream(sql: string, kind: QueryKind, each: (chunk: RowChunk) => Promise<void>): Promise<unknown>;
}

/**
 * The plan's `incremental: key_index` checks with their index. A key column whose values have no
 * canonical text (keyIndexSql) makes its check an error naming it, never a silently full query.
 */
export function keyIndexedChecks(plan: DatasetPlan, described: DescribedRelation, d: Dialect): KeyIndexedCheck[] {
  const out: KeyIndexedCheck[] = [];
  plan.checks.forEach((p, i) => {
    const c = p.compute;
    if (p.check.incremental !== 'key_index' || p.error || !c || (c.type !== 'query' && c.type !== 'query_percent') || !c.duplicates) return;
    const columns = c.duplicates.columns.map((q) => described.columns.find((col) => d.quote(col.name) === q)!);
    const spec = keyIndexSpec(c.duplicates, columns, d);
    if ('error' in spec) p.error = spec.error;
    else out.push({ check: i, spec, names: columns.map((col) => col.name) });
  });
  return out;
}

function shapesOf(keyed: readonly KeyIndexedCheck[]): IndexShape[] {
  const bySignature = new Map(keyed.map((k) => [k.spec.signature, { signature: k.spec.signature, width: k.spec.keys.length }]));
  return [...bySignature.values()].sort((a, b) => a.signature.localeCompare(b.signature));
}

/** Why the file cannot be the one the committed state was counted from, if it cannot. Pure. */
export function keyIndexDoubt(mark: KeyIndexMark, file: KeyIndexContents, shapes: readonly IndexShape[]): string | undefined {
  if (file.epoch !== mark.epoch) return `the key index was rebuilt by a scan whose results were not committed (epoch ${file.epoch}, committed ${mark.epoch})`;
  if (!file.batches.some((b) => b.seq === mark.seq && b.batch === mark.batch)) return `the key index does not hold the committed batch ${mark.seq} (${mark.batch})`;
  const missing = shapes.find((s) => !file.signatures.includes(s.signature));
  if (missing) return `the key index file has no index ${missing.signature}`;
  return undefined;
}

/**
 * Opens the dataset's key index file before the incremental part and takes back any batch newer
 * than the committed one; or says why every row must be read (and the file rebuilt).
 */
async function openIndexes(path: string, stored: IncrementalState | undefined, shapes: readonly IndexShape[]): Promise<{ file?: KeyIndexFile; reason?: string }> {
  if (!stored) return {};
  const mark = stored.keyIndex;
  if (!mark) return { reason: 'the key index (`incremental: key_index`) is not built yet' };
  const committed = Object.keys(mark.duplicates).sort();
  if (committed.join() !== shapes.map((s) => s.signature).join()) return { reason: 'the key-indexed duplicate checks changed' };
  let file: KeyIndexFile | undefined;
  try {
    file = await KeyIndexFile.open(path);
    const doubt = keyIndexDoubt(mark, await file.contents(), shapes);
    if (doubt) {
      file.close();
      return { reason: doubt };
    }
    await file.rollbackAfter(mark.seq, shapes);
    return { file };
  } catch (e) {
    file?.close();
    return { reason: errorMessage(e) };
  }
}

type BatchInput = Pick<IncrementalInput, 'dialect' | 'described' | 'settings'> & { stored?: IncrementalState };

interface Answered {
  values: Map<number, CheckQueryResult>;
  mark: KeyIndexMark;
}

/** The rows whose keys enter the index: a full scan's every row, or the rows past the old watermark; never past the new one. */
function batchWhere(input: BatchInput, result: IncrementalResult): string {
  const { dialect: d } = input;
  const column = input.described.columns.find((c) => c.name === input.settings.column) ?? input.described.columns.find((c) => c.name.toLowerCase() === input.settings.column.toLowerCase())!;
  const col = d.quote(column.name);
  const newest = result.outcome.watermark;
  // Rows that land between the scan's statements (a new file in a folder) wait for the next
  // scan, which reads past this watermark, or sees them as late and reads every row.
  const upTo = newest === null ? `${col} IS NULL` : `${col} <= CAST(${d.string(newest)} AS ${column.type})`;
  if (result.outcome.mode === 'full') return newest === null ? upTo : `(${col} IS NULL OR ${upTo})`;
  return and(pastWatermark(col, column.type, input.stored!.watermark, d), upTo)!;
}

/** Follows the incremental part: rebuilds the index (full scans) or merges the new rows' keys; owns `opened`. */
async function answer(
  path: string,
  opened: KeyIndexFile | undefined,
  input: BatchInput,
  result: IncrementalResult,
  keyed: readonly KeyIndexedCheck[],
  runner: StreamingRunner,
  samplesLimit: (check: number) => number | undefined,
): Promise<Answered> {
  const shapes = shapesOf(keyed);
  const specs = new Map(keyed.map((k) => [k.spec.signature, k.spec]));
  const where = batchWhere(input, result);
  const feed = async (shape: IndexShape, append: (chunk: RowChunk) => Promise<void>) => {
    await runner.stream(groupedKeysSql(specs.get(shape.signature)!, where), 'duplicates', append);
  };
  let file = opened;
  try {
    let mark: KeyIndexMark;
    if (result.outcome.mode === 'full' || !file) {
      // Closed before the new file replaces it: closing later would write the old one's log over it.
      file?.close();
      file = undefined;
      const epoch = randomUUID();
      mark = { epoch, seq: 0, batch: epoch, duplicates: await rebuildKeyIndex(path, epoch, shapes, feed) };
    } else {
      const previous = input.stored!.keyIndex!;
      if (result.outcome.rowsRead === 0) mark = previous;
      else {
        const batch = randomUUID();
        const became = await file.merge(previous.seq + 1, batch, shapes, feed);
        mark = { epoch: previous.epoch, seq: previous.seq + 1, batch, duplicates: Object.fromEntries(shapes.map((s) => [s.signature, previous.duplicates[s.signature]! + became[s.signature]!])) };
      }
    }
    const values = new Map<number, CheckQueryResult>();
    for (const k of keyed) {
      const value = mark.duplicates[k.spec.signature]!;
      const limit = samplesLimit(k.check);
      if (limit === undefined || value === 0) {
        values.set(k.check, { value });
        continue;
      }
      // After a rebuild the new file is opened again, for samples only.
      file ??= await KeyIndexFile.open(path);
      values.set(k.check, { value, samples: await file.samples({ signature: k.spec.signature, width: k.spec.keys.length }, k.names, limit) });
    }
    return { values, mark };
  } finally {
    file?.close();
  }
}

export type KeyIndexedResult = IncrementalResult & {
  /** Values (and samples) of the key-indexed checks by check index; the plan skips their queries. */
  keyed: Map<number, CheckQueryResult>;
};

/**
 * The incremental part of a dataset scan with its key indexes: the file is checked against the
 * committed state first (a doubt reads every row), then the incremental part runs, then the
 * index follows it: rebuilt from every row on a full scan, the new rows' keys merged otherwise.
 * Anything failing in the index leaves its checks to their ordinary full query and the state
 * without an index, so the next scan rebuilds it: never a wrong count.
 */
export async function incrementalWithKeyIndexes(
  input: Omit<IncrementalInput, 'column' | 'stored'> & {
    load?: () => Promise<IncrementalState | undefined>;
    keyed: readonly KeyIndexedCheck[];
    /** The dataset's key index file; none without a state store (`datatrust scan`). */
    path?: string;
    runner: StreamingRunner;
    samplesLimit: (check: number) => number | undefined;
  },
): Promise<KeyIndexedResult | { error: string }> {
  const { load, keyed, path, samplesLimit, ...args } = input;
  const none = new Map<number, CheckQueryResult>();
  if (!path || keyed.length === 0) {
    // An index no check uses any more is dropped.
    if (path && existsSync(path)) for (const f of [path, `${path}.wal`]) rmSync(f, { force: true });
    const r = await incrementalForDataset({ ...args, ...(load ? { load } : {}) });
    return 'error' in r ? r : { ...r, keyed: none };
  }
  let stored: IncrementalState | undefined;
  try {
    stored = await load?.();
  } catch {
    // Without the stored state every row is read, and the index rebuilt.
  }
  const shapes = shapesOf(keyed);
  const opened = input.forceFull ? {} : await openIndexes(path, stored, shapes);
  let file = opened.file;
  try {
    const r = await incrementalForDataset({ ...args, load: async () => stored, ...(opened.reason ? { fullReason: opened.reason } : {}) });
    if ('error' in r || !r.state) return 'error' in r ? r : { ...r, keyed: none };
    const handed = file;
    file = undefined;
    try {
      const a = await answer(path, handed, { ...args, ...(stored ? { stored } : {}) }, r, keyed, input.runner, samplesLimit);
      return { ...r, state: { ...r.state, keyIndex: a.mark }, keyed: a.values };
    } catch (e) {
      // The checks run their ordinary duplicates query; the state keeps no index, so the next scan rebuilds it.
      return { ...r, outcome: { ...r.outcome, keyIndexError: errorMessage(e) }, keyed: none };
    }
  } finally {
    file?.close();
  }
}
