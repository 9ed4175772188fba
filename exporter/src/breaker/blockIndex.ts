import type { LineageGraph } from '../lineage/lineageGraph';

/** Why a node is blocked: an open breaker upstream (`root`) and the way from it. */
export interface Block {
  /** Dataset key of the open breaker. */
  root: string;
  /** Dataset keys from the root (first) to the blocked dataset, or to the job's input (last). */
  path: string[];
  /** Job keys between consecutive datasets of `path`. */
  via: string[];
}

export interface BlockIndex {
  /** Blocked datasets (open ones upstream of them), blocks sorted root causes first, then nearest. */
  datasets: ReadonlyMap<string, readonly Block[]>;
  /** Jobs that read an open or blocked dataset. */
  jobs: ReadonlyMap<string, readonly Block[]>;
}

function push(map: Map<string, Block[]>, key: string, b: Block): void {
  const list = map.get(key);
  if (!list) map.set(key, [b]);
  else if (!list.some((x) => x.root === b.root)) list.push(b);
}

/**
 * Everything downstream of an open breaker is blocked, through the lineage graph's jobs and
 * datasets. For each open dataset, one walk downstream records the shortest way to every node.
 * A root cause is an open breaker nothing open is upstream of: it comes first, so the gate's
 * cause names where the trouble started, not the nearest symptom. A `vouched` dataset (forced
 * closed by an override) is neither blocked nor passed through: someone answered for it.
 */
export function computeBlocks(graph: LineageGraph, open: Iterable<string>, vouched: ReadonlySet<string> = new Set()): BlockIndex {
  const datasets = new Map<string, Block[]>();
  const jobs = new Map<string, Block[]>();
  const roots = [...new Set(open)];
  for (const root of roots) {
    for (const job of graph.readersOf(root)) push(jobs, job, { root, path: [root], via: [] });
    for (const r of graph.walk(root, 'downstream', (key) => vouched.has(key))) {
      push(datasets, r.key, { root, path: r.path, via: r.via });
      for (const job of graph.readersOf(r.key)) push(jobs, job, { root, path: r.path, via: r.via });
    }
  }
  const isRootCause = (root: string) => !datasets.has(root);
  const order = (a: Block, b: Block) => Number(isRootCause(b.root)) - Number(isRootCause(a.root)) || a.path.length - b.path.length || (a.root < b.root ? -1 : 1);
  for (const list of datasets.values()) list.sort(order);
  for (const list of jobs.values()) list.sort(order);
  return { datasets, jobs };
}
