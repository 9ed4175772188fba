/** NAB's scoreboard for one detector: per profile, the optimised threshold, per-file and normalised scores. */
import { NAB_PROFILES, PROFILE_NAMES, type CostMatrix, type ProfileName } from './profiles';
import { sweepRows, type Window } from './sweep';
import { normalisedScore, optimiseThreshold, scoreAtThreshold, type ScoredFile, type ThresholdScore } from './thresholdScore';

/** One labelled series: `name` is its path under NAB's `data/`, e.g. `realKnownCause/nyc_taxi.csv`. */
export interface LabelledSeries {
  name: string;
  timestamps: readonly number[];
  windows: readonly Window[];
}

export interface ProfileScore {
  threshold: number;
  /** Sum over files, NAB's `Totals` row. */
  raw: number;
  /** 0 = null detector, 100 = perfect. */
  normalised: number;
  files: Record<string, ThresholdScore>;
}

export type Scoreboard = Record<ProfileName, ProfileScore>;

/**
 * Scores a detector's anomaly scores (one array per series, in [0, 1]) under every profile.
 * `thresholds` fixes the threshold per profile (to check published results); otherwise it is
 * optimised over the whole corpus, as NAB does.
 */
export function scoreCorpus(series: readonly LabelledSeries[], anomalyScores: ReadonlyMap<string, readonly number[]>, thresholds?: Partial<Record<ProfileName, number>>): Scoreboard {
  const board: Partial<Scoreboard> = {};
  for (const profile of PROFILE_NAMES) board[profile] = scoreProfile(series, anomalyScores, NAB_PROFILES[profile], thresholds?.[profile]);
  return board as Scoreboard;
}

function scoreProfile(series: readonly LabelledSeries[], anomalyScores: ReadonlyMap<string, readonly number[]>, cost: CostMatrix, fixed: number | undefined): ProfileScore {
  const files: ScoredFile[] = series.map((s) => {
    const scores = anomalyScores.get(s.name);
    if (!scores) throw new Error(`NAB score: no anomaly scores for ${s.name}`);
    return { name: s.name, rows: sweepRows(s.timestamps, scores, s.windows, cost) };
  });
  const threshold = fixed ?? optimiseThreshold(files, cost).threshold;
  const perFile: Record<string, ThresholdScore> = {};
  let raw = 0;
  let nullScore = 0;
  let windows = 0;
  for (const f of files) {
    const s = scoreAtThreshold(f.rows, threshold, cost);
    perFile[f.name] = s;
    raw += s.score;
    // The null detector detects nothing: every scored window is missed.
    nullScore += scoreAtThreshold(f.rows, Infinity, cost).score;
  }
  for (const s of series) windows += s.windows.length;
  return { threshold, raw, normalised: normalisedScore(raw, nullScore, windows * cost.tpWeight), files: perFile };
}
