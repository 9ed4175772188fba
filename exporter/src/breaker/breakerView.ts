import type { Breaker, BreakerView, Override } from './types';

/** An override counts only until it expires. */
export function activeOverride(o: Override | undefined, now: Date): Override | undefined {
  return o && Date.parse(o.expiresAt) > now.getTime() ? o : undefined;
}

/**
 * What the gate reports: an active override beats everything; else an open own breaker; else
 * an open breaker upstream blocks this dataset too (cause `upstream:<dataset>`).
 */
export function breakerView(dataset: string, breaker: Breaker | undefined, override: Override | undefined, now: Date, blockedBy: readonly string[] = []): BreakerView {
  const own = breaker?.state ?? 'closed';
  const view: BreakerView = {
    dataset,
    state: own,
    ownState: own,
    since: breaker?.since ?? new Date(0).toISOString(),
    failingChecks: breaker?.failingChecks ?? [],
    ...(breaker?.cause ? { cause: breaker.cause } : {}),
    ...(breaker?.incidentId ? { incidentId: breaker.incidentId } : {}),
    ...(breaker?.lastScanAt ? { lastScanAt: breaker.lastScanAt } : {}),
  };
  if (own === 'closed' && blockedBy.length) {
    view.state = 'open';
    view.cause = `upstream:${blockedBy[0]}`;
    view.blockedBy = [...blockedBy];
  }
  const o = activeOverride(override, now);
  if (o) {
    view.state = o.state;
    view.overridden = { state: o.state, reason: o.reason, actor: o.actor, since: o.createdAt, expiresAt: o.expiresAt };
  }
  return view;
}
