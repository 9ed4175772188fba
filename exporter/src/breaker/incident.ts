import type { FailingCheck } from '../alerts/types';
import type { BreakerCause } from './types';

/**
 * An incident spans a breaker's open period: opened when it opens, resolved when it closes.
 * Its times give MTTD (first alert delivered − bad data arrived).
 */
export interface Incident {
  id: string;
  dataset: string;
  /** When the bad data arrived: the producing run's eventTime when lineage knows it, else the scan start. */
  arrivedAt: string;
  /** When the failing scan finished. */
  detectedAt: string;
  /** When the first alert about it was delivered on any channel. */
  firstAlertAt?: string;
  resolvedAt?: string;
  cause: BreakerCause;
  failingChecks: FailingCheck[];
  /** Downstream datasets it blocked when it opened. */
  blocked: string[];
  /** Downstream pipelines (`namespace/name`) it blocked when it opened; absent in incidents stored before lineage. */
  blockedJobs?: string[];
}

/** Seconds from arrival to first delivered alert, or undefined until an alert went out. */
export function mttdSeconds(i: Pick<Incident, 'arrivedAt' | 'firstAlertAt'>): number | undefined {
  if (!i.firstAlertAt) return undefined;
  return Math.max(0, (Date.parse(i.firstAlertAt) - Date.parse(i.arrivedAt)) / 1000);
}

export interface MttdSummary {
  count: number;
  avgSeconds: number | null;
  p95Seconds: number | null;
}

/** Average and nearest-rank p95 of MTTD samples (seconds). */
export function summarizeMttd(samples: readonly number[]): MttdSummary {
  if (samples.length === 0) return { count: 0, avgSeconds: null, p95Seconds: null };
  const sorted = [...samples].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
  return { count: sorted.length, avgSeconds: sorted.reduce((a, b) => a + b, 0) / sorted.length, p95Seconds: p95 };
}

/** MTTD over the last 7 and 30 days, from incidents whose first alert went out in those windows. */
export function mttdWindows(incidents: readonly Incident[], now: Date): { d7: MttdSummary; d30: MttdSummary } {
  const samples = (days: number) =>
    incidents.filter((i) => i.firstAlertAt && Date.parse(i.firstAlertAt) >= now.getTime() - days * 86400_000).map((i) => mttdSeconds(i)!);
  return { d7: summarizeMttd(samples(7)), d30: summarizeMttd(samples(30)) };
}
