import { LineageGraph, QualityState } from '../graph/model';
import { datasetNodeWidth, NODE_HEIGHT, PIPELINE_HEIGHT, pipelineNodeWidth } from './nodeSize';

/** How pipelines (OpenLineage jobs) appear: as edge labels, as small nodes between datasets, or not. */
export type PipelineMode = 'labels' | 'nodes' | 'hidden';

export interface DrawNode {
  id: string;
  label: string;
  kind: 'dataset' | 'pipeline';
  state?: QualityState;
  width: number;
  height: number;
  /** Lineage edges a pipeline node stands for, to highlight it with them. */
  edgeIds: string[];
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

export const PIPELINE_PREFIX = 'pipeline:';

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
    });
  }

  const edges: DrawEdge[] = [];
  const pipelineNodes = new Map<string, DrawNode>();
  const pipelineEdges = new Map<string, DrawEdge>();
  for (const edge of graph.edges) {
    if (!visible.has(edge.source) || !visible.has(edge.target)) {
      continue;
    }
    const sourceState = graph.nodes.get(edge.source)?.state;
    const blocked = sourceState === 'failed' || sourceState === 'blocked';
    if (pipelines !== 'nodes' || edge.pipelines.length === 0) {
      edges.push({
        id: edge.id,
        source: edge.source,
        target: edge.target,
        label: pipelines === 'labels' ? edge.pipelines.join(', ') : '',
        edgeIds: [edge.id],
        blocked,
      });
      continue;
    }
    // source → pipeline → target; datasets sharing a pipeline share its node, as in OpenLineage jobs
    for (const pipeline of edge.pipelines) {
      const pid = PIPELINE_PREFIX + pipeline;
      let pnode = pipelineNodes.get(pid);
      if (!pnode) {
        pnode = {
          id: pid,
          label: pipeline,
          kind: 'pipeline',
          width: pipelineNodeWidth(pipeline),
          height: PIPELINE_HEIGHT,
          edgeIds: [],
        };
        pipelineNodes.set(pid, pnode);
      }
      pnode.edgeIds.push(edge.id);
      addPipelineEdge(pipelineEdges, edge.source, pid, edge.id, blocked);
      addPipelineEdge(pipelineEdges, pid, edge.target, edge.id, blocked);
    }
  }
  return { nodes: [...nodes, ...pipelineNodes.values()], edges: [...edges, ...pipelineEdges.values()] };
}

function addPipelineEdge(map: Map<string, DrawEdge>, source: string, target: string, lineageEdge: string, blocked: boolean) {
  const id = `${source}=>${target}`;
  const existing = map.get(id);
  if (existing) {
    existing.edgeIds.push(lineageEdge);
    existing.blocked = existing.blocked || blocked;
    return;
  }
  map.set(id, { id, source, target, label: '', edgeIds: [lineageEdge], blocked });
}
