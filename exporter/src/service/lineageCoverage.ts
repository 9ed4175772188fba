import type { DatasetNames } from '../lineage/datasetNames';
import type { LineageGraph } from '../lineage/lineageGraph';
import { splitKey } from '../lineage/model';
import { isDeclaredJob } from './gates';

/** A dataset→dataset edge through a job, as the lineage panel and `datatrust_lineage_edge_info` show it. */
export interface DatasetEdge {
  source: string;
  target: string;
  /** The job's name (`upstream:` declarations have none). */
  pipeline: string;
}

export interface LineageCoverage {
  /** Jobs seen in lineage that write at least one dataset with checks ÷ jobs seen (PRD 5.1, target 80%); undefined with no jobs. */
  pipeline?: number;
  /** Configured datasets that appear in lineage ÷ configured datasets (PRD 5.1, target 90%). */
  lineage?: number;
}

/** Every dataset→dataset edge of the graph: each job's inputs × outputs, named as datasets are shown. */
export function datasetEdges(graph: LineageGraph, names: DatasetNames): DatasetEdge[] {
  const out: DatasetEdge[] = [];
  for (const [job, edges] of graph.jobs()) {
    const pipeline = isDeclaredJob(job) ? '' : splitKey(job).name;
    for (const i of edges.inputs) for (const o of edges.outputs) out.push({ source: names.nameOf(i), target: names.nameOf(o), pipeline });
  }
  return out;
}

/**
 * The PRD's two coverage ratios. `jobs` are the jobs OpenLineage events reported, with the
 * outputs of their current version (none yet for a job that never finished a run);
 * `seenInLineage` says whether events mentioned a dataset key (an `upstream:` declaration is
 * not lineage); `hasChecks` whether a configured dataset has checks.
 */
export function lineageCoverage(
  jobs: Iterable<{ outputs: readonly string[] }>,
  names: DatasetNames,
  configured: readonly string[],
  seenInLineage: (key: string) => boolean,
  hasChecks: (dataset: string) => boolean,
): LineageCoverage {
  let seen = 0;
  let covered = 0;
  for (const job of jobs) {
    seen++;
    if (job.outputs.some((o) => names.configuredAt(o).some(hasChecks))) covered++;
  }
  const inLineage = configured.filter((d) => {
    const key = names.keyOf(d);
    return key !== undefined && seenInLineage(key);
  }).length;
  return {
    ...(seen ? { pipeline: covered / seen } : {}),
    ...(configured.length ? { lineage: inLineage / configured.length } : {}),
  };
}

