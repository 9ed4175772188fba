import { JobNode, LineageEdge, LineageGraph, QualityState } from '../graph/model';
import { datasetNodeWidth, NODE_HEIGHT, PIPELINE_HEIGHT, pipelineNodeWidth } from './nodeSize';

/**
 * How pipelines (OpenLineage jobs) appear: as edge labels, as small nodes between datasets, or not.
 * In every mode but `hidden`, a job with no inputs (an ingest) or no outputs (a report) is drawn as
 * a node: it has no dataset edge to be a label of.
 */
export type PipelineMode = 'labels' | 'nodes' | 'hidden';

export interface DrawNode {
  id: string;
  label: string;
  kind: 'dataset' | 'pipeline';
  /** Datasets: the quality state. Jobs: `blocked` when their gate would refuse them. */
  state?: QualityState;
  width: number;
  height: number;
  /** Lineage edges a pipeline node stands for, to highlight it with them. */
  edgeIds: string[];
  /** A pipeline node's visible inputs and outputs, for highlighting jobs that stand for no edge. */
  inputs?: string[];
  outputs?: string[];
  /** The Marquez lineage node id, when the data came from Marquez: what a click re-centres on. */
  nodeId?: string;
}

export interface DrawEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  edgeIds: string[];
  /** The upstream end is failed or blocked: nothing flows along this edge. */
  blocked: boolean;
}

export interface DrawModel {
  nodes: DrawNode[];
  edges: DrawEdge[];
}

/** What gets drawn for the visible part of the graph; pure, so it is tested without a canvas. */
export function toDrawModel(graph: LineageGraph, visible: Set<string>, pipelines: PipelineMode): DrawModel {
  const nodes: DrawNode[] = [];
  for (const id of visible) {
    const node = graph.nodes.get(id);
    if (!node) {
      continue;
    }
    nodes.push({
      id,
      label: node.label,
      kind: 'dataset',
      state: node.state,
      width: datasetNodeWidth(node.label),
      height: NODE_HEIGHT,
      edgeIds: [],
      ...(node.lineage ? { nodeId: node.lineage.nodeId } : {}),
    });
  }
  const flowsBlocked = (id: string) => {
    const state = graph.nodes.get(id)?.state;
    return state === 'failed' || state === 'blocked';
  };

  // lineage edges by the job that moves data along them, for what each job node stands for
  const edgesByJob = new Map<string, LineageEdge[]>();
  for (const edge of graph.edges) {
    if (visible.has(edge.source) && visible.has(edge.target)) {
      for (const pipeline of edge.pipelines) {
        const list = edgesByJob.get(pipeline);
        if (list) {
          list.push(edge);
        } else {
          edgesByJob.set(pipeline, [edge]);
        }
      }
    }
  }

  const edges: DrawEdge[] = [];
  const jobNodes: DrawNode[] = [];
  const jobEdges = new Map<string, DrawEdge>();
  // jobs drawn as nodes: all of them in `nodes` mode, only the edge-less ones in `labels` mode
  const drawnJobs = new Set<string>();
  for (const job of graph.jobs) {
    const asNode = pipelines === 'nodes' || (pipelines === 'labels' && (job.inputs.length === 0 || job.outputs.length === 0));
    if (!asNode) {
      continue;
    }
    const inputs = job.inputs.filter((id) => visible.has(id));
    const outputs = job.outputs.filter((id) => visible.has(id));
    // a job between two visible datasets, or at the edge of the lineage next to a visible one
    const drawn =
      (inputs.length > 0 && outputs.length > 0) ||
      (job.inputs.length === 0 && outputs.length > 0) ||
      (job.outputs.length === 0 && inputs.length > 0);
    if (!drawn) {
      continue;
    }
    drawnJobs.add(job.label);
    const inputSet = new Set(inputs);
    const outputSet = new Set(outputs);
    const standsFor = (edgesByJob.get(job.label) ?? []).filter((e) => inputSet.has(e.source) && outputSet.has(e.target));
    jobNodes.push(jobDrawNode(job, standsFor.map((e) => e.id), inputs, outputs));
    const bySource = groupIds(standsFor, (e) => e.source);
    const byTarget = groupIds(standsFor, (e) => e.target);
    const blockedOut = job.blocked || inputs.some(flowsBlocked);
    for (const input of inputs) {
      addJobEdge(jobEdges, input, job.id, bySource.get(input) ?? [], flowsBlocked(input));
    }
    for (const output of outputs) {
      addJobEdge(jobEdges, job.id, output, byTarget.get(output) ?? [], blockedOut);
    }
  }

  for (const edge of graph.edges) {
    if (!visible.has(edge.source) || !visible.has(edge.target)) {
      continue;
    }
    // in `nodes` mode an edge goes through its job nodes; one without a drawn job is drawn directly
    const viaJobs = pipelines === 'nodes' && edge.pipelines.length > 0 && edge.pipelines.every((p) => drawnJobs.has(p));
    if (viaJobs) {
      continue;
    }
    edges.push({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      label: pipelines === 'labels' ? edge.pipelines.join(', ') : '',
      edgeIds: [edge.id],
      blocked: flowsBlocked(edge.source),
    });
  }
  return { nodes: [...nodes, ...jobNodes], edges: [...edges, ...jobEdges.values()] };
}

function jobDrawNode(job: JobNode, edgeIds: string[], inputs: string[], outputs: string[]): DrawNode {
  return {
    id: job.id,
    label: job.label,
    kind: 'pipeline',
    ...(job.blocked ? { state: 'blocked' as const } : {}),
    width: pipelineNodeWidth(job.label),
    height: PIPELINE_HEIGHT,
    edgeIds,
    inputs,
    outputs,
    ...(job.lineage ? { nodeId: job.lineage.nodeId } : {}),
  };
}

function groupIds(edges: LineageEdge[], key: (edge: LineageEdge) => string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const edge of edges) {
    const list = groups.get(key(edge));
    if (list) {
      list.push(edge.id);
    } else {
      groups.set(key(edge), [edge.id]);
    }
  }
  return groups;
}

function addJobEdge(map: Map<string, DrawEdge>, source: string, target: string, lineageEdges: string[], blocked: boolean) {
  const id = `${source}=>${target}`;
  const existing = map.get(id);
  if (existing) {
    existing.edgeIds.push(...lineageEdges.filter((e) => !existing.edgeIds.includes(e)));
    existing.blocked = existing.blocked || blocked;
    return;
  }
  map.set(id, { id, source, target, label: '', edgeIds: [...lineageEdges], blocked });
}
