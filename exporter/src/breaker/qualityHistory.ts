import type { Incident } from './incident';

export interface Evaluation {
  check: string;
  outcome: string;
  at: string;
  /** An observed check's evaluation (`mode: observe`): in the episodes, not in the pass ratios. */
  observed?: boolean;
}

/** A stretch of time a check did not pass: a warning, a failure or an error, and when it cleared. */
export interface Episode {
  check: string;
  /** The worst outcome during the episode. */
  outcome: 'warn' | 'fail' | 'error';
  from: string;
  /** The first passing evaluation after it; absent while it lasts. */
  resolvedAt?: string;
  /** It began while the check was observed: it opened no breaker and paged no one. */
  observed?: true;
}

export interface QualityHistory {
  dataset: string;
  since: string;
  /** Share of enforced checks' evaluations that passed over the whole window (null without evaluations). */
  passRatio: number | null;
  /** Per UTC day: evaluations and the share that passed. */
  days: { date: string; evaluations: number; pass: number; warn: number; fail: number; error: number; passRatio: number | null }[];
  episodes: Episode[];
  incidents: { id: string; openedAt: string; resolvedAt?: string; cause: string; failingChecks: string[] }[];
  /** One line a person reads first: "last 7 days 97.5% pass; freshness warning 3 days ago (resolved)". */
  summary: string;
}

const RANK: Record<string, number> = { warn: 1, fail: 2, error: 3 };

function ago(from: string, now: Date): string {
  const days = Math.floor((now.getTime() - Date.parse(from)) / 86400_000);
  if (days <= 0) return 'today';
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/**
 * A dataset's quality history over a window (PRD 4.2: "last 7 days 100% pass; freshness warning
 * 3 days ago, resolved"): per-day pass ratios, the episodes when a check did not pass and when
 * each cleared, and the incidents with their resolution. Pure: evaluations oldest first.
 */
export function qualityHistory(dataset: string, evaluations: readonly Evaluation[], incidents: readonly Incident[], since: Date, now: Date): QualityHistory {
  const days = new Map<string, QualityHistory['days'][number]>();
  for (let t = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()); t <= now.getTime(); t += 86400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    days.set(date, { date, evaluations: 0, pass: 0, warn: 0, fail: 0, error: 0, passRatio: null });
  }
  const open = new Map<string, Episode>();
  const episodes: Episode[] = [];
  let pass = 0;
  let counted = 0;
  for (const e of evaluations) {
    // Episodes follow a check by name across its promotion from observe to enforce; ratios count enforced checks only.
    const day = e.observed ? undefined : days.get(e.at.slice(0, 10));
    if (day && (e.outcome === 'pass' || e.outcome === 'warn' || e.outcome === 'fail' || e.outcome === 'error')) {
      day.evaluations++;
      day[e.outcome]++;
    }
    if (!e.observed) counted++;
    if (e.outcome === 'pass') {
      if (!e.observed) pass++;
      const ep = open.get(e.check);
      if (ep) {
        ep.resolvedAt = e.at;
        open.delete(e.check);
      }
    } else if (RANK[e.outcome]) {
      const ep = open.get(e.check);
      if (!ep) {
        const started: Episode = { check: e.check, outcome: e.outcome as Episode['outcome'], from: e.at, ...(e.observed ? { observed: true as const } : {}) };
        open.set(e.check, started);
        episodes.push(started);
      } else if (RANK[e.outcome]! > RANK[ep.outcome]!) ep.outcome = e.outcome as Episode['outcome'];
    }
  }
  for (const d of days.values()) d.passRatio = d.evaluations ? d.pass / d.evaluations : null;
  const passRatio = counted ? pass / counted : null;
  const windowDays = Math.max(1, Math.round((now.getTime() - since.getTime()) / 86400_000));
  const parts = [passRatio === null ? `no evaluations in the last ${windowDays} days` : `last ${windowDays} days ${Number((passRatio * 100).toFixed(2))}% pass`];
  for (const ep of episodes.slice(-3)) parts.push(`${ep.check} ${ep.observed ? 'observed ' : ''}${ep.outcome === 'warn' ? 'warning' : ep.outcome === 'fail' ? 'failure' : 'error'} ${ago(ep.from, now)} (${ep.resolvedAt ? 'resolved' : 'ongoing'})`);
  return {
    dataset,
    since: since.toISOString(),
    passRatio,
    days: [...days.values()],
    episodes,
    incidents: incidents.map((i) => ({ id: i.id, openedAt: i.detectedAt, ...(i.resolvedAt ? { resolvedAt: i.resolvedAt } : {}), cause: i.cause, failingChecks: i.failingChecks.map((c) => c.name) })),
    summary: parts.join('; '),
  };
}
