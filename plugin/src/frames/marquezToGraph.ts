import { JobNode, LineageIdentity } from '../graph/model';
import { EdgeInput } from './readEdges';
import { MarquezLineage } from './readMarquezLineage';

/** The exporter reports each dataset's scans as the OpenLineage job `datatrust.scan.<dataset>`. */
export const SCAN_JOB_PREFIX = 'datatrust.scan.';

export interface MarquezDataset {
  id: string;
  lineage: LineageIdentity;
  description?: string;
}

export interface MarquezGraph {
  datasets: MarquezDataset[];
  /** Jobs with their inputs and outputs as panel dataset ids; states are derived later. */
  jobs: Array<Omit<JobNode, 'blocked' | 'blockingInputs'>>;
  /** Dataset → dataset edges, one per input × output of a job, labelled with the job's name. */
  edges: EdgeInput[];
}

/**
 * Marquez's bipartite graph (datasets ↔ jobs) → the panel's dataset graph plus its jobs. `keyOf`
 * turns a dataset's `{namespace, name}` into the name its metrics use. Edges to nodes outside the
 * answer (the far side of the depth limit) are dropped: nothing is known about them.
 */
export function marquezToGraph(lineages: MarquezLineage[], keyOf: (namespace: string, name: string) => string): MarquezGraph {
  const datasetIds = new Map<string, string>();
  const graph: MarquezGraph = { datasets: [], jobs: [], edges: [] };
  for (const lineage of lineages) {
    for (const d of lineage.datasets) {
      if (datasetIds.has(d.nodeId)) {
        continue;
      }
      const id = keyOf(d.namespace, d.name);
      datasetIds.set(d.nodeId, id);
      graph.datasets.push({
        id,
        lineage: { namespace: d.namespace, name: d.name, nodeId: d.nodeId },
        ...(d.description ? { description: d.description } : {}),
      });
    }
  }

  const jobs = new Map<string, MarquezGraph['jobs'][number]>();
  for (const lineage of lineages) {
    for (const j of lineage.jobs) {
      // DataTrust's own scans read every checked dataset; they observe the lineage, they are not part of it
      if (j.name.startsWith(SCAN_JOB_PREFIX)) {
        continue;
      }
      if (!jobs.has(j.nodeId)) {
        jobs.set(j.nodeId, { id: j.nodeId, label: j.name, inputs: [], outputs: [], lineage: { namespace: j.namespace, name: j.name, nodeId: j.nodeId } });
      }
    }
  }
  for (const lineage of lineages) {
    for (const [origin, destination] of lineage.edges) {
      const readBy = jobs.get(destination);
      const input = datasetIds.get(origin);
      if (readBy && input !== undefined && !readBy.inputs.includes(input)) {
        readBy.inputs.push(input);
      }
      const writtenBy = jobs.get(origin);
      const output = datasetIds.get(destination);
      if (writtenBy && output !== undefined && !writtenBy.outputs.includes(output)) {
        writtenBy.outputs.push(output);
      }
    }
  }
  for (const job of jobs.values()) {
    for (const source of job.inputs) {
      for (const target of job.outputs) {
        if (source !== target) {
          graph.edges.push({ source, target, pipeline: job.label });
        }
      }
    }
    graph.jobs.push(job);
  }
  return graph;
}
