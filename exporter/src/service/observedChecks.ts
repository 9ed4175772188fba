import { isObserved } from '../checks/mode';
import type { Outcome } from '../checks/outcome';
import type { ObservedStats, ScanRecord } from '../state/stateStore';

/** One observed check in `GET /api/v1/checks/observed`. */
export interface ObservedCheckView {
  dataset: string;
  check: string;
  definition: string;
  /** `file:line:col` of the check line. */
  location: string;
  /** The first evaluation of the current observation (after the check's last enforced one). */
  observedSince: string | null;
  lastOutcome: Outcome;
  lastEvaluatedAt: string;
  /** Evaluations in the window (not_evaluated left out, as in the pass ratios), by outcome. */
  evaluations: number;
  pass: number;
  warn: number;
  fail: number;
  error: number;
  /** Share of the window's evaluations that would have failed or errored; null without evaluations. */
  wouldHaveFailedRatio: number | null;
  /** Evaluated in the window, and never failed nor errored: a candidate for `mode: enforce`. */
  quiet: boolean;
}

export interface ObservedChecksView {
  since: string;
  checks: ObservedCheckView[];
}

/**
 * The observed checks a team may promote: those whose latest result is observed (so a check
 * already promoted, or removed, drops out), with their counts from the store. Pure.
 */
export function observedChecksView(latest: Iterable<ScanRecord>, stats: readonly ObservedStats[], since: Date): ObservedChecksView {
  const byCheck = new Map(stats.map((s) => [`${s.dataset}\u0000${s.check}`, s]));
  const checks: ObservedCheckView[] = [];
  for (const scan of latest) {
    for (const r of scan.results.filter(isObserved)) {
      const s = byCheck.get(`${scan.dataset}\u0000${r.name}`);
      const counts = s?.counts ?? { pass: 0, warn: 0, fail: 0, error: 0 };
      const evaluations = counts.pass + counts.warn + counts.fail + counts.error;
      checks.push({
        dataset: scan.dataset,
        check: r.name,
        definition: r.definition,
        location: r.id,
        observedSince: s?.observedSince ?? null,
        lastOutcome: r.outcome,
        lastEvaluatedAt: scan.finishedAt,
        evaluations,
        ...counts,
        wouldHaveFailedRatio: evaluations ? (counts.fail + counts.error) / evaluations : null,
        quiet: evaluations > 0 && counts.fail + counts.error === 0,
      });
    }
  }
  checks.sort((a, b) => a.dataset.localeCompare(b.dataset) || a.check.localeCompare(b.check));
  return { since: since.toISOString(), checks };
}
