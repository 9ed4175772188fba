import { toMetricNumber } from '../../sources/cells';
import type { Dialect } from '../../sources/dialect';
import type { QueryResult } from '../../sources/source';
import { and } from '../conditions';

/**
 * The relative error bound of `incremental: sketch` percentiles: the reported value is within
 * 1% of the exact `percentile_disc` value (DDSketch, Masson, Rim and Lee, VLDB 2019).
 */
export const SKETCH_RELATIVE_ERROR = 0.01;
const GAMMA = (1 + SKETCH_RELATIVE_ERROR) / (1 - SKETCH_RELATIVE_ERROR);

/**
 * A mergeable quantile sketch: counts of values per logarithmic bucket (bucket i holds
 * |x| in (γ^(i−1), γ^i]), by sign, plus the zeros. Merging adds counts: exact, in any order.
 */
export interface Sketch {
  kind: 'sketch';
  n: number;
  zeros: number;
  positive: Record<string, number>;
  negative: Record<string, number>;
}

function emptySketch(): Sketch {
  return { kind: 'sketch', n: 0, zeros: 0, positive: {}, negative: {} };
}

/** One query counting the values of `arg` per sign and bucket, over the rows read. */
export function sketchSql(arg: string, filter: string | undefined, from: string, where: string | undefined, d: Dialect): string {
  const double = d.name === 'postgres' ? 'DOUBLE PRECISION' : 'DOUBLE';
  const bucket = `CASE WHEN ${arg} <> 0 THEN CAST(CEIL(LN(ABS(CAST(${arg} AS ${double}))) / LN(${GAMMA})) AS BIGINT) END`;
  return `SELECT CAST(SIGN(${arg}) AS INTEGER) AS sign, ${bucket} AS bucket, COUNT(*) AS n FROM ${from} WHERE ${and(where, filter, `${arg} IS NOT NULL`)} GROUP BY 1, 2`;
}

export function sketchOf(r: QueryResult): Sketch {
  const s = emptySketch();
  for (const [sign, bucket, count] of r.rows) {
    const n = toMetricNumber(count ?? null) ?? 0;
    const side = toMetricNumber(sign ?? null);
    s.n += n;
    if (side === 0 || bucket === null) s.zeros += n;
    else (side! > 0 ? s.positive : s.negative)[String(bucket)] = n;
  }
  return s;
}

export function mergeSketches(a: Sketch, b: Sketch): Sketch {
  const add = (x: Record<string, number>, y: Record<string, number>) => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return { kind: 'sketch', n: a.n + b.n, zeros: a.zeros + b.zeros, positive: add(a.positive, b.positive), negative: add(a.negative, b.negative) };
}

/**
 * The value at PostgreSQL `percentile_disc`'s position max(1, ceil(p·n)), to within the
 * relative error: each bucket's representative 2γ^i/(γ+1) is that close to every value in it.
 */
export function sketchQuantile(s: Sketch, p: number): number | null {
  if (s.n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * s.n));
  const rep = (i: number) => (2 * GAMMA ** i) / (GAMMA + 1);
  const ordered: [number, number][] = [
    ...Object.entries(s.negative)
      .map(([i, n]) => [-rep(Number(i)), n] as [number, number])
      .sort((a, b) => a[0] - b[0]),
    ...(s.zeros ? [[0, s.zeros] as [number, number]] : []),
    ...Object.entries(s.positive)
      .map(([i, n]) => [rep(Number(i)), n] as [number, number])
      .sort((a, b) => a[0] - b[0]),
  ];
  let seen = 0;
  for (const [value, n] of ordered) {
    seen += n;
    if (seen >= rank) return value;
  }
  return ordered[ordered.length - 1]![0];
}
