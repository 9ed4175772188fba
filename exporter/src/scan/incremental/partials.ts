import { toMetricNumber } from '../../sources/cells';
import type { Dialect } from '../../sources/dialect';
import type { Cell } from '../../sources/source';
import type { AggregateEntry, AggregateSpec } from '../aggregateQuery';
import { mergeSketches, type Sketch, sketchQuantile } from './sketch';

/**
 * What a metric keeps between scans so that the rows of one scan can be merged into it:
 *
 * - `count`: a number of rows, added.
 * - `sum`: the number of non-NULL values and their sum, as exact decimal text for integer and
 *   decimal columns (added digit by digit, never through a float), else as a double.
 * - `min`/`max`: the extreme value.
 * - `moments`: count, mean and sum of squared deviations (M2), merged with the pairwise update
 *   of Chan, Golub and LeVeque, which stays accurate where Σx² − (Σx)²/n cancels catastrophically.
 */
export type Partial =
  | Sketch
  | { kind: 'count'; n: number }
  | { kind: 'sum'; n: number; sum: string | null; exact: boolean }
  | { kind: 'min' | 'max'; value: Cell }
  | { kind: 'moments'; n: number; mean: number; m2: number };

/** One aggregate over the rows read, whose value the partial of a metric is built from. */
export interface Component {
  expression: string;
  spec?: AggregateSpec;
}

/** How an aggregate entry is kept: which partial, computed from which components. */
export interface Mergeable {
  alias: string;
  kind: Partial['kind'];
  /** The final metric: e.g. `avg` from a sum partial, `stddev_samp` from moments. */
  fn: string;
  components: Component[];
  /** For a sketched percentile: what to sketch (computed by its own query, not a component). */
  sketch?: { arg: string; rank: number; filter?: string };
}

const EXACT_NUMBER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|DECIMAL\(\d+,\d+\)|smallint|integer|bigint|numeric(\(\d+,\d+\))?)$/;

/**
 * The components of a mergeable aggregate, or undefined when it cannot merge exactly: a
 * percentile needs every value, a user expression is opaque.
 */
export function mergeable(e: AggregateEntry, d: Dialect): Mergeable | undefined {
  const s = e.spec;
  if (s?.fn === 'percentile' && s.sketch) return { alias: e.alias, kind: 'sketch', fn: 'percentile', components: [], sketch: { arg: s.arg, rank: s.rank, ...(s.filter !== undefined ? { filter: s.filter } : {}) } };
  if (!s || s.fn === 'percentile') return undefined;
  const filtered = (agg: string) => d.filtered(agg, s.filter);
  if (s.fn === 'count') return { alias: e.alias, kind: 'count', fn: 'count', components: [{ expression: e.expression, spec: s }] };
  if (s.fn === 'min' || s.fn === 'max') return { alias: e.alias, kind: s.fn, fn: s.fn, components: [{ expression: e.expression, spec: s }] };
  if (s.fn === 'max_epoch') return { alias: e.alias, kind: 'max', fn: 'max', components: [{ expression: e.expression }] };
  const count: Component = { expression: filtered(`COUNT(${s.arg})`) };
  if (s.fn === 'sum' || s.fn === 'avg') {
    return { alias: e.alias, kind: 'sum', fn: s.fn, components: [count, { expression: d.toText(filtered(`SUM(${s.arg})`)) }] };
  }
  // stddev / variance: count, mean and M2 of this scan's values, as doubles.
  const asDouble = (x: string) => (d.name === 'postgres' ? `CAST(${x} AS DOUBLE PRECISION)` : `CAST(${x} AS DOUBLE)`);
  return {
    alias: e.alias,
    kind: 'moments',
    fn: s.fn,
    components: [count, { expression: asDouble(filtered(`AVG(${s.arg})`)) }, { expression: asDouble(filtered(`VAR_POP(${s.arg})`)) }],
  };
}

/** Whether `sum` partials of this entry are exact decimal text: integer and decimal columns, and lengths. */
export function exactSum(e: AggregateEntry): boolean {
  const s = e.spec;
  if (!s || (s.fn !== 'sum' && s.fn !== 'avg')) return false;
  // The column the values come from: a text column read through a numeric format gives doubles.
  const from = s.valuesOf ?? s.column;
  return from ? EXACT_NUMBER.test(from.type) : true;
}

/** The partial of one scan's rows from the component values (by expression). */
export function partialOf(m: Mergeable, exact: boolean, value: (expression: string) => Cell): Partial {
  const v = (i: number) => value(m.components[i]!.expression);
  switch (m.kind) {
    case 'sketch':
      throw new Error('internal: a sketch partial comes from its own query');
    case 'count':
      return { kind: 'count', n: toMetricNumber(v(0)) ?? 0 };
    case 'min':
    case 'max':
      return { kind: m.kind, value: v(0) };
    case 'sum': {
      const n = toMetricNumber(v(0)) ?? 0;
      const sum = v(1);
      return { kind: 'sum', n, sum: n === 0 || sum === null ? null : String(sum), exact };
    }
    case 'moments': {
      const n = toMetricNumber(v(0)) ?? 0;
      if (n === 0) return { kind: 'moments', n: 0, mean: 0, m2: 0 };
      return { kind: 'moments', n, mean: toMetricNumber(v(1)) ?? 0, m2: (toMetricNumber(v(2)) ?? 0) * n };
    }
  }
}

/** Decimal text → [unscaled digits as bigint, scale]. */
function decimal(text: string): [bigint, number] {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:e([-+]?\d+))?$/i.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = m[3] ?? '';
  let digits = BigInt(`${m[1]}${m[2] || '0'}${frac}`);
  let scale = frac.length - Number(m[4] ?? 0);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return [digits, scale];
}

function decimalText(digits: bigint, scale: number): string {
  const neg = digits < 0n;
  const s = (neg ? -digits : digits).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${scale ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s}`;
}

/** Exact sum of two decimal texts. */
export function addDecimal(a: string, b: string): string {
  const [da, sa] = decimal(a);
  const [db, sb] = decimal(b);
  const scale = Math.max(sa, sb);
  return decimalText(da * 10n ** BigInt(scale - sa) + db * 10n ** BigInt(scale - sb), scale);
}

function compare(a: Cell, b: Cell): number {
  const x = toMetricNumber(a);
  const y = toMetricNumber(b);
  return x === null || y === null ? 0 : x - y;
}

/** Merges the partial of new rows into the stored one. */
export function merge(a: Partial, b: Partial): Partial {
  if (a.kind === 'count' && b.kind === 'count') return { kind: 'count', n: a.n + b.n };
  if (a.kind === 'sketch' && b.kind === 'sketch') return mergeSketches(a, b);
  if ((a.kind === 'min' || a.kind === 'max') && a.kind === b.kind) {
    if (a.value === null) return b;
    if (b.value === null) return a;
    const c = compare(a.value, b.value);
    return a.kind === 'min' ? (c <= 0 ? a : b) : c >= 0 ? a : b;
  }
  if (a.kind === 'sum' && b.kind === 'sum') {
    if (a.sum === null) return b;
    if (b.sum === null) return a;
    const sum = a.exact && b.exact ? addDecimal(a.sum, b.sum) : String(Number(a.sum) + Number(b.sum));
    return { kind: 'sum', n: a.n + b.n, sum, exact: a.exact && b.exact };
  }
  if (a.kind === 'moments' && b.kind === 'moments') {
    if (a.n === 0) return b;
    if (b.n === 0) return a;
    const n = a.n + b.n;
    const delta = b.mean - a.mean;
    return { kind: 'moments', n, mean: a.mean + (delta * b.n) / n, m2: a.m2 + b.m2 + (delta * delta * a.n * b.n) / n };
  }
  throw new Error(`internal: cannot merge a ${a.kind} partial with a ${b.kind} one`);
}

/** The metric's value from its merged partial, as the single pass would report it. */
export function finalValue(m: Mergeable, p: Partial): Cell {
  switch (p.kind) {
    case 'sketch':
      return sketchQuantile(p, m.sketch!.rank);
    case 'count':
      return p.n;
    case 'min':
    case 'max':
      return p.value;
    case 'sum': {
      if (p.sum === null || p.n === 0) return null;
      const sum = Number(p.sum);
      return m.fn === 'avg' ? sum / p.n : sum;
    }
    case 'moments': {
      const { n, m2 } = p;
      const variance = m.fn === 'var_pop' || m.fn === 'stddev_pop' ? (n > 0 ? m2 / n : null) : n > 1 ? m2 / (n - 1) : null;
      if (variance === null) return null;
      // Rounding can leave a tiny negative M2 for constant values; variance is never negative.
      const v = Math.max(0, variance);
      return m.fn.startsWith('stddev') ? Math.sqrt(v) : v;
    }
  }
}
