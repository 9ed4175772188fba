import { NAB_PROFILES } from './profiles';
import { scoreCorpus } from './scoreCorpus';
import { sweepRows } from './sweep';
import { normalisedScore, optimiseThreshold, scoreAtThreshold } from './thresholdScore';

const STD = NAB_PROFILES.standard;
const t = Array.from({ length: 200 }, (_, i) => i * 60_000);
const windows = [[t[100]!, t[119]!], [t[150]!, t[169]!]] as const;

function scores(hits: Record<number, number>): number[] {
  return t.map((_, i) => hits[i] ?? 0);
}

describe('NAB score at a threshold', () => {
  it('counts a window once, by its earliest detection', () => {
    const rows = sweepRows(t, scores({ 100: 0.9, 105: 0.9, 118: 0.9 }), windows, STD);
    const s = scoreAtThreshold(rows, 0.5, STD);
    // Window 1 at its left edge (+1), window 2 missed (−1).
    expect(s.score).toBeCloseTo(0, 12);
    expect(s.tp).toBe(3);
  });

  it('adds every false positive and misses every window below the threshold', () => {
    const rows = sweepRows(t, scores({ 40: 0.9, 60: 0.9, 100: 0.3 }), windows, STD);
    expect(scoreAtThreshold(rows, 0.5, STD).score).toBeCloseTo(-2 - 0.22, 12);
    expect(scoreAtThreshold(rows, 0.5, STD).fp).toBe(2);
    expect(scoreAtThreshold(rows, 0.3, STD).score).toBeCloseTo(-1 - 0.22 + 1, 12);
  });

  it('ignores detections in the probationary period', () => {
    const rows = sweepRows(t, scores({ 5: 1 }), windows, STD);
    expect(scoreAtThreshold(rows, 0.5, STD).score).toBe(-2);
  });

  it('optimises one threshold: the one that keeps the early detections and drops the noise', () => {
    const rows = sweepRows(t, scores({ 40: 0.6, 60: 0.6, 101: 0.8, 152: 0.7, 180: 0.5 }), windows, STD);
    const best = optimiseThreshold([{ name: 'f', rows }], STD);
    expect(best.threshold).toBe(0.7);
    expect(best.score).toBeCloseTo(scoreAtThreshold(rows, 0.7, STD).score, 12);
  });

  it('normalises the null detector to 0 and the perfect one to 100', () => {
    const series = [{ name: 'f', timestamps: t, windows }];
    expect(scoreCorpus(series, new Map([['f', scores({})]])).standard.normalised).toBe(0);
    const perfect = scoreCorpus(series, new Map([['f', scores({ 100: 1, 150: 1 })]]));
    expect(perfect.standard.normalised).toBeCloseTo(100, 9);
    expect(perfect.reward_low_FN_rate.normalised).toBeCloseTo(100, 9);
    expect(normalisedScore(-1, -2, 2)).toBe(25);
  });
});
