import type { FailingCheck } from '../alerts/types';
import type { Outcome } from '../checks/outcome';

export type BreakerState = 'closed' | 'open';

/**
 * Why a breaker is open: its own checks, its own scan erroring, a broken dataset upstream, a
 * critical dataset not scanned yet, or results the state store could not record.
 */
export type BreakerCause = 'check_failed' | 'scan_error' | 'not_scanned' | 'state_error' | `upstream:${string}`;

/** A dataset's own breaker, as decided by its scans. */
export interface Breaker {
  dataset: string;
  state: BreakerState;
  /** When the state last changed (ISO). */
  since: string;
  cause?: BreakerCause;
  /** Checks that did not pass in the latest scan, most severe first. */
  failingChecks: FailingCheck[];
  /** The open incident, while open. */
  incidentId?: string;
  /** Worst outcome of the latest scan, to alert on a first warning. */
  health: Outcome;
  lastScanAt?: string;
}

/** A manual decision that beats the scans until it expires or is cleared. */
export interface Override {
  id: string;
  dataset: string;
  state: BreakerState;
  reason: string;
  actor: string;
  createdAt: string;
  expiresAt: string;
}

/** A state change, written to the audit trail with the scan that caused it. */
export interface Transition {
  dataset: string;
  from: BreakerState;
  to: BreakerState;
  at: string;
  cause?: BreakerCause;
  scanId?: string;
  incidentId?: string;
}

/** What the gate answers: the effective state, and why. */
export interface BreakerView extends Pick<Breaker, 'dataset' | 'since' | 'cause' | 'failingChecks' | 'incidentId' | 'lastScanAt'> {
  /** The effective state: an override, else the own state, else open when blocked upstream. */
  state: BreakerState;
  /** The scans' own verdict, when an override or upstream block differs from it. */
  ownState: BreakerState;
  overridden?: { state: BreakerState; reason: string; actor: string; since: string; expiresAt: string };
  /** Upstream datasets whose open breakers block this one, root causes first, then nearest (shown even when its own breaker is open). */
  blockedBy?: string[];
  /** Datasets from the root cause (first) to this one (last), along lineage. */
  path?: string[];
  /** Pipelines (jobs, `namespace/name`) between the datasets of `path`. */
  via?: string[];
}

/** An open breaker upstream, as the gate names it. */
export interface UpstreamBlock {
  dataset: string;
  /** Dataset names from `dataset` to the blocked one. */
  path: string[];
  /** Job names (`namespace/name`) between them. */
  via: string[];
}
