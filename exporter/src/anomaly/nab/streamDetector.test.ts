import type { AnomalyDetector, MetricPoint } from '../detector';
import { streamDetector, toUnitScore } from './streamDetector';

/** Scores each point by its value and records the history it was shown. */
function recordingDetector(seen: MetricPoint[][]): AnomalyDetector {
  return {
    name: 'recording',
    assess(current, history) {
      seen.push(history.map((p) => ({ ...p })));
      if (history.length < 2) return undefined;
      return { expected: 0, lower: -1, upper: 1, score: current.value, anomalous: current.value > 1, model: 'test' };
    },
  };
}

const options = { sensitivity: 3, minHistory: 2, seasonality: 'auto' as const };
const at = (i: number): number => i * 60_000;

describe('streaming a detector over a series', () => {
  it('shows each verdict only the earlier points, flagged ones marked, at most historyLimit of them', () => {
    const seen: MetricPoint[][] = [];
    const values = [0, 0, 5, 0, 0];
    const r = streamDetector(values.map((_, i) => at(i)), values, { detector: recordingDetector(seen), options, historyLimit: 3, repeatWindowMs: 0 });
    expect(seen.map((h) => h.length)).toEqual([0, 1, 2, 3, 3]);
    expect(seen[4]!.map((p) => p.value)).toEqual([0, 5, 0]);
    expect(seen[4]![1]!.anomalous).toBe(true);
    expect(r.assessed).toBe(3);
    expect(r.flagged).toBe(1);
    expect(r.flags).toEqual([false, false, true, false, false]);
    expect(r.anomalyScores).toEqual([0, 0, toUnitScore(5), 0, 0]);
  });

  it('reports a score only when it beats every score of the repeat window before it', () => {
    const values = [0, 0, 2, 3, 2, 0, 0, 0, 0, 2];
    const r = streamDetector(values.map((_, i) => at(i)), values, { detector: recordingDetector([]), options, historyLimit: 100, repeatWindowMs: at(4) });
    // 3 beats 2 (reported: a growing incident), the second 2 repeats, the last 2 is past the window.
    expect(r.anomalyScores.map((s) => s > 0)).toEqual([false, false, true, true, false, false, false, false, false, true]);
  });

  it('maps scores to [0, 1) monotonically', () => {
    expect(toUnitScore(0)).toBe(0);
    expect(toUnitScore(1)).toBe(0.5);
    expect(toUnitScore(3)).toBeGreaterThan(toUnitScore(2));
    expect(toUnitScore(Infinity)).toBe(1);
  });
});
