import type { OutboxEntry } from '../alerts/outboxEntry';
import type { Incident } from '../breaker/incident';
import type { Evaluation } from '../breaker/qualityHistory';
import type { Breaker, Override } from '../breaker/types';
import type { MetricHistory } from '../scan/historyEvaluation';
import type { CheckResult } from '../scan/result';
import type { ScanCommit } from '../service/buildScanCommit';
import type { S3Reader } from '../sources/source';
import type { IncrementalOutcome, IncrementalStore } from '../scan/incremental/state';
import type { LineageRepository } from './lineageRepository';

/** A stored scan of one dataset with its results (the latest one feeds the gauges and the API). */

/** Monotonic counters that must survive restarts (Prometheus `_total`s). */
export interface Counters {
  /** `${dataset}\u0000${outcome}` → evaluations. */
  evaluations: Record<string, number>;
  /** `${channel}\u0000${result}` → deliveries. */
  deliveries: Record<string, number>;
}

/** Everything a restarted service needs to continue exactly where it stopped. */
export interface RestoredState {
  breakers: Breaker[];
  overrides: Override[];
  openIncidents: Incident[];
  latest: ScanRecord[];
  counters: Counters;
  /** Scan durations (seconds, to 10 ms) by dataset within retention, with how many scans took each, to rebuild the histogram. */
  scanDurations: { dataset: string; seconds: number; count: number }[];
  /** MTTD samples (seconds) of incidents whose first alert went out within retention. */
  mttdSamples: { seconds: number; at: string }[];
}

/** A delivery attempt's outcome for a group of outbox entries, written in one transaction. */
export interface DeliveryUpdate {
  channel: string;
  entryIds: string[];
  at: string;
  result: 'success' | 'retry' | 'failed';
  error?: string;
  /** For `retry`: when to try again. */
  nextDueAt?: string;
  /** Incidents whose first alert this delivery is (sets firstAlertAt if unset). */
  firstAlerts: string[];
}

export interface PassRatios {
  d1: number | null;
  d7: number | null;
  d30: number | null;
}

/** Check evaluations by outcome (`not_evaluated` left out, as in the pass ratios). */
export interface OutcomeCounts {
  pass: number;
  warn: number;
  fail: number;
  error: number;
}

/** What the executive report charts: evaluations per UTC day, and per check. */
export interface EvaluationStats {
  /** `YYYY-MM-DD` (UTC), oldest first. */
  days: ({ day: string } & OutcomeCounts)[];
  checks: ({ dataset: string; check: string } & OutcomeCounts)[];
}

/** One check's current observation (`mode: observe`), from its first observed evaluation after its last enforced one. */
export interface ObservedStats {
  dataset: string;
  /** The check's name: its history follows it, as the dataset history's does, across promotion. */
  check: string;
  observedSince: string;
  /** Evaluations within the window asked for, by outcome. */
  counts: OutcomeCounts;
}

export interface ScanRecord {
  scanId: string;
  dataset: string;
  trigger: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  results: CheckResult[];
  /** Files on S3: which reader ran and what it downloaded. */
  reader?: S3Reader;
  /** An incremental dataset: whether every row was read and why, rows read, the watermark. */
  incremental?: IncrementalOutcome;
}

/**
 * Durable state behind the service. The embedded implementation is a DuckDB file; a
 * PostgreSQL implementation lets several replicas share one state (docs/architecture.md).
 * Every write method is one transaction: after it resolves, the change survives `kill -9`.
 */
export interface StateStore extends MetricHistory, IncrementalStore {
  /** OpenLineage events and the records built from them, in the same file and transactions' reach. */
  readonly lineage: LineageRepository;
  open(): Promise<RestoredState>;
  commitScan(commit: ScanCommit): Promise<void>;
  saveOverride(o: Override): Promise<void>;
  /** Marks the dataset's active override cleared; returns it, if there was one. */
  clearOverride(dataset: string, actor: string, at: string): Promise<Override | undefined>;
  /** Pending entries, oldest first. */
  pendingOutbox(): Promise<OutboxEntry[]>;
  /** Marks entries as one delivery batch before its first attempt, so every retry sends the same batch. */
  formBatch(batchId: string, entryIds: readonly string[]): Promise<void>;
  recordDelivery(update: DeliveryUpdate): Promise<void>;
  passRatios(datasets: readonly string[], now: Date): Promise<Record<string, PassRatios>>;
  scan(scanId: string): Promise<ScanRecord | undefined>;
  incidents(opts: { openOnly?: boolean; since?: Date; limit?: number; dataset?: string }): Promise<Incident[]>;
  /** Every evaluation of a dataset's checks since `since`, oldest first (for its quality history); observed ones flagged. */
  evaluationsOf(dataset: string, since: Date): Promise<Evaluation[]>;
  /** Per observed check (dataset, name): its current observation, with outcome counts since `since`. */
  observedStats(since: Date): Promise<ObservedStats[]>;
  /** Check evaluations since `since`, grouped for the report (`datatrust report`, `GET /report`). */
  evaluationStats(since: Date): Promise<EvaluationStats>;
  /** Deletes history older than `before` (resolved incidents, delivered alerts, scans). */
  prune(before: Date): Promise<{ scans: number; incidents: number; outbox: number }>;
  close(): Promise<void>;
}
