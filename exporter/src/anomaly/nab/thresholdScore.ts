/**
 * NAB's score at a threshold, and the threshold that maximises it. A window counts once, by its
 * best (earliest) detection, or −fnWeight when nothing in it was detected; every detection
 * outside windows adds its (negative) weight.
 */
import type { CostMatrix } from './profiles';
import type { SweepRow } from './sweep';

/** One file's rows, weighted for one profile. Windows are told apart by file. */
export interface ScoredFile {
  name: string;
  rows: readonly SweepRow[];
}

export interface ThresholdScore {
  threshold: number;
  score: number;
  /** Scored rows (probation excluded) detected inside / outside windows, and not. */
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** The score when the rows with anomaly score ≥ threshold are detections. */
export function scoreAtThreshold(rows: readonly SweepRow[], threshold: number, cost: CostMatrix): ThresholdScore {
  const best = new Map<number, number>();
  let fpScore = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const r of rows) {
    if (r.probationary) continue;
    if (r.window >= 0 && !best.has(r.window)) best.set(r.window, -cost.fnWeight);
    const detected = r.anomalyScore >= threshold;
    if (r.window >= 0) {
      if (detected) {
        tp++;
        if (r.weight > best.get(r.window)!) best.set(r.window, r.weight);
      } else fn++;
    } else if (detected) {
      fp++;
      fpScore += r.weight;
    } else tn++;
  }
  let score = fpScore;
  for (const s of best.values()) score += s;
  return { threshold, score, tp, fp, fn, tn };
}

/**
 * Every distinct anomaly score as a threshold over all files at once (NAB optimises one
 * threshold per detector and profile for the whole corpus), best score first found from the
 * top; ties keep the higher threshold, as NAB's stable sort does.
 */
export function optimiseThreshold(files: readonly ScoredFile[], cost: CostMatrix): { threshold: number; score: number } {
  const scores: number[] = [];
  const weights: number[] = [];
  const windowIds: number[] = [];
  const windowBest: number[] = [];
  for (const f of files) {
    const base = windowBest.length;
    let windows = 0;
    for (const r of f.rows) {
      if (r.probationary) continue;
      if (r.window >= 0) windows = Math.max(windows, r.window + 1);
      scores.push(r.anomalyScore);
      weights.push(r.weight);
      windowIds.push(r.window >= 0 ? base + r.window : -1);
    }
    // Windows wholly inside the probationary period are never scored, like NAB's.
    for (let w = 0; w < windows; w++) windowBest.push(Number.NaN);
  }
  for (let i = 0; i < windowIds.length; i++) if (windowIds[i]! >= 0) windowBest[windowIds[i]!] = -cost.fnWeight;
  let total = 0;
  for (const b of windowBest) if (!Number.isNaN(b)) total += b;

  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
  let best = { threshold: 1.1, score: total };
  let i = 0;
  while (i < order.length) {
    const threshold = scores[order[i]!]!;
    for (; i < order.length && scores[order[i]!] === threshold; i++) {
      const k = order[i]!;
      const w = windowIds[k]!;
      if (w < 0) total += weights[k]!;
      else if (weights[k]! > windowBest[w]!) {
        total += weights[k]! - windowBest[w]!;
        windowBest[w] = weights[k]!;
      }
    }
    if (total > best.score) best = { threshold, score: total };
  }
  return best;
}

/** 0 for the null detector (detects nothing), 100 for the perfect one (every window at its start). */
export function normalisedScore(raw: number, nullScore: number, perfectScore: number): number {
  return (100 * (raw - nullScore)) / (perfectScore - nullScore);
}
