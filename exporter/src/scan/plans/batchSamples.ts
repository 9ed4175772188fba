import type { Cell, QueryResult } from '../../sources/source';
import type { RowSampleSpec } from '../planDataset';
import type { CheckSamples } from '../result';

export interface SampleRequest {
  /** The check's index in the dataset plan. */
  check: number;
  spec: RowSampleSpec;
  limit: number;
  /** The exact number of failing rows, when the scan counted them in the same snapshot. */
  failing?: number;
}

/** Rows a shared scan may return for checks of known, small failing counts. */
const MAX_SHARED_ROWS = 1000;

export interface BatchedSamples {
  sql: string;
  /** Some checks share one scan (whose few rows the planner cannot foresee). */
  shared: boolean;
  /** Upper bound of the rows the statement returns. */
  maxRows: number;
  /** Splits the statement's rows into each check's samples (capped at its limit). */
  split(r: QueryResult): Map<number, CheckSamples>;
}

/**
 * The failed-row samples of a dataset's failing checks in ONE statement, each check's columns
 * only (never `SELECT *` of the table), each capped by its limit:
 *
 * - one `(SELECT … WHERE failing LIMIT n)` branch per check, under UNION ALL: each branch stops
 *   after n rows, and on Parquet its condition is pushed into the scan;
 * - with `shareScan` (PostgreSQL, a row store where every branch would be a full scan for a
 *   rare failure), checks whose failing rows are known to be few share ONE scan of their
 *   OR-ed conditions, each row flagged with the checks it fails.
 */
export function batchSamples(requests: readonly SampleRequest[], shareScan: boolean, dataset: { from: string; quote: (name: string) => string }): BatchedSamples | undefined {
  if (requests.length === 0) return undefined;
  const slots: string[] = [];
  const slotOf = (name: string) => {
    let i = slots.indexOf(name);
    if (i < 0) i = slots.push(name) - 1;
    return i;
  };
  for (const r of requests) for (const n of r.spec.names) slotOf(n);

  const shared: SampleRequest[] = [];
  if (shareScan) {
    let rows = 0;
    for (const r of requests) {
      const from = shared[0]?.spec.from ?? r.spec.from;
      if (r.failing !== undefined && r.spec.from === from && rows + r.failing <= MAX_SHARED_ROWS) {
        shared.push(r);
        rows += r.failing;
      }
    }
    if (shared.length < 2) shared.length = 0;
  }
  const own = requests.filter((r) => !shared.includes(r));
  const select = (spec: RowSampleSpec) =>
    slots.map((name, i) => {
      const at = spec.names.indexOf(name);
      return `${at >= 0 ? spec.columns[at] : 'NULL'} AS sample_${i}`;
    });

  // A first branch that reads no row gives every column its type: a NULL placeholder in a
  // later branch then takes that type (PostgreSQL types UNION columns branch by branch).
  const typed = `(SELECT -2 AS sample_check, CAST(NULL AS VARCHAR) AS sample_flags, ${slots.map((n, i) => `${dataset.quote(n)} AS sample_${i}`).join(', ')} FROM ${dataset.from} WHERE 1 = 0)`;
  const branches = [typed];
  branches.push(...own.map((r) => `(SELECT ${r.check} AS sample_check, CAST(NULL AS VARCHAR) AS sample_flags, ${select(r.spec).join(', ')} FROM ${r.spec.from} WHERE ${r.spec.where} LIMIT ${r.limit})`));
  let maxRows = own.reduce((n, r) => n + r.limit, 0);
  if (shared.length) {
    // A spec's columns come from one FROM item: a shared row carries the union of their columns.
    const union: RowSampleSpec = { from: shared[0]!.spec.from, where: '', columns: [], names: [] };
    for (const r of shared) {
      r.spec.names.forEach((n, i) => {
        if (!union.names.includes(n)) {
          union.names.push(n);
          union.columns.push(r.spec.columns[i]!);
        }
      });
    }
    const flags = shared.map((r) => `CASE WHEN ${r.spec.where} THEN '1' ELSE '0' END`).join(' || ');
    const where = shared.map((r) => `(${r.spec.where})`).join(' OR ');
    branches.push(`(SELECT -1 AS sample_check, ${flags} AS sample_flags, ${select(union).join(', ')} FROM ${union.from} WHERE ${where})`);
    maxRows += shared.reduce((n, r) => n + (r.failing ?? 0), 0);
  }
  const sql = `SELECT * FROM (${branches.join('\nUNION ALL\n')}) AS samples`;

  const split = (res: QueryResult): Map<number, CheckSamples> => {
    const out = new Map<number, CheckSamples>();
    const add = (r: SampleRequest, row: Cell[]) => {
      let s = out.get(r.check);
      if (!s) out.set(r.check, (s = { columns: [...r.spec.names], rows: [] }));
      if (s.rows.length < r.limit) s.rows.push(r.spec.names.map((n) => row[2 + slots.indexOf(n)] ?? null));
    };
    for (const row of res.rows) {
      const check = Number(row[0]);
      if (check === -2) continue;
      if (check >= 0) {
        const r = own.find((x) => x.check === check);
        if (r) add(r, row);
      } else {
        const flags = String(row[1] ?? '');
        shared.forEach((r, i) => flags[i] === '1' && add(r, row));
      }
    }
    for (const r of requests) if (!out.has(r.check)) out.set(r.check, { columns: [...r.spec.names], rows: [] });
    return out;
  };
  return { sql, shared: shared.length > 0, maxRows, split };
}
