/**
 * The seasonal detector: expected value = recent level + trend + the season's offset, band =
 * sensitivity × a robust spread of what the model failed to explain. Training leaves out the
 * tested point and every earlier point flagged anomalous, except when most recent points were
 * flagged: that is a level shift, and the model adopts it.
 */
import type { AnomalyDetector, AnomalyVerdict, DetectorOptions, MetricPoint } from './detector';
import { MAD_TO_SD, mad, median, medianInPlace, quantileInPlace, standardDeviation } from './robustStats';
import { seasonCount, seasonKey, seasonLabel, seasonalStrength, seasonPossible, type SeasonKind } from './seasons';

export interface SeasonalDetectorTuning {
  /** Most recent training points the model looks at (bounds the cost of one verdict). */
  maxPoints: number;
  /** Points whose median is the current level: short enough to follow a shift or a trend. */
  levelPoints: number;
  /** When most of this many latest points were flagged, the series has shifted: adopt them. */
  shiftPoints: number;
  /** Adjusted R² a season must explain before `auto` uses it. */
  minSeasonalStrength: number;
  /** Training points a season's bucket needs before its offset is trusted. */
  minBucketPoints: number;
  /**
   * Which quantile of the absolute one-step errors sets the spread (divided by the normal
   * quantile, so normal noise gives its standard deviation): 0.5 is the MAD; a higher one
   * widens the band for heavy-tailed metrics, which flag far more than 0.3% at 3σ otherwise.
   */
  spreadQuantile: number;
}

/**
 * One configuration for every metric, chosen on NAB (bench/anomaly.mjs): short memory wins
 * there. The level is the latest unflagged point (a naive forecast plus season and drift);
 * two flagged points out of the last three are a shift the model adopts.
 */
export const DEFAULT_TUNING: SeasonalDetectorTuning = {
  maxPoints: 400,
  levelPoints: 1,
  shiftPoints: 3,
  minSeasonalStrength: 0.5,
  minBucketPoints: 2,
  spreadQuantile: 0.9,
};

/** The most training points a check can ask for (`window_length`): more than the tuned cap would be ignored. */
export const MAX_TRAINING_POINTS = DEFAULT_TUNING.maxPoints;
/** Fewer training points than this give no verdict, whatever `min_history` says: a level, a step and a spread need three. */
export const MIN_TRAINING_POINTS = 3;

/** Fewer points than this after a shift fit no slope: two or three points extrapolate noise. */
const MIN_TREND_POINTS = 10;

interface Training {
  ats: Float64Array;
  values: Float64Array;
  /** Index of the first point of an adopted level shift: level and trend start there. */
  regimeStart: number;
}

/**
 * The points the model learns from: the unflagged ones, newest first, at most `maxPoints`.
 * When most of the last `shiftPoints` were flagged, the series has moved to a new regime (a
 * level shift the model failed to follow): those recent points are adopted, and level and
 * trend restart from them, so a sustained change stops alerting.
 */
function trainingPoints(history: readonly MetricPoint[], tuning: SeasonalDetectorTuning, maxPoints: number): Training {
  const recentFrom = Math.max(0, history.length - tuning.shiftPoints);
  let recentFlagged = 0;
  for (let i = recentFrom; i < history.length; i++) if (history[i]!.anomalous) recentFlagged++;
  const adopt = history.length >= tuning.shiftPoints && 2 * recentFlagged > history.length - recentFrom;
  // Filled from the newest point backwards, then the unused front is cut off.
  const ats = new Float64Array(Math.min(maxPoints, history.length));
  const values = new Float64Array(ats.length);
  let k = ats.length;
  let adopted = 0;
  for (let i = history.length - 1; i >= 0 && k > 0; i--) {
    const p = history[i]!;
    const inRegime = adopt && i >= recentFrom;
    if ((p.anomalous && !inRegime) || !Number.isFinite(p.value)) continue;
    k--;
    ats[k] = p.at;
    values[k] = p.value;
    if (inRegime) adopted++;
  }
  const kept = ats.length - k;
  return { ats: ats.subarray(k), values: values.subarray(k), regimeStart: adopt ? kept - adopted : 0 };
}

function medianSpacing(ats: Float64Array): number {
  const d = new Float64Array(Math.max(0, ats.length - 1));
  for (let i = 1; i < ats.length; i++) d[i - 1] = ats[i]! - ats[i - 1]!;
  return medianInPlace(d);
}

/** Values minus a straight line through the medians of the two halves: slow drift out. */
function detrended(ats: Float64Array, values: Float64Array): Float64Array {
  const { slope, t0, v0 } = halvesTrend(ats, values);
  return values.map((v, i) => v - (v0 + slope * (ats[i]! - t0)));
}

/** A robust straight line: through the (time, value) medians of the first and second halves. */
function halvesTrend(ats: Float64Array, values: Float64Array): { slope: number; t0: number; v0: number } {
  const half = values.length >> 1;
  const t0 = median(ats.subarray(0, half));
  const v0 = median(values.subarray(0, half));
  const t1 = median(ats.subarray(half));
  const v1 = median(values.subarray(half));
  if (half < 2 || !(t1 > t0)) return { slope: 0, t0: t1, v0: v1 };
  return { slope: (v1 - v0) / (t1 - t0), t0, v0 };
}

function chooseSeason(t: Training, options: DetectorOptions, tuning: SeasonalDetectorTuning): SeasonKind | undefined {
  if (options.seasonality === 'none') return undefined;
  if (options.seasonality !== 'auto') return options.seasonality;
  const n = t.ats.length;
  const span = t.ats[n - 1]! - t.ats[0]!;
  const spacing = medianSpacing(t.ats);
  let flat: Float64Array | undefined;
  let best: SeasonKind | undefined;
  let bestStrength = tuning.minSeasonalStrength;
  for (const kind of ['hour_of_day', 'day_of_week'] as const) {
    if (!seasonPossible(kind, span, spacing)) continue;
    flat ??= detrended(t.ats, t.values);
    const s = seasonalStrength(t.ats, flat, kind);
    if (s > bestStrength) {
      best = kind;
      bestStrength = s;
    }
  }
  return best;
}

/** Each bucket's median offset from the overall median; NaN for buckets with too few points. */
function seasonOffsets(t: Training, kind: SeasonKind, minPoints: number): Float64Array {
  const k = seasonCount(kind);
  const center = median(t.values);
  const buckets: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < t.values.length; i++) buckets[seasonKey(t.ats[i]!, kind)]!.push(t.values[i]! - center);
  return Float64Array.from(buckets, (b) => (b.length >= minPoints ? median(b) : NaN));
}

/**
 * Spread of the one-step-ahead errors: each point against the median of the block of points
 * before it, which lags like the level the model predicts with (a spread around each block's
 * own median would be too narrow for series that wander).
 */
function residualSpread(values: Float64Array, block: number, q: number): number {
  if (values.length < 2 * block) return MAD_TO_SD * mad(values, median(values));
  const residuals = new Float64Array(values.length - block);
  if (block === 1) {
    for (let i = 1; i < values.length; i++) residuals[i - 1] = values[i]! - values[i - 1]!;
    return scaleOf(residuals, q);
  }
  let prev = median(values.subarray(0, block));
  for (let start = block; start < values.length; start += block) {
    const end = Math.min(values.length, start + block);
    for (let i = start; i < end; i++) residuals[i - block] = values[i]! - prev;
    prev = median(values.subarray(start, end));
  }
  return scaleOf(residuals, q);
}

/** The q-quantile of |residuals| as a standard deviation of normal noise (q = 0.5: the MAD). */
function scaleOf(residuals: Float64Array, q: number): number {
  if (q === 0.5) return MAD_TO_SD * mad(residuals, 0);
  for (let i = 0; i < residuals.length; i++) residuals[i] = Math.abs(residuals[i]!);
  return quantileInPlace(residuals, q) / normalQuantile((1 + q) / 2);
}

/** Φ⁻¹(p) for p in (0.5, 1) (Abramowitz–Stegun 26.2.23, error < 4.5e-4). */
function normalQuantile(p: number): number {
  const t = Math.sqrt(-2 * Math.log(1 - p));
  return t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
}

export function createSeasonalDetector(tuning: SeasonalDetectorTuning = DEFAULT_TUNING): AnomalyDetector {
  return {
    name: 'seasonal',
    assess(current: MetricPoint, history: readonly MetricPoint[], options: DetectorOptions): AnomalyVerdict | undefined {
      const t = trainingPoints(history, tuning, Math.min(tuning.maxPoints, options.maxTrainingPoints ?? Infinity));
      const n = t.values.length;
      if (n < Math.max(options.minHistory, MIN_TRAINING_POINTS)) return undefined;

      const kind = chooseSeason(t, options, tuning);
      const offsets = kind ? seasonOffsets(t, kind, tuning.minBucketPoints) : undefined;
      const offsetAt = (at: number): number => {
        const o = offsets && kind ? offsets[seasonKey(at, kind)]! : 0;
        return Number.isNaN(o) ? 0 : o;
      };
      const deseasonalized = t.values.map((v, i) => v - offsetAt(t.ats[i]!));

      const levelFrom = Math.max(t.regimeStart, n - tuning.levelPoints);
      const level = median(deseasonalized.subarray(levelFrom));
      const levelAt = median(t.ats.subarray(levelFrom));
      // A step is not a trend: the slope is fitted after the latest adopted shift, given enough points.
      const regime = n - t.regimeStart;
      const slope = regime >= Math.max(2 * tuning.levelPoints, MIN_TREND_POINTS) ? halvesTrend(t.ats.subarray(t.regimeStart), deseasonalized.subarray(t.regimeStart)).slope : 0;
      const expected = level + slope * (current.at - levelAt) + offsetAt(current.at);

      // A flat history has no spread; fall back like the MAD detector: sd, then 1% of the level.
      const spread = residualSpread(deseasonalized, tuning.levelPoints, tuning.spreadQuantile) || standardDeviation(deseasonalized) || Math.abs(level) * 0.01 || 1;
      const halfWidth = options.sensitivity * spread;
      const score = Math.abs(current.value - expected) / halfWidth;
      return {
        expected,
        lower: expected - halfWidth,
        upper: expected + halfWidth,
        score,
        anomalous: score > 1,
        ...(kind ? { season: seasonLabel(seasonKey(current.at, kind), kind) } : {}),
        model: kind ? `seasonal(${kind})` : 'level+trend',
      };
    },
  };
}

export const seasonalDetector: AnomalyDetector = createSeasonalDetector();
