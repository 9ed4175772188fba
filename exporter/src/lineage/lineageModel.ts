import type { LineageWorkspace } from './applyEvent';
import type { DatasetRecord, DatasetVersionRecord, JobRecord, JobVersionRecord, RunRecord } from './model';

export interface NamespaceRecord {
  name: string;
  createdAt: number;
  updatedAt: number;
}

/** Everything a batch of events changed: written in one transaction, then published. */
export interface LineageChanges {
  namespaces: Map<string, NamespaceRecord>;
  datasets: Map<string, DatasetRecord>;
  jobs: Map<string, JobRecord>;
  runs: Map<string, RunRecord>;
  datasetVersions: Map<string, DatasetVersionRecord>;
  jobVersions: Map<string, JobVersionRecord>;
  /** Which version each finished run or job event offered, keyed `jobKey versionId time`. */
  jobVersionUses: Map<string, JobVersionUse>;
}

export interface JobVersionUse {
  jobKey: string;
  versionId: string;
  key: string;
  runId?: string;
}

/** How many finished runs stay in memory; older ones are read back from the state file when an event refers to them. */
const RUN_CACHE = 20_000;

/**
 * The lineage records held in memory: all namespaces, datasets and jobs (the graph needs them),
 * and the most recent runs. Changes are staged in a draft and published only after the state
 * store committed them, so readers never see what a crash could lose.
 */
export class LineageModel {
  readonly namespaces = new Map<string, NamespaceRecord>();
  readonly datasets = new Map<string, DatasetRecord>();
  readonly jobs = new Map<string, JobRecord>();
  private readonly runs = new Map<string, RunRecord>();

  run(runId: string): RunRecord | undefined {
    return this.runs.get(runId);
  }

  /** Run ids an event batch refers to that are not in memory. */
  missingRuns(runIds: Iterable<string>): string[] {
    return [...new Set(runIds)].filter((id) => !this.runs.has(id));
  }

  cacheRuns(runs: Iterable<RunRecord>): void {
    for (const r of runs) this.runs.set(r.runId, r);
    // Map iteration is insertion order: the first keys are the least recently stored.
    for (const id of this.runs.keys()) {
      if (this.runs.size <= RUN_CACHE) break;
      const r = this.runs.get(id)!;
      if (r.state === 'RUNNING' || r.state === 'NEW') continue;
      this.runs.delete(id);
    }
  }

  /** A workspace over this model whose writes land in `changes` until `publish`. */
  draft(): { workspace: LineageWorkspace; changes: LineageChanges } {
    const changes: LineageChanges = { namespaces: new Map(), datasets: new Map(), jobs: new Map(), runs: new Map(), datasetVersions: new Map(), jobVersions: new Map(), jobVersionUses: new Map() };
    const workspace: LineageWorkspace = {
      dataset: (k) => changes.datasets.get(k) ?? this.datasets.get(k),
      job: (k) => changes.jobs.get(k) ?? this.jobs.get(k),
      run: (id) => changes.runs.get(id) ?? this.runs.get(id),
      putDataset: (d) => void changes.datasets.set(d.key, d),
      putJob: (j) => void changes.jobs.set(j.key, j),
      putRun: (r) => void changes.runs.set(r.runId, r),
      putDatasetVersion: (v) => void changes.datasetVersions.set(v.id, v),
      putJobVersion: (v, use) => {
        changes.jobVersions.set(v.id, v);
        changes.jobVersionUses.set(`${v.jobKey}\u0000${v.id}\u0000${use.key}`, { jobKey: v.jobKey, versionId: v.id, ...use });
      },
      touchNamespace: (name, at) => {
        const prev = changes.namespaces.get(name) ?? this.namespaces.get(name);
        if (prev && prev.createdAt <= at && prev.updatedAt >= at) return;
        changes.namespaces.set(name, prev ? { name, createdAt: Math.min(prev.createdAt, at), updatedAt: Math.max(prev.updatedAt, at) } : { name, createdAt: at, updatedAt: at });
      },
    };
    return { workspace, changes };
  }

  /** Makes committed changes visible. */
  publish(changes: LineageChanges): void {
    for (const [k, v] of changes.namespaces) this.namespaces.set(k, v);
    for (const [k, v] of changes.datasets) this.datasets.set(k, v);
    for (const [k, v] of changes.jobs) this.jobs.set(k, v);
    // Re-inserting moves a run to the end of the cache order.
    for (const [k, v] of changes.runs) {
      this.runs.delete(k);
      this.runs.set(k, v);
    }
    this.cacheRuns([]);
  }
}
