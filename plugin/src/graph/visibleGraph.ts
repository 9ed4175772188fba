import { collapseToLimit } from './collapse';
import { focusNeighbourhood } from './focus';
import { LineageGraph } from './model';

export interface ViewRequest {
  focus: string;
  depth: number;
  maxNodes: number;
}

export interface VisibleGraph {
  /** Datasets to draw. States were computed on the whole graph, so hidden blockers still count. */
  nodeIds: Set<string>;
  /** Datasets left out by the node limit (not by the focus). */
  hidden: number;
  /** The focus dataset when it is in the graph. */
  focus?: string;
  /** Set when the focus option names a dataset the data does not have. */
  focusMissing?: string;
}

export function visibleGraph(graph: LineageGraph, request: ViewRequest): VisibleGraph {
  const focus = request.focus.trim();
  const neighbourhood = focus ? focusNeighbourhood(graph, focus, request.depth) : undefined;
  const candidates = neighbourhood ?? graph.nodes.keys();
  const pinned = neighbourhood ? [focus] : [];
  const { visible, hidden } = collapseToLimit(graph, candidates, request.maxNodes, pinned);
  return {
    nodeIds: visible,
    hidden,
    ...(neighbourhood ? { focus } : {}),
    ...(focus && !neighbourhood ? { focusMissing: focus } : {}),
  };
}
