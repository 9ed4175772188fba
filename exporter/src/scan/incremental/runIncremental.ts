import { createHash } from 'node:crypto';
import { toMetricNumber } from '../../sources/cells';
import type { Dialect } from '../../sources/dialect';
import type { Cell, ColumnInfo, DescribedRelation } from '../../sources/source';
import { AggregateQuery } from '../aggregateQuery';
import { and } from '../conditions';
import { errorMessage } from '../errors';
import type { DatasetPlan } from '../planDataset';
import { executePlan, type QueryRunner } from '../plans/executePlan';
import { buildExecutionPlan } from '../plans/executionPlan';
import { SINGLE_PASS, type Strategies } from '../plans/strategies';
import { fileDoubt, filesPastWatermark, footerTotals, type FooterTotals, parquetFiles } from './parquetFooters';
import { sketchOf, sketchSql } from './sketch';
import { addDecimal, exactSum, finalValue, type Mergeable, mergeable, merge, type Partial, partialOf } from './partials';
import type { IncrementalOutcome, IncrementalSettings, IncrementalState } from './state';

export interface IncrementalInput {
  plan: DatasetPlan;
  dialect: Dialect;
  described: DescribedRelation;
  column: ColumnInfo;
  settings: IncrementalSettings;
  stored?: IncrementalState;
  /** A full recomputation was asked for (`POST /api/v1/scans/{dataset}?full=true`). */
  forceFull: boolean;
  /** Read every row for this reason (a key index that cannot be trusted: keyIndexes.ts). */
  fullReason?: string;
  strategies: Strategies;
  runner: QueryRunner;
  /** More runners on the same source, for statements that may run at once (new Parquet files). */
  forks?: readonly QueryRunner[];
  now: Date;
}

export interface IncrementalResult {
  /** Values of the mergeable aliases (the rest of the plan runs as usual over every row). */
  values: Record<string, Cell>;
  broken: Record<string, string>;
  aliases: Set<string>;
  /** Aliases whose value is a sketch's approximation (`incremental: sketch`, incremental mode only). */
  approximate: Set<string>;
  outcome: IncrementalOutcome;
  state?: IncrementalState;
}

/** Rows past the watermark; every non-NULL row when there is none yet. */
export function pastWatermark(col: string, type: string, watermark: string | null, d: Dialect): string {
  return watermark === null ? `${col} IS NOT NULL` : `${col} > CAST(${d.string(watermark)} AS ${type})`;
}

function fingerprint(plan: DatasetPlan, merged: readonly Mergeable[], column: string): string {
  const h = createHash('sha256');
  for (const part of [plan.from, plan.where ?? '', column, ...merged.map((m) => m.components.map((c) => c.expression).join('|')).sort()]) h.update(part).update('\u0000');
  return h.digest('hex').slice(0, 32);
}

interface Totals {
  rows: number;
  nulls: number;
  /** The column's maximum as the database prints it. */
  max: Cell;
  /** Exact sum of the column over all rows (tables). */
  checksum?: string;
  /** Parquet files, vouched for by their footers or their identity. */
  files?: FooterTotals['files'];
}

/** The column as an exact number whose sum fingerprints a set of rows. */
function checksumOf(col: string, column: ColumnInfo, d: Dialect): string {
  if (column.category !== 'temporal') return col;
  return d.name === 'postgres' ? `EXTRACT(EPOCH FROM ${col})` : `epoch_us(CAST(${col} AS TIMESTAMP))`;
}

/** Footers of an unfiltered Parquet relation: exact totals without reading rows, and each file's row-group signatures. */
async function parquetTotals(input: IncrementalInput): Promise<FooterTotals | undefined> {
  const rel = input.described.resolved;
  if (rel.kind !== 'files' || rel.format !== 'parquet') return undefined;
  return footerTotals({ path: rel.path, column: input.column, dialect: input.dialect, runner: input.runner, ...(input.stored?.files ? { known: input.stored.files } : {}) });
}

/** Row count, NULLs, maximum and exact sum of the column over the whole relation: one query reading that column. */
async function tableTotals(input: IncrementalInput, col: string): Promise<Totals | undefined> {
  const { plan, dialect: d } = input;
  const r = await input.runner.run(
    `SELECT COUNT(*), COUNT(*) FILTER (WHERE ${col} IS NULL), ${d.toText(`MAX(${col})`)}, ${d.toText(`SUM(${checksumOf(col, input.column, d)})`)} FROM ${plan.from}${plan.where ? ` WHERE ${plan.where}` : ''}`,
    'aggregate',
  );
  const row = r.rows[0];
  if (!row) return undefined;
  return { rows: toMetricNumber(row[0] ?? null) ?? 0, nulls: toMetricNumber(row[1] ?? null) ?? 0, max: row[2] ?? null, checksum: row[3] === null || row[3] === undefined ? '0' : String(row[3]) };
}

/** Why the rows at or below the watermark cannot be the ones the partials were built from, if they cannot. */
function doubtAbout(stored: IncrementalState, whole: Totals, read: number, readChecksum: string, column: string): string | undefined {
  const atOrBelow = whole.rows - whole.nulls - read;
  if (atOrBelow !== stored.rowsAtOrBelow) return `${stored.rowsAtOrBelow} rows were at or below the watermark, now ${atOrBelow} (rows deleted, updated or arrived late)`;
  if (whole.nulls !== stored.nullRows) return `rows with \`${column}\` NULL went from ${stored.nullRows} to ${whole.nulls}`;
  if (read === 0 && stored.watermark !== null && whole.max !== stored.watermark) return `the newest \`${column}\` went back from ${stored.watermark} to ${String(whole.max)}`;
  if (stored.files) {
    // Partials built from footers are proven by footers: without them, nothing vouches for the old files.
    if (!whole.files) return 'the Parquet footers no longer vouch for every row (statistics absent or inexact)';
    const doubt = fileDoubt({ ...whole, files: whole.files }, stored.files);
    if (doubt) return doubt;
  } else if (whole.checksum !== undefined && stored.checksum !== undefined && normalize(addDecimal(whole.checksum, negate(readChecksum))) !== normalize(stored.checksum)) {
    return `the rows at or below the watermark changed (deleted or updated rows, balanced by late ones)`;
  }
  return undefined;
}

function negate(decimalText: string): string {
  return decimalText.startsWith('-') ? decimalText.slice(1) : `-${decimalText}`;
}

/** Canonical decimal text (no trailing zeros), so equal sums compare equal whatever their scale. */
function normalize(decimalText: string): string {
  const t = addDecimal(decimalText, '0');
  const trimmed = t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t;
  return trimmed === '-0' ? '0' : trimmed;
}

/**
 * Computes a dataset's mergeable metrics from the rows past its watermark merged into the stored
 * partial aggregates, or from every row when it must (first scan, checks changed, every
 * `full_every` scans, asked to, or the rows at or below the watermark changed: deleted, updated
 * to other counts, late arrivals). Never a silently wrong value: any doubt reads every row.
 */
async function runIncremental(input: IncrementalInput): Promise<IncrementalResult> {
  const { plan, dialect: d, stored, settings } = input;
  const entries = plan.aggregate.described();
  const merged = entries.flatMap((e) => {
    const m = mergeable(e, d);
    return m ? [{ m, entry: e }] : [];
  });
  const col = d.quote(input.column.name);
  const fp = fingerprint(plan, merged.map((x) => x.m), input.column.name);
  // A sketched percentile is exact on a full scan (the plan computes it); approximate only when merged.
  const answered = (incremental: boolean) => new Set(merged.filter((x) => incremental || x.m.kind !== 'sketch').map((x) => x.m.alias));

  let reason: string | undefined;
  if (!stored) reason = 'no stored partial aggregates yet';
  else if (input.forceFull) reason = 'a full scan was requested';
  else if (stored.column !== input.column.name || stored.fingerprint !== fp) reason = 'the checks, filter or column changed';
  else if (stored.scansSinceFull + 1 >= settings.fullEvery) reason = `every ${settings.fullEvery} scans are full (incremental.full_every)`;
  else if (input.fullReason) reason = input.fullReason;

  // Parquet footers, read in either mode: their row-group signatures are part of the state.
  const footers = !plan.where ? await parquetTotals(input) : undefined;
  let whole: Totals | undefined;
  if (!reason && stored) {
    whole = footers && stored.files ? footers : await tableTotals(input, col);
    if (!whole) reason = 'the relation could not be counted';
  }

  // The components of every mergeable metric, plus what the watermark needs, over the rows read.
  const incremental = !reason && stored !== undefined;
  const query = new AggregateQuery();
  const rowsRead = query.add('COUNT(*)');
  // Past the watermark no row has a NULL column; Parquet footers prove the old rows without a checksum.
  const nulls = incremental ? undefined : query.add(`COUNT(*) FILTER (WHERE ${col} IS NULL)`);
  const newest = query.add(d.toText(`MAX(${col})`));
  const readSum = footers ? undefined : query.add(d.toText(`SUM(${checksumOf(col, input.column, d)})`));
  for (const { m } of merged) for (const c of m.components) query.add(c.expression, c.spec);
  const where = incremental ? and(plan.where, pastWatermark(col, input.column.type, stored.watermark, d)) : plan.where;
  // Rows past the watermark can only be in files the last scan did not read in full: read those alone.
  const fresh = incremental && footers && stored.files ? filesPastWatermark(footers, stored.files) : undefined;
  let from = fresh?.length ? parquetFiles(fresh, d) : plan.from;
  // Past the watermark there are few rows: one pass over them beats the per-condition WHERE
  // counts that pay off over a whole Parquet file (measured both ways: bench/engine-notes.md).
  // New files are a row group or a few, which DuckDB reads on as many threads: two statements
  // over different columns, at once, use two.
  const split = (fresh?.length ?? 0) > 0 && (input.forks?.length ?? 0) > 0;
  const strategies = incremental ? { ...SINGLE_PASS, columnGroups: split } : { ...input.strategies, metadata: false, groupedConditions: false, ownPercentiles: false, columnGroups: false };
  const runners = split ? [input.runner, ...input.forks!] : [input.runner];
  const aggregateOver = (over: string) => {
    const aggregate = { aggregate: query, from: over, ...(where ? { where } : {}), checks: [] };
    return executePlan(buildExecutionPlan(aggregate, { dialect: d, strategies, sampled: false }), aggregate, runners);
  };
  let out = await aggregateOver(from);
  // New files alone may lack a column the whole folder has (read by name): then through the folder.
  if (from !== plan.from && Object.keys(out.broken).length) out = await aggregateOver((from = plan.from));
  const failed = Object.values(out.broken)[0];
  if (failed !== undefined) {
    const aliases = answered(incremental);
    const broken = Object.fromEntries([...aliases].map((a) => [a, failed]));
    return { values: {}, broken, aliases, approximate: new Set(), outcome: { mode: incremental ? 'incremental' : 'full', ...(reason ? { reason } : {}), rowsRead: 0, watermark: stored?.watermark ?? null } };
  }
  const value = (expression: string): Cell => out.values[query.add(expression)] ?? null;
  const read = toMetricNumber(out.values[rowsRead] ?? null) ?? 0;
  const newestText = out.values[newest] ?? null;

  const readChecksum = readSum === undefined || out.values[readSum] === null || out.values[readSum] === undefined ? '0' : String(out.values[readSum]);
  const nullsRead = nulls === undefined ? 0 : (toMetricNumber(out.values[nulls] ?? null) ?? 0);
  if (incremental && stored && whole) {
    // Below the watermark nothing may have changed: same rows, same NULLs, same maximum, same content.
    const doubt = doubtAbout(stored, whole, read, readChecksum, input.column.name);
    if (doubt) return runIncremental({ ...input, stored: undefined, forceFull: true }).then((r) => ({ ...r, outcome: { ...r.outcome, reason: doubt } }));
  }

  const values: Record<string, Cell> = {};
  const broken: Record<string, string> = {};
  const partials: Record<string, Partial> = {};
  for (const { m, entry } of merged) {
    let batch: Partial;
    try {
      batch = m.sketch ? sketchOf(await input.runner.run(sketchSql(m.sketch.arg, m.sketch.filter, from, where, d), 'aggregate')) : partialOf(m, exactSum(entry), value);
    } catch (e) {
      // Without this metric's partial the state cannot be stored whole: the next scan is full.
      broken[m.alias] = errorMessage(e);
      continue;
    }
    const previous = incremental ? stored!.partials[entry.expression] : undefined;
    const p = previous ? merge(previous, batch) : batch;
    partials[entry.expression] = p;
    if (incremental || m.kind !== 'sketch') values[m.alias] = finalValue(m, p);
  }
  const watermark = read > 0 && newestText !== null ? String(newestText) : incremental ? stored!.watermark : newestText === null ? null : String(newestText);
  const state: IncrementalState = {
    column: input.column.name,
    fingerprint: fp,
    watermark,
    rowsAtOrBelow: incremental ? stored!.rowsAtOrBelow + read : read - nullsRead,
    nullRows: incremental ? whole!.nulls : nullsRead,
    scansSinceFull: incremental ? stored!.scansSinceFull + 1 : 0,
    ...(footers
      ? { files: Object.fromEntries([...footers.files].map(([f, facts]) => [f, facts.stored])) }
      : { checksum: normalize(incremental && stored!.checksum !== undefined ? addDecimal(stored!.checksum, readChecksum) : readChecksum) }),
    fullAt: incremental ? stored!.fullAt : input.now.toISOString(),
    partials,
  };
  const approximate = new Set(incremental ? merged.filter((x) => x.m.kind === 'sketch' && !broken[x.m.alias]).map((x) => x.m.alias) : []);
  const complete = Object.keys(broken).length === 0;
  return { values, broken, aliases: answered(incremental), approximate, ...(complete ? { state } : {}), outcome: { mode: incremental ? 'incremental' : 'full', ...(reason ? { reason } : {}), rowsRead: read, watermark } };
}

/**
 * The incremental part of a dataset scan, when the dataset is declared `incremental:`: checks
 * the column, loads the stored state (none under a one-off `datatrust scan`), runs.
 */
export async function incrementalForDataset(
  args: Omit<IncrementalInput, 'column' | 'stored'> & { load?: () => Promise<IncrementalState | undefined> },
): Promise<IncrementalResult | { error: string }> {
  const { described, settings } = args;
  const column = described.columns.find((c) => c.name === settings.column) ?? described.columns.find((c) => c.name.toLowerCase() === settings.column.toLowerCase());
  if (!column) return { error: `the incremental column \`${settings.column}\` does not exist (columns: ${described.columns.map((c) => c.name).join(', ')})` };
  if (column.category !== 'numeric' && column.category !== 'temporal') {
    return { error: `the incremental column \`${column.name}\` must be a number, date or timestamp that grows with every appended row; it is ${column.type}` };
  }
  let stored: IncrementalState | undefined;
  try {
    stored = await args.load?.();
  } catch {
    // Without the stored partials every row is read: slower, never wrong.
  }
  try {
    return await runIncremental({ ...args, column, ...(stored ? { stored } : {}) });
  } catch (e) {
    // The relation could not be read (counted, scanned past the watermark): every check says so.
    return { error: errorMessage(e) };
  }
}
