import type { AlertEvent, AlertPriority, ChannelConfig } from '../alerts/types';
import type { OutboxEntry } from '../alerts/outboxEntry';
import { decideBreaker } from '../breaker/decideBreaker';
import type { Incident } from '../breaker/incident';
import type { Breaker, Transition } from '../breaker/types';
import type { IncrementalOutcome, IncrementalState } from '../scan/incremental/state';
import type { DatasetRun } from '../scan/runDataset';
import type { CheckResult } from '../scan/result';
import type { S3Reader } from '../sources/source';
import { enforcedOnly } from '../checks/mode';
import type { Outcome } from '../checks/outcome';

export type ScanTrigger = 'schedule' | 'api' | 'startup' | 'lineage';

/** Everything one finished scan writes, in one transaction: nothing half-applied on a crash. */
export interface ScanCommit {
  scanId: string;
  dataset: string;
  source: string;
  trigger: ScanTrigger;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  arrivedAt: string;
  results: CheckResult[];
  /** Files on S3: which reader ran (kept with the scan, for the scan and dataset APIs). */
  reader?: S3Reader;
  measurements: Record<string, number | null>;
  schema?: { name: string; type: string }[];
  breaker: Breaker;
  transition?: Transition;
  openedIncident?: Incident;
  resolvedIncident?: { id: string; resolvedAt: string };
  outbox: OutboxEntry[];
  /** Evaluations of this scan by outcome, added to the persistent counters. */
  evaluations: Partial<Record<Outcome, number>>;
  /** An incremental dataset's new watermark and partial aggregates. */
  incremental?: IncrementalState;
  /** How it was scanned (mode, reason, rows read), kept with the scan for the scan and dataset APIs. */
  incrementalOutcome?: IncrementalOutcome;
}

export interface CommitInput {
  run: DatasetRun;
  scanId: string;
  trigger: ScanTrigger;
  /** When the data arrived, if lineage knows (the producing run's eventTime). */
  arrivedAt?: Date;
  finishedAt: Date;
  current?: Breaker;
  openIncident?: Incident;
  onError: 'open' | 'ignore';
  channels: readonly ChannelConfig[];
  /** What an open breaker here blocks downstream in lineage: datasets and pipelines (`namespace/name`), nearest first. */
  impact: { datasets: readonly string[]; jobs: readonly string[] };
  links: (dataset: string) => AlertEvent['links'];
  newId: () => string;
}

function outboxFor(event: AlertEvent, channels: readonly ChannelConfig[], at: string, newId: () => string): OutboxEntry[] {
  const wants = (priority: AlertPriority, c: ChannelConfig) => priority === 'high' || c.minPriority === 'low';
  return channels.filter((c) => wants(event.priority, c)).map((c) => ({ id: newId(), channel: c.name, event, createdAt: at, dueAt: at, attempts: 0, status: 'pending' }));
}

/**
 * Turns a finished dataset scan into the rows to commit: results, the breaker decision, the
 * audit transition, the incident opened or resolved, and one outbox entry per channel per
 * alert. One message when a breaker opens and one when it closes, never one per scan. Pure.
 */
export function buildScanCommit(input: CommitInput): ScanCommit {
  const { run, finishedAt, current, newId } = input;
  const at = finishedAt.toISOString();
  const decision = decideBreaker(current, run, input.onError, finishedAt);
  const breaker = decision.next;
  const evaluations: Partial<Record<Outcome, number>> = {};
  // Observed checks stay out of the evaluation counters, as out of the pass ratios: not trusted yet.
  for (const c of enforcedOnly(run.checks)) evaluations[c.outcome] = (evaluations[c.outcome] ?? 0) + 1;
  const commit: ScanCommit = {
    scanId: input.scanId,
    dataset: run.dataset,
    source: run.source,
    trigger: input.trigger,
    startedAt: run.startedAt,
    finishedAt: at,
    durationMs: run.durationMs,
    arrivedAt: (input.arrivedAt ?? new Date(run.startedAt)).toISOString(),
    results: run.checks,
    ...(run.reader ? { reader: run.reader } : {}),
    measurements: run.measurements,
    ...(run.schema ? { schema: run.schema } : {}),
    breaker,
    outbox: [],
    evaluations,
    ...(run.incrementalState ? { incremental: run.incrementalState } : {}),
    ...(run.incremental ? { incrementalOutcome: run.incremental } : {}),
  };
  const blocked = { blocked: [...input.impact.datasets], blockedJobs: [...input.impact.jobs] };
  const base = { dataset: run.dataset, at, failingChecks: breaker.failingChecks, ...blocked, links: input.links(run.dataset) };

  if (decision.changed?.to === 'open') {
    const incident: Incident = {
      id: newId(),
      dataset: run.dataset,
      arrivedAt: commit.arrivedAt,
      detectedAt: at,
      cause: breaker.cause ?? 'check_failed',
      failingChecks: breaker.failingChecks,
      ...blocked,
    };
    breaker.incidentId = incident.id;
    commit.openedIncident = incident;
    const event: AlertEvent = { ...base, id: `${incident.id}:opened`, type: 'incident.opened', priority: 'high', incidentId: incident.id, cause: incident.cause };
    commit.outbox.push(...outboxFor(event, input.channels, at, newId));
  } else if (decision.changed?.to === 'closed' && input.openIncident) {
    const incident = input.openIncident;
    commit.resolvedIncident = { id: incident.id, resolvedAt: at };
    const event: AlertEvent = { ...base, id: `${incident.id}:resolved`, type: 'incident.resolved', priority: 'high', incidentId: incident.id, cause: incident.cause, openedAt: incident.detectedAt, blocked: incident.blocked, blockedJobs: incident.blockedJobs ?? [] };
    commit.outbox.push(...outboxFor(event, input.channels, at, newId));
  } else if (breaker.state === 'closed' && breaker.health === 'warn' && current?.health !== 'warn') {
    // A first warning: worth a low-priority note, not an incident.
    const event: AlertEvent = { ...base, id: `${input.scanId}:warning`, type: 'dataset.warning', priority: 'low', blocked: [], blockedJobs: [] };
    commit.outbox.push(...outboxFor(event, input.channels, at, newId));
  }
  if (decision.changed) {
    commit.transition = {
      dataset: run.dataset,
      from: decision.changed.from,
      to: decision.changed.to,
      at,
      scanId: input.scanId,
      ...(decision.changed.cause ? { cause: decision.changed.cause } : {}),
      ...((breaker.incidentId ?? input.openIncident?.id) ? { incidentId: breaker.incidentId ?? input.openIncident!.id } : {}),
    };
  }
  return commit;
}
