import { activeOverride, breakerView } from '../breaker/breakerView';
import { type Block, type BlockIndex, computeBlocks } from '../breaker/blockIndex';
import type { FailingCheck } from '../alerts/types';
import type { BreakerState, BreakerView, UpstreamBlock } from '../breaker/types';
import type { Config } from '../config/types';
import type { DatasetNames } from '../lineage/datasetNames';
import type { JobEdges, LineageGraph } from '../lineage/lineageGraph';
import { nodeKey, splitKey } from '../lineage/model';
import type { LiveSnapshot } from './liveState';

/** What `GET /api/v1/gates/jobs/{namespace}/{job}` answers: may this pipeline run? */
export interface JobGateView {
  namespace: string;
  job: string;
  state: BreakerState;
  /** `upstream:<dataset>` naming the root cause, while open. */
  cause?: string;
  /** The open breakers upstream, root causes first, each with its way to the job's input. */
  blockedBy: UpstreamBlock[];
  /** The job's current inputs and their gates. */
  inputs: { dataset: string; namespace: string; name: string; state: BreakerState }[];
}

/** Where an open breaker's trouble comes from, for `GET /api/v1/breakers/{dataset}/root-cause`. */
export interface RootCauseView {
  dataset: string;
  state: BreakerState;
  /** Open breakers upstream, root causes first, then nearest; the dataset itself when its own breaker is open. */
  causes: (UpstreamBlock & { cause?: string; failingChecks: FailingCheck[]; rootCause: boolean })[];
}

export interface GateDeps {
  config: Config;
  graph: LineageGraph;
  names: () => DatasetNames;
  snapshot: () => LiveSnapshot;
  now: () => Date;
  /** Moves when an effective state may change without a new snapshot (an override expiring). */
  epoch: () => number;
  startedAt: () => string;
}

/** `namespace/name` of a job key, as gates, alerts and metrics show jobs. */
export const jobName = (key: string): string => {
  const { namespace, name } = splitKey(key);
  return `${namespace}/${name}`;
};

/**
 * The gates' answers: each dataset's own verdict (override, scans, or the not-scanned policy)
 * and what lineage adds to it, everything an open breaker upstream blocks. The block index is
 * derived from the graph, the breakers and the overrides, and rebuilt only when one of them
 * changes, so a gate answer is a few map lookups.
 */
export class Gates {
  private cache: { graph: number; breakers: unknown; overrides: unknown; epoch: number; index: BlockIndex } | undefined;

  constructor(private readonly deps: GateDeps) {}

  /** How a dataset with no scan yet is judged: critical datasets with checks fail closed. */
  notScanned(dataset: string): { failClosed: boolean; since: string } {
    const critical = this.deps.config.datasets[dataset]?.onError === 'open';
    return { failClosed: critical && (this.deps.snapshot().checkCounts.get(dataset) ?? 0) > 0, since: this.deps.startedAt() };
  }

  /** The dataset's own effective state: an override, else its scans' verdict (or the not-scanned policy). */
  ownOpen(dataset: string): boolean {
    const s = this.deps.snapshot();
    const o = activeOverride(s.overrides.get(dataset), this.deps.now());
    if (o) return o.state === 'open';
    const b = s.breakers.get(dataset);
    return b ? b.state === 'open' : this.notScanned(dataset).failClosed;
  }

  /** Open breakers and what they block; cached until the graph, a breaker or an override changes. */
  index(): BlockIndex {
    const s = this.deps.snapshot();
    const c = this.cache;
    if (c && c.graph === this.deps.graph.epoch && c.breakers === s.breakers && c.overrides === s.overrides && c.epoch === this.deps.epoch()) return c.index;
    const names = this.deps.names();
    const open: string[] = [];
    const vouched = new Set<string>();
    const now = this.deps.now();
    for (const d of s.datasets) {
      const key = names.keyOf(d);
      if (!key) continue;
      if (this.ownOpen(d)) open.push(key);
      // A dataset forced closed stops what is upstream of it from blocking through it.
      else if (activeOverride(s.overrides.get(d), now)?.state === 'closed') vouched.add(key);
    }
    const index = computeBlocks(this.deps.graph, open, vouched);
    this.cache = { graph: this.deps.graph.epoch, breakers: s.breakers, overrides: s.overrides, epoch: this.deps.epoch(), index };
    return index;
  }

  private named(b: Block): UpstreamBlock {
    const names = this.deps.names();
    return { dataset: names.nameOf(b.root), path: b.path.map((k) => names.nameOf(k)), via: b.via.map(jobName) };
  }

  /** Open breakers upstream of a dataset, root causes first. */
  upstreamBlocks(dataset: string): UpstreamBlock[] {
    const key = this.deps.names().keyOf(dataset);
    return key ? (this.index().datasets.get(key) ?? []).map((b) => this.named(b)) : [];
  }

  /** A configured dataset, or one lineage has seen (`namespace/name`). */
  knows(dataset: string): boolean {
    if (this.deps.snapshot().datasets.includes(dataset)) return true;
    const key = this.deps.names().keyOf(dataset);
    return key !== undefined && this.deps.graph.hasDataset(key);
  }

  view(dataset: string): BreakerView | undefined {
    if (!this.knows(dataset)) return undefined;
    const s = this.deps.snapshot();
    return breakerView(dataset, s.breakers.get(dataset), s.overrides.get(dataset), this.deps.now(), this.upstreamBlocks(dataset), this.notScanned(dataset));
  }

  jobView(namespace: string, job: string): JobGateView | undefined {
    const key = nodeKey(namespace, job);
    const edges = this.deps.graph.edgesOf(key);
    if (!edges) return undefined;
    const names = this.deps.names();
    const blocks = (this.index().jobs.get(key) ?? []).map((b) => this.named(b));
    const inputs = edges.inputs.map((k) => {
      const { namespace: ns, name } = splitKey(k);
      const dataset = names.nameOf(k);
      return { dataset, namespace: ns, name, state: (this.view(dataset)?.state ?? 'closed') as BreakerState };
    });
    const open = blocks.length > 0;
    return { namespace, job, state: open ? 'open' : 'closed', ...(open ? { cause: `upstream:${blocks[0]!.dataset}` } : {}), blockedBy: blocks, inputs };
  }

  rootCause(dataset: string): RootCauseView | undefined {
    const view = this.view(dataset);
    if (!view) return undefined;
    const s = this.deps.snapshot();
    const index = this.index();
    const names = this.deps.names();
    const key = names.keyOf(dataset);
    const upstream = key ? (index.datasets.get(key) ?? []) : [];
    // The root's own cause (check_failed, scan_error, not_scanned…), as its own gate would say it.
    const own = (name: string) => {
      const cause = this.view(name)?.cause;
      return { ...(cause && !cause.startsWith('upstream:') ? { cause } : {}), failingChecks: s.breakers.get(name)?.failingChecks ?? [] };
    };
    const causes: RootCauseView['causes'] = upstream.map((b) => ({ ...this.named(b), ...own(names.nameOf(b.root)), rootCause: !index.datasets.has(b.root) }));
    if (this.ownOpen(dataset)) causes.push({ dataset, path: [dataset], via: [], ...own(dataset), rootCause: upstream.length === 0 });
    return { dataset, state: view.state, causes };
  }

  /** A gate's current answer, for long-polls: `dataset:<name>` or `job:<namespace>\u0000<name>`. */
  answer(gate: string): string | undefined {
    if (gate.startsWith('job:')) {
      const [namespace, job] = gate.slice('job:'.length).split('\u0000');
      return this.jobView(namespace!, job!)?.state;
    }
    return this.view(gate.slice('dataset:'.length))?.state;
  }

  /** What an open breaker on `dataset` blocks: datasets and jobs downstream, nearest first. */
  impact(dataset: string): { datasets: string[]; jobs: string[] } {
    const names = this.deps.names();
    const key = names.keyOf(dataset);
    if (!key) return { datasets: [], jobs: [] };
    const reached = this.deps.graph.walk(key, 'downstream');
    const jobs = new Set<string>();
    for (const d of [key, ...reached.map((r) => r.key)]) for (const j of this.deps.graph.readersOf(d)) jobs.add(j);
    return { datasets: reached.map((r) => names.nameOf(r.key)), jobs: [...jobs].filter((j) => !isDeclaredJob(j)).map(jobName) };
  }
}

/** The namespace of the jobs that stand for `upstream:` declarations in datatrust.yml. */
export const DECLARED_NAMESPACE = 'datatrust.config';

export const isDeclaredJob = (key: string): boolean => splitKey(key).namespace === DECLARED_NAMESPACE;

/** The `upstream:` declarations of datatrust.yml as jobs of the one lineage graph: one per declaring dataset. */
export function declaredJobs(config: Config, datasets: readonly string[], names: DatasetNames): [string, JobEdges][] {
  return datasets.flatMap((d): [string, JobEdges][] => {
    const target = names.keyOf(d);
    const inputs = (config.datasets[d]?.upstream ?? []).flatMap((u) => names.keyOf(u) ?? []);
    return target && inputs.length ? [[nodeKey(DECLARED_NAMESPACE, `upstream:${d}`), { inputs, outputs: [target] }]] : [];
  });
}
