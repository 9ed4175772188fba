/**
 * NAB's per-row weights (Lavin & Ahmad 2015, NAB's README): a detection inside an anomaly
 * window earns a scaled sigmoid of its position (earliest ≈ +1, right edge 0); a detection
 * outside costs the false-positive weight, less right after a window (a late detection is
 * half right). Rows of the probationary period (the first 15%, at most 750 rows) are not scored.
 */
import type { CostMatrix } from './profiles';

/** Where a row stands: `window` is the index of its anomaly window in the file, or -1. */
export interface SweepRow {
  /** The detector's anomaly score, in [0, 1]. */
  anomalyScore: number;
  /** What detecting this row is worth under the profile (negative outside windows). */
  weight: number;
  window: number;
  probationary: boolean;
}

/** 2·sigmoid(−5x) − 1: +0.987 at a window's left edge (x = −1), 0 at its right edge, → −1 after. */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition > 3) return -1;
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}

/** Rows at the start of a file no detector is judged on: 15% of it, at most 15% of 5,000. */
export function probationaryLength(rows: number, percent = 0.15): number {
  return Math.min(Math.floor(percent * rows), percent * 5000);
}

/** An anomaly window as first and last timestamp (epoch ms), both rows of the file. */
export type Window = readonly [number, number];

/**
 * Each row's weight under `cost`. Windows must be in time order and start and end on rows of
 * the file, as NAB's labels do; a window whose start is not a row is never entered (as in NAB).
 */
export function sweepRows(timestamps: readonly number[], anomalyScores: readonly number[], windows: readonly Window[], cost: CostMatrix): SweepRow[] {
  if (timestamps.length !== anomalyScores.length) throw new Error(`NAB sweep: ${timestamps.length} timestamps but ${anomalyScores.length} anomaly scores`);
  const maxTp = scaledSigmoid(-1);
  const probation = probationaryLength(timestamps.length);
  const rows: SweepRow[] = [];
  let next = 0;
  let current = -1;
  let currentRight = -1;
  let currentWidth = 0;
  let prevRight = -1;
  let prevWidth = 0;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i]!;
    if (current < 0 && next < windows.length && t === windows[next]![0]) {
      current = next++;
      currentRight = timestamps.indexOf(windows[current]![1]);
      if (currentRight < 0) throw new Error(`NAB sweep: window ${current} ends at ${new Date(windows[current]![1]).toISOString()}, which is no row of the file`);
      currentWidth = currentRight - i + 1;
    }
    let weight: number;
    if (current >= 0) {
      weight = (scaledSigmoid(-(currentRight - i + 1) / currentWidth) * cost.tpWeight) / maxTp;
    } else {
      // Right after a window the penalty grows from 0 to the full weight over one window width.
      const unweighted = prevRight < 0 ? -1 : scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1));
      weight = unweighted * cost.fpWeight;
    }
    rows.push({ anomalyScore: anomalyScores[i]!, weight, window: current, probationary: i < probation });
    if (current >= 0 && t === windows[current]![1]) {
      prevRight = i;
      prevWidth = currentWidth;
      current = -1;
    }
  }
  return rows;
}
