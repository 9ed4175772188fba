/** The inputs and outputs of a job's current version: its edges in the graph. */
export interface JobEdges {
  inputs: readonly string[];
  outputs: readonly string[];
}

export type Direction = 'upstream' | 'downstream' | 'both';

/** A dataset reached by a walk, with how: the datasets and jobs from the start to it. */
export interface Reached {
  key: string;
  /** Dataset keys from the start (included) to this one (included). */
  path: string[];
  /** Job keys between consecutive datasets of `path`. */
  via: string[];
}

/**
 * The one lineage graph: datasets and jobs (Marquez's bipartite model), each job linking its
 * current inputs to its current outputs. Jobs come from OpenLineage events and from `upstream:`
 * in datatrust.yml (one declared job per dataset). Mutated in place as events arrive; `epoch`
 * moves with every change so that derived views (blocked sets, metric lines) know to rebuild.
 * Walks visit each node once, so cycles never loop.
 */
export class LineageGraph {
  private readonly io = new Map<string, JobEdges>();
  private readonly readers = new Map<string, Set<string>>();
  private readonly writers = new Map<string, Set<string>>();
  private readonly datasetSet = new Set<string>();
  private version = 0;

  get epoch(): number {
    return this.version;
  }

  addDataset(key: string): void {
    if (this.datasetSet.has(key)) return;
    this.datasetSet.add(key);
    this.version++;
  }

  /** Sets (or with `undefined`, removes) a job's edges. */
  setJob(job: string, edges: JobEdges | undefined): void {
    const prev = this.io.get(job);
    for (const d of prev?.inputs ?? []) this.readers.get(d)?.delete(job);
    for (const d of prev?.outputs ?? []) this.writers.get(d)?.delete(job);
    if (edges) {
      this.io.set(job, { inputs: [...edges.inputs], outputs: [...edges.outputs] });
      for (const d of edges.inputs) this.link(this.readers, d, job);
      for (const d of edges.outputs) this.link(this.writers, d, job);
    } else this.io.delete(job);
    this.version++;
  }

  private link(index: Map<string, Set<string>>, dataset: string, job: string): void {
    this.datasetSet.add(dataset);
    let set = index.get(dataset);
    if (!set) index.set(dataset, (set = new Set()));
    set.add(job);
  }

  hasDataset(key: string): boolean {
    return this.datasetSet.has(key);
  }

  hasJob(key: string): boolean {
    return this.io.has(key);
  }

  datasets(): IterableIterator<string> {
    return this.datasetSet.values();
  }

  jobs(): IterableIterator<[string, JobEdges]> {
    return this.io.entries();
  }

  get datasetCount(): number {
    return this.datasetSet.size;
  }

  get jobCount(): number {
    return this.io.size;
  }

  edgesOf(job: string): JobEdges | undefined {
    return this.io.get(job);
  }

  /** Jobs whose current version reads `dataset`. */
  readersOf(dataset: string): ReadonlySet<string> {
    return this.readers.get(dataset) ?? EMPTY;
  }

  /** Jobs whose current version writes `dataset`. */
  writersOf(dataset: string): ReadonlySet<string> {
    return this.writers.get(dataset) ?? EMPTY;
  }

  /**
   * Datasets reachable from `start` following edges one way, nearest first, each with its
   * shortest path. A dataset for which `stop` is true is neither reached nor walked through.
   */
  walk(start: string, direction: 'upstream' | 'downstream', stop?: (key: string) => boolean): Reached[] {
    const down = direction === 'downstream';
    const reached = new Map<string, Reached>([[start, { key: start, path: [start], via: [] }]]);
    const seenJobs = new Set<string>();
    const order: Reached[] = [];
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      const from = reached.get(queue[i]!)!;
      for (const job of down ? this.readersOf(from.key) : this.writersOf(from.key)) {
        if (seenJobs.has(job)) continue;
        seenJobs.add(job);
        const edges = this.io.get(job)!;
        for (const next of down ? edges.outputs : edges.inputs) {
          if (reached.has(next) || stop?.(next)) continue;
          const r = { key: next, path: [...from.path, next], via: [...from.via, job] };
          reached.set(next, r);
          order.push(r);
          queue.push(next);
        }
      }
    }
    return order;
  }

  /** Every dataset built from `dataset`, nearest first. */
  downstream(dataset: string): string[] {
    return this.walk(dataset, 'downstream').map((r) => r.key);
  }

  /** Every dataset `dataset` is built from, nearest first. */
  upstream(dataset: string): string[] {
    return this.walk(dataset, 'upstream').map((r) => r.key);
  }

  /** Jobs reading `dataset` or anything built from it, nearest first. */
  downstreamJobs(dataset: string): string[] {
    const out = new Set<string>();
    for (const d of [dataset, ...this.downstream(dataset)]) for (const j of this.readersOf(d)) out.add(j);
    return [...out];
  }

  /**
   * The nodes within `depth` job hops of a node, as Marquez's lineage endpoint counts them: a
   * dataset starts at the jobs that write or read it, each hop adds the jobs sharing a dataset
   * with the jobs so far, and every dataset those jobs touch comes along. `both` walks edges
   * either way (Marquez's behaviour: siblings included); `upstream`/`downstream` follow them one way.
   */
  neighbourhood(start: { type: 'dataset' | 'job'; key: string }, depth: number, direction: Direction): { datasets: Set<string>; jobs: Set<string> } {
    const datasets = new Set<string>();
    const jobs = new Set<string>();
    const up = direction !== 'downstream';
    const down = direction !== 'upstream';
    let frontier: string[] = [];
    if (start.type === 'job') {
      if (!this.io.has(start.key)) return { datasets, jobs };
      frontier = [start.key];
    } else {
      datasets.add(start.key);
      if (up) frontier.push(...this.writersOf(start.key));
      if (down) frontier.push(...this.readersOf(start.key));
    }
    for (const j of frontier) jobs.add(j);
    for (let hop = 0; frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const job of frontier) {
        const edges = this.io.get(job)!;
        const touched = direction === 'both' || job === start.key ? [...edges.inputs, ...edges.outputs] : [...(up ? edges.inputs : []), ...(down ? edges.outputs : [])];
        for (const d of touched) {
          datasets.add(d);
          if (hop >= depth) continue;
          for (const j of [...(up ? this.writersOf(d) : []), ...(down ? this.readersOf(d) : [])]) {
            if (jobs.has(j)) continue;
            jobs.add(j);
            next.push(j);
          }
        }
      }
      frontier = next;
    }
    return { datasets, jobs };
  }
}

const EMPTY: ReadonlySet<string> = new Set();
