import { adjacencyOf } from './adjacency';
import { LineageGraph } from './model';
import { walk } from './traversal';

/**
 * The focus dataset plus everything up to `depth` hops upstream and downstream of it (0 = no
 * limit). Siblings (other consumers of an upstream dataset) are not included: the view follows the
 * focus dataset's own lineage. Undefined when the focus is not in the graph.
 */
export function focusNeighbourhood(graph: LineageGraph, focus: string, depth: number): Set<string> | undefined {
  if (!graph.nodes.has(focus)) {
    return undefined;
  }
  const adjacency = adjacencyOf(graph);
  const limit = Math.max(0, Math.floor(depth));
  const ids = new Set<string>([focus]);
  walk(adjacency, focus, 'upstream', limit).nodes.forEach((id) => ids.add(id));
  walk(adjacency, focus, 'downstream', limit).nodes.forEach((id) => ids.add(id));
  return ids;
}
