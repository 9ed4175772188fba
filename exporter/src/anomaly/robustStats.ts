/**
 * Robust statistics for the detectors. Medians use selection (O(n) on average) rather than a
 * sort, because a backtest calls them once per point over windows of hundreds of points.
 */

/** 1.4826 × MAD estimates the standard deviation of normal data. */
export const MAD_TO_SD = 1.4826;

/** The k-th smallest value (0-based) of `values`, reordering `values` in place. */
function select(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (hi > lo) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}

/** Median of `values`, reordering them in place (pass a scratch copy). NaN when empty. */
export function medianInPlace(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return NaN;
  const hi = select(values, n >> 1);
  if (n % 2) return hi;
  // The lower middle is the largest value left of the upper middle after selection.
  let lo = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (values[i]! > lo) lo = values[i]!;
  return (lo + hi) / 2;
}

export function median(values: ArrayLike<number>): number {
  // A typed array copies as memory; Float64Array.from walks any array-like element by element.
  return medianInPlace(values instanceof Float64Array ? values.slice() : Float64Array.from(values));
}

/** Median absolute deviation from `center`. */
export function mad(values: ArrayLike<number>, center: number): number {
  const d = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) d[i] = Math.abs(values[i]! - center);
  return medianInPlace(d);
}

export function standardDeviation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return Math.sqrt(ss / n);
}

/** The q-quantile (0–1, nearest rank below) of `values`, reordering them in place. */
export function quantileInPlace(values: Float64Array, q: number): number {
  if (values.length === 0) return NaN;
  return select(values, Math.min(values.length - 1, Math.floor(q * values.length)));
}
