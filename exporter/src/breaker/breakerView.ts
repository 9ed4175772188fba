import type { Breaker, BreakerView, Override, UpstreamBlock } from './types';

/** An override counts only until it expires. */
export function activeOverride(o: Override | undefined, now: Date): Override | undefined {
  return o && Date.parse(o.expiresAt) > now.getTime() ? o : undefined;
}

/**
 * A dataset's own verdict before any scan: critical datasets (`on_error: open`) with checks fail
 * closed, as they would on a scan error; others are presumed fine until a check says otherwise.
 */
export interface NotScannedPolicy {
  failClosed: boolean;
  /** When the service started waiting for the first scan (ISO). */
  since: string;
}

/**
 * What the gate reports: an active override beats everything; else an open own breaker; else
 * an open breaker upstream blocks this dataset too (cause `upstream:<root cause>`, with the
 * chain of datasets from it to this one).
 */
export function breakerView(
  dataset: string,
  breaker: Breaker | undefined,
  override: Override | undefined,
  now: Date,
  blocks: readonly UpstreamBlock[] = [],
  notScanned: NotScannedPolicy = { failClosed: false, since: new Date(0).toISOString() },
): BreakerView {
  const waiting = !breaker && notScanned.failClosed;
  const own = breaker?.state ?? (waiting ? 'open' : 'closed');
  const cause = breaker?.cause ?? (waiting ? 'not_scanned' : undefined);
  const view: BreakerView = {
    dataset,
    state: own,
    ownState: own,
    since: breaker?.since ?? notScanned.since,
    failingChecks: breaker?.failingChecks ?? [],
    ...(cause ? { cause } : {}),
    ...(breaker?.incidentId ? { incidentId: breaker.incidentId } : {}),
    ...(breaker?.lastScanAt ? { lastScanAt: breaker.lastScanAt } : {}),
  };
  if (blocks.length) {
    // Open breakers upstream are shown whatever the dataset's own state: its own failure may be
    // a consequence of theirs. They decide the cause only when its own checks pass.
    view.blockedBy = blocks.map((b) => b.dataset);
    view.path = [...blocks[0]!.path];
    if (blocks[0]!.via.length) view.via = [...blocks[0]!.via];
    if (own === 'closed') {
      view.state = 'open';
      view.cause = `upstream:${blocks[0]!.dataset}`;
    }
  }
  const o = activeOverride(override, now);
  if (o) {
    view.state = o.state;
    view.overridden = { state: o.state, reason: o.reason, actor: o.actor, since: o.createdAt, expiresAt: o.expiresAt };
  }
  return view;
}
