import { LineageGraph } from './model';
import { blastRadius, Reach, rootCausePath, upstreamOf } from './traversal';

/** What to emphasise when the user clicks a dataset. */
export interface Highlight {
  selected: string;
  /** Downstream impact. */
  blast: Reach;
  /** The full upstream lineage: where the numbers come from. */
  upstream: Reach;
  /** The part of the upstream lineage that leads from the root cause(s) to the selection. */
  cause: Reach;
  rootCauses: Set<string>;
}

export function highlightFor(graph: LineageGraph, id: string): Highlight {
  const cause = rootCausePath(graph, id);
  return {
    selected: id,
    blast: blastRadius(graph, id),
    upstream: upstreamOf(graph, id),
    cause: { nodes: cause.nodes, edges: cause.edges },
    rootCauses: cause.rootCauses,
  };
}
