/**
 * The previous `anomaly detection for …` model behind the detector contract, so the benchmark
 * can measure it next to the seasonal detector: robust z (median, MAD) over the last 30 values,
 * flagged points included.
 */
import type { AnomalyDetector, AnomalyVerdict, DetectorOptions, MetricPoint } from './detector';
import { MAD_TO_SD, mad, median, standardDeviation } from './robustStats';

/** The values it judged by, and the fewest it would judge with (a spread of fewer means little). */
const WINDOW = 30;
const MIN_POINTS = 5;

export const madDetector: AnomalyDetector = {
  name: 'mad',
  assess(current: MetricPoint, history: readonly MetricPoint[], options: DetectorOptions): AnomalyVerdict | undefined {
    const window = history.slice(-Math.min(WINDOW, options.maxTrainingPoints ?? Infinity)).map((p) => p.value);
    if (window.length < Math.max(options.minHistory, MIN_POINTS)) return undefined;
    const m = median(window);
    // A flat history has no spread; fall back to the standard deviation, then to 1% of the level.
    const scale = MAD_TO_SD * mad(window, m) || standardDeviation(window) || Math.abs(m) * 0.01 || 1;
    const z = Math.abs(current.value - m) / scale;
    const halfWidth = options.sensitivity * scale;
    return { expected: m, lower: m - halfWidth, upper: m + halfWidth, score: z / options.sensitivity, anomalous: z > options.sensitivity, model: 'mad' };
  },
};
