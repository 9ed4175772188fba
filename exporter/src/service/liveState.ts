import { type Incident, mttdSeconds } from '../breaker/incident';
import type { Breaker, Override } from '../breaker/types';
import type { DeliveryUpdate, PassRatios, ScanRecord } from '../state/stateStore';

/**
 * What the HTTP API and /metrics read. Never mutated: every committed change builds a new
 * snapshot and swaps the reference, so a reader (one scrape, one gate answer) always sees one
 * consistent state, never half of a scan.
 */
export interface LiveSnapshot {
  /** Every dataset the service knows: declared in datatrust.yml or named by checks. */
  readonly datasets: readonly string[];
  /** Configured checks per dataset; 0 is a coverage gap. */
  readonly checkCounts: ReadonlyMap<string, number>;
  readonly breakers: ReadonlyMap<string, Breaker>;
  readonly overrides: ReadonlyMap<string, Override>;
  readonly latest: ReadonlyMap<string, ScanRecord>;
  /** `${dataset}\0${outcome}` → evaluations since the state file was created. */
  readonly evaluations: Readonly<Record<string, number>>;
  /** `${channel}\0${result}` → deliveries since the state file was created. */
  readonly deliveries: Readonly<Record<string, number>>;
  readonly passRatios: ReadonlyMap<string, PassRatios>;
  /** Open incident per dataset. */
  readonly openIncidents: ReadonlyMap<string, Incident>;
  /** Epoch ms of the newest row per dataset, from its freshness checks. */
  readonly newestDataAt: ReadonlyMap<string, number>;
  readonly scansRunning: number;
  readonly outboxPending: ReadonlyMap<string, number>;
}

/** The snapshot of a service that has not started: no datasets, nothing measured. */
export function emptySnapshot(): LiveSnapshot {
  return {
    datasets: [],
    checkCounts: new Map(),
    breakers: new Map(),
    overrides: new Map(),
    latest: new Map(),
    evaluations: {},
    deliveries: {},
    passRatios: new Map(),
    openIncidents: new Map(),
    newestDataAt: new Map(),
    scansRunning: 0,
    outboxPending: new Map(),
  };
}

/** Holds the current snapshot; `update` derives and swaps a new one. */
export class LiveState {
  constructor(private snapshot: LiveSnapshot) {}

  get current(): LiveSnapshot {
    return this.snapshot;
  }

  update(change: (s: LiveSnapshot) => Partial<LiveSnapshot>): LiveSnapshot {
    this.snapshot = { ...this.snapshot, ...change(this.snapshot) };
    return this.snapshot;
  }
}

/** A copy of a map with one key set (or deleted when value is undefined). */
export function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V | undefined): Map<K, V> {
  const next = new Map(map);
  if (value === undefined) next.delete(key);
  else next.set(key, value);
  return next;
}

/** The newest data time implied by a scan's freshness checks (value = scan time − MAX(col)). */
export function newestDataAt(latest: ScanRecord): number | undefined {
  const ages = latest.results.filter((r) => r.metricKey?.startsWith('freshness(') && r.value !== null).map((r) => r.value!);
  if (ages.length === 0) return undefined;
  // Several freshness checks: report the stalest, the one a consumer should worry about.
  return Date.parse(latest.startedAt) - Math.max(...ages) * 1000;
}

/**
 * A recorded delivery: its counter, and the incidents whose first alert it was (their MTTD is
 * now known, returned so the caller can observe it).
 */
export function withDelivery(s: LiveSnapshot, u: DeliveryUpdate): { patch: Partial<LiveSnapshot>; mttdSeconds: number[] } {
  const key = `${u.channel}\u0000${u.result}`;
  let openIncidents = s.openIncidents;
  const detected: number[] = [];
  for (const id of u.firstAlerts) {
    const incident = [...openIncidents.values()].find((i) => i.id === id);
    if (!incident || incident.firstAlertAt) continue;
    const updated = { ...incident, firstAlertAt: u.at };
    openIncidents = withEntry(openIncidents, incident.dataset, updated);
    const seconds = mttdSeconds(updated);
    if (seconds !== undefined) detected.push(seconds);
  }
  return { patch: { deliveries: { ...s.deliveries, [key]: (s.deliveries[key] ?? 0) + 1 }, openIncidents }, mttdSeconds: detected };
}
