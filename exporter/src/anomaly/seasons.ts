/**
 * Seasons of a metric's history: which hour of the day or day of the week a point belongs to
 * (UTC, like every timestamp the state store keeps), and whether the history shows either.
 */
import type { Seasonality } from './detector';

export type SeasonKind = Exclude<Seasonality, 'auto' | 'none'>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** Buckets per season: 24 hours, 7 days. */
export function seasonCount(kind: SeasonKind): number {
  return kind === 'hour_of_day' ? 24 : 7;
}

/** UTC hour (0–23) or weekday (0 = Sunday), by arithmetic: a Date per point is too slow for a backtest. */
export function seasonKey(at: number, kind: SeasonKind): number {
  if (kind === 'hour_of_day') return Math.floor((((at % DAY) + DAY) % DAY) / HOUR);
  // 1970-01-01 was a Thursday (4).
  return (((Math.floor(at / DAY) + 4) % 7) + 7) % 7;
}

export function seasonLabel(key: number, kind: SeasonKind): string {
  return kind === 'hour_of_day' ? `${String(key).padStart(2, '0')}:00` : WEEKDAYS[key]!;
}

/**
 * Whether a history can show a season at all: enough cycles, and points dense enough to fill
 * the buckets (hourly scans can show a daily cycle, daily scans cannot).
 */
export function seasonPossible(kind: SeasonKind, spanMs: number, spacingMs: number): boolean {
  if (kind === 'hour_of_day') return spanMs >= 3 * DAY && spacingMs <= 2 * HOUR;
  return spanMs >= 3 * 7 * DAY && spacingMs <= DAY;
}

/**
 * How much of the variance the season's bucket means explain, adjusted for the number of
 * buckets (an adjusted R²: with 24 buckets and few points, chance alone explains a lot).
 * `values` should already have slow drifts removed.
 */
export function seasonalStrength(ats: ArrayLike<number>, values: ArrayLike<number>, kind: SeasonKind): number {
  const k = seasonCount(kind);
  const n = values.length;
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const key = seasonKey(ats[i]!, kind);
    sums[key]! += values[i]!;
    counts[key]! += 1;
    total += values[i]!;
  }
  const mean = total / n;
  let ssTotal = 0;
  let ssWithin = 0;
  let groups = 0;
  for (let j = 0; j < k; j++) if (counts[j]! > 0) groups++;
  for (let i = 0; i < n; i++) {
    const key = seasonKey(ats[i]!, kind);
    ssTotal += (values[i]! - mean) ** 2;
    ssWithin += (values[i]! - sums[key]! / counts[key]!) ** 2;
  }
  if (ssTotal === 0 || n <= groups) return 0;
  const r2 = 1 - ssWithin / ssTotal;
  return 1 - ((1 - r2) * (n - 1)) / (n - groups);
}
