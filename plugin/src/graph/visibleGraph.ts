import { collapseToLimit } from './collapse';
import { focusNeighbourhood, LineageDirection, resolveFocus } from './focus';
import { LineageGraph } from './model';

export interface ViewRequest {
  /** Dataset id, Marquez node id or job name; empty: the whole graph. */
  focus: string;
  depth: number;
  maxNodes: number;
  direction?: LineageDirection;
}

export interface VisibleGraph {
  /** Datasets to draw. States were computed on the whole graph, so hidden blockers still count. */
  nodeIds: Set<string>;
  /** Datasets left out by the node limit (not by the focus). */
  hidden: number;
  /** The drawn id (dataset or job) of the focus when it is in the graph. */
  focus?: string;
  /** Set when the focus option names a dataset the data does not have. */
  focusMissing?: string;
}

export function visibleGraph(graph: LineageGraph, request: ViewRequest): VisibleGraph {
  const focus = request.focus.trim();
  const target = focus ? resolveFocus(graph, focus) : undefined;
  const neighbourhood = target ? focusNeighbourhood(graph, target, request.depth, request.direction ?? 'both') : undefined;
  const candidates = neighbourhood ?? graph.nodes.keys();
  const pinned = target ? (target.kind === 'dataset' ? [target.id] : [...target.inputs, ...target.outputs]) : [];
  const { visible, hidden } = collapseToLimit(graph, candidates, request.maxNodes, pinned);
  return {
    nodeIds: visible,
    hidden,
    ...(target ? { focus: target.id } : {}),
    ...(focus && !target ? { focusMissing: focus } : {}),
  };
}
