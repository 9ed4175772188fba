/**
 * Today's `anomaly detection for …` model behind the detector contract, so the benchmark can
 * measure it next to the seasonal detector: robust z (median, MAD) over the last 30 values,
 * flagged points included, exactly as the scan computes it.
 */
import { ANOMALY_WINDOW, anomalyScore } from '../scan/historyEvaluation';
import type { AnomalyDetector, AnomalyVerdict, DetectorOptions, MetricPoint } from './detector';
import { MAD_TO_SD, mad, median, standardDeviation } from './robustStats';

export const madDetector: AnomalyDetector = {
  name: 'mad',
  assess(current: MetricPoint, history: readonly MetricPoint[], options: DetectorOptions): AnomalyVerdict | undefined {
    const window = history.slice(-Math.min(ANOMALY_WINDOW, options.maxTrainingPoints ?? Infinity)).map((p) => p.value);
    if (window.length < options.minHistory) return undefined;
    const z = anomalyScore(current.value, window.reverse());
    if (z === undefined) return undefined;
    const m = median(window);
    // The same scale anomalyScore divides by, to state the band.
    const scale = MAD_TO_SD * mad(window, m) || standardDeviation(window) || Math.abs(m) * 0.01 || 1;
    const halfWidth = options.sensitivity * scale;
    return { expected: m, lower: m - halfWidth, upper: m + halfWidth, score: z / options.sensitivity, anomalous: z > options.sensitivity, model: 'mad' };
  },
};
