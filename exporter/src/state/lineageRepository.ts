import type { LineageChanges, NamespaceRecord } from '../lineage/lineageModel';
import type { DatasetRecord, DatasetVersionRecord, JobRecord, JobVersionRecord, RunRecord, SchemaField } from '../lineage/model';

/** A raw event as received, kept for audit and replay. */
export interface StoredEvent {
  eventKey: string;
  kind: 'run' | 'job' | 'dataset';
  eventType?: string;
  /** As sent, and as a sortable UTC key with nanoseconds. */
  eventTime: string;
  eventTimeKey: string;
  eventTimeMs: number;
  receivedAt: number;
  runId?: string;
  jobKey?: string;
  datasetKey?: string;
  payload: string;
}

/** What the lineage store needs back after a restart: the graph and what the gate and API read. */
export interface LineageSnapshot {
  namespaces: NamespaceRecord[];
  datasets: DatasetRecord[];
  jobs: JobRecord[];
  /** Runs still going, and each job's latest run. */
  runs: RunRecord[];
  /** `${type}\u0000${result}` → events, for `datatrust_lineage_events_total`. */
  counters: Record<string, number>;
}

/** An event waiting to be forwarded to Marquez. */
export interface ForwardEntry {
  seq: number;
  payload: string;
  attempts: number;
  dueAt: number;
}

export interface EventQuery {
  after?: number;
  before?: number;
  sort: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/**
 * The lineage tables of the state file, beside the breakers. A batch of events is one
 * transaction: raw events, every record they changed and the event counters, all or nothing.
 */
export interface LineageRepository {
  load(): Promise<LineageSnapshot>;
  /** With `forward`, the new events also join the Marquez forwarding queue, in the same transaction. */
  commit(changes: LineageChanges, events: StoredEvent[], counters: Record<string, number>, opts?: { forward?: boolean }): Promise<void>;
  /** The oldest events not yet forwarded, in commit order. */
  pendingForward(limit: number): Promise<ForwardEntry[]>;
  forwarded(seqs: readonly number[], at: number): Promise<void>;
  /** A failed attempt: retried at `retryAt`, or given up when undefined (Marquez refused the event). */
  forwardFailed(seq: number, error: string, retryAt: number | undefined): Promise<void>;
  forwardBacklog(): Promise<number>;
  /** Adds to the event counters alone (a request whose events were all rejected). */
  count(counters: Record<string, number>): Promise<void>;
  runs(runIds: readonly string[]): Promise<RunRecord[]>;
  jobRuns(jobKey: string, limit: number, offset: number): Promise<{ runs: RunRecord[]; totalCount: number }>;
  jobVersions(jobKey: string): Promise<{ version: JobVersionRecord; since: string; runId?: string }[]>;
  datasetVersions(datasetKey: string, limit: number, offset: number): Promise<{ versions: DatasetVersionRecord[]; totalCount: number }>;
  /** Every schema a dataset's versions carried, with its event time key. */
  schemas(datasetKey: string): Promise<{ key: string; fields: SchemaField[] }[]>;
  events(q: EventQuery): Promise<{ events: string[]; totalCount: number }>;
  /** Drops raw events, finished runs and old versions before `before`, never what the graph stands on. */
  prune(before: Date): Promise<{ events: number; runs: number; versions: number }>;
}
