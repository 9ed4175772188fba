import type { IncomingEvent } from '../openlineage/readEvents';
import type { EventKind, RunEvent } from '../openlineage/types';
import type { EventQuery, LineageRepository, StoredEvent } from '../state/lineageRepository';
import { type JobChange, jobChanges, type SchemaChange, schemaChanges } from './changes';
import { applyEvent, eventKeyOf } from './applyEvent';
import type { LineageGraph } from './lineageGraph';
import { LineageModel } from './lineageModel';
import { type JobRecord, nodeKey, splitKey } from './model';

export type IngestResult = 'accepted' | 'duplicate';

/** What a committed batch with new events changed, for the service (triggers, gates, forwarding). */
export interface LineageCommitted {
  /** Datasets written by COMPLETE run events, with the newest such event's time (ms). */
  completedOutputs: Map<string, number>;
  graphChanged: boolean;
}

export const EVENT_TYPE_LABEL: Record<EventKind, string> = { run: 'RunEvent', dataset: 'DatasetEvent', job: 'JobEvent' };

interface Pending {
  items: IncomingEvent[];
  resolve: (r: IngestResult[]) => void;
  reject: (e: Error) => void;
}

/** Events committed at most per transaction: larger backlogs go in several. */
const MAX_BATCH = 2000;

/**
 * OpenLineage events in, a Marquez-style model and the lineage graph out. Requests that arrive
 * while a transaction is being written wait and go into the next one together (group commit),
 * so one-event-per-request producers still get batched writes. A request is answered only once
 * its events are committed; only then do readers (graph, API, gates) see them.
 */
export class LineageStore {
  readonly model = new LineageModel();
  private readonly queue: Pending[] = [];
  private writing = false;
  private readonly counters = new Map<string, number>();

  constructor(
    private readonly repo: LineageRepository,
    private readonly graph: LineageGraph,
    private readonly opts: {
      now?: () => number;
      onCommitted?: (c: LineageCommitted) => void;
      /** Jobs kept in the store but not in the graph (our own scans: they read without building anything). */
      observer?: (job: { namespace: string; name: string }) => boolean;
      /** Queue every new event for Marquez in the transaction that stores it. */
      forward?: boolean;
    } = {},
  ) {}

  async open(): Promise<void> {
    const s = await this.repo.load();
    for (const n of s.namespaces) this.model.namespaces.set(n.name, n);
    for (const d of s.datasets) {
      this.model.datasets.set(d.key, d);
      this.graph.addDataset(d.key);
    }
    for (const j of s.jobs) {
      this.model.jobs.set(j.key, j);
      if (j.current && !this.opts.observer?.(j)) this.graph.setJob(j.key, j.current);
    }
    this.model.cacheRuns(s.runs);
    for (const [k, v] of Object.entries(s.counters)) this.counters.set(k, v);
  }

  /** Jobs that are part of the graph (every reported job but our own scans). */
  *graphJobs(): IterableIterator<JobRecord> {
    for (const j of this.model.jobs.values()) if (!this.opts.observer?.(j)) yield j;
  }

  /** Reads that go to the state file: history is not all kept in memory. */
  runs(runIds: readonly string[]) {
    return this.repo.runs(runIds);
  }

  jobRuns(jobKey: string, limit: number, offset: number) {
    return this.repo.jobRuns(jobKey, limit, offset);
  }

  datasetVersions(datasetKey: string, limit: number, offset: number) {
    return this.repo.datasetVersions(datasetKey, limit, offset);
  }

  events(q: EventQuery) {
    return this.repo.events(q);
  }

  async schemaChanges(datasetKey: string): Promise<SchemaChange[]> {
    return schemaChanges(await this.repo.schemas(datasetKey));
  }

  async jobChanges(jobKey: string): Promise<JobChange[]> {
    return jobChanges(await this.repo.jobVersions(jobKey));
  }

  prune(before: Date) {
    return this.repo.prune(before);
  }

  /** `${type}\u0000${result}` → events since the state file was created. */
  eventCounts(): ReadonlyMap<string, number> {
    return this.counters;
  }

  /** Stores events; resolves per event once committed. Rejects (storing nothing) when the state store fails. */
  ingest(items: IncomingEvent[]): Promise<IngestResult[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      void this.drain();
    });
  }

  /** Counts events refused before they reached the store (invalid, unauthenticated bodies are not counted). */
  async countRejected(byType: Record<string, number>): Promise<void> {
    const counters = Object.fromEntries(Object.entries(byType).map(([type, n]) => [`${type}\u0000rejected`, n]));
    await this.repo.count(counters);
    this.add(counters);
  }

  private add(counters: Record<string, number>): void {
    for (const [k, n] of Object.entries(counters)) this.counters.set(k, (this.counters.get(k) ?? 0) + n);
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length) {
        const batch: Pending[] = [];
        let size = 0;
        while (this.queue.length && (size === 0 || size + this.queue[0]!.items.length <= MAX_BATCH)) {
          const p = this.queue.shift()!;
          batch.push(p);
          size += p.items.length;
        }
        try {
          const results = await this.commit(batch.flatMap((p) => p.items));
          let i = 0;
          for (const p of batch) p.resolve(results.slice(i, (i += p.items.length)));
        } catch (e) {
          for (const p of batch) p.reject(e as Error);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async commit(items: IncomingEvent[]): Promise<IngestResult[]> {
    const runIds = items.flatMap((i) => (i.kind === 'run' ? [(i.event as RunEvent).run.runId] : []));
    const missing = this.model.missingRuns(runIds);
    if (missing.length) this.model.cacheRuns(await this.repo.runs(missing));

    const { workspace, changes } = this.model.draft();
    const receivedAt = (this.opts.now ?? Date.now)();
    const stored: StoredEvent[] = [];
    const counters: Record<string, number> = {};
    const completedOutputs = new Map<string, number>();
    const graphChanged = new Set<string>();
    const results = items.map((item): IngestResult => {
      const applied = applyEvent(workspace, item.event, item.kind, item.time);
      const counter = `${EVENT_TYPE_LABEL[item.kind]}\u0000${applied.result}`;
      counters[counter] = (counters[counter] ?? 0) + 1;
      if (applied.result === 'duplicate') return 'duplicate';
      for (const j of applied.graphChanged) if (!this.opts.observer?.(splitKey(j))) graphChanged.add(j);
      for (const d of applied.completedOutputs) completedOutputs.set(d, Math.max(completedOutputs.get(d) ?? 0, item.time.ms));
      const e = item.event as Partial<RunEvent> & { dataset?: { namespace: string; name: string } };
      stored.push({
        eventKey: eventKeyOf(item.event, item.kind, item.time),
        kind: item.kind,
        ...(e.eventType ? { eventType: e.eventType } : {}),
        eventTime: item.time.raw,
        eventTimeKey: item.time.key,
        eventTimeMs: item.time.ms,
        receivedAt,
        ...(e.run ? { runId: e.run.runId } : {}),
        ...(e.job ? { jobKey: nodeKey(e.job.namespace, e.job.name) } : {}),
        ...(e.dataset ? { datasetKey: nodeKey(e.dataset.namespace, e.dataset.name) } : {}),
        payload: item.raw,
      });
      return 'accepted';
    });

    await this.repo.commit(changes, stored, counters, { forward: this.opts.forward ?? false });
    this.model.publish(changes);
    this.add(counters);
    for (const key of changes.datasets.keys()) this.graph.addDataset(key);
    for (const job of graphChanged) this.graph.setJob(job, this.model.jobs.get(job)!.current);
    if (stored.length) this.opts.onCommitted?.({ completedOutputs, graphChanged: graphChanged.size > 0 });
    return results;
  }
}
