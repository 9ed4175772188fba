import { Adjacency, adjacencyOf } from './adjacency';
import { LineageGraph } from './model';

/** Datasets and edges reached by a walk; the start itself is included only when a cycle returns to it. */
export interface Reach {
  nodes: Set<string>;
  edges: Set<string>;
}

type Direction = 'downstream' | 'upstream';

/**
 * Breadth-first walk along (downstream) or against (upstream) the edges. `maxDepth` 0 means no limit.
 * Visited sets make cycles terminate.
 */
export function walk(adjacency: Adjacency, start: string, direction: Direction, maxDepth = 0): Reach {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  const seen = new Set<string>([start]);
  let frontier = [start];
  let depth = 0;
  while (frontier.length > 0 && (maxDepth === 0 || depth < maxDepth)) {
    const next: string[] = [];
    for (const id of frontier) {
      const incident = (direction === 'downstream' ? adjacency.out : adjacency.in).get(id) ?? [];
      for (const edge of incident) {
        const other = direction === 'downstream' ? edge.target : edge.source;
        edges.add(edge.id);
        nodes.add(other);
        if (!seen.has(other)) {
          seen.add(other);
          next.push(other);
        }
      }
    }
    frontier = next;
    depth++;
  }
  return { nodes, edges };
}

/** Everything downstream of a dataset: what breaks if it breaks. */
export function blastRadius(graph: LineageGraph, id: string): Reach {
  return walk(adjacencyOf(graph), id, 'downstream');
}

/** Everything the dataset is derived from. */
export function upstreamOf(graph: LineageGraph, id: string): Reach {
  return walk(adjacencyOf(graph), id, 'upstream');
}

/**
 * The datasets and edges on every path from the dataset's root causes down to it. A dataset that
 * failed on its own and has no blocking ancestor is its own root cause (path of one node).
 */
export function rootCausePath(graph: LineageGraph, id: string): Reach & { rootCauses: Set<string> } {
  const node = graph.nodes.get(id);
  const empty = { nodes: new Set<string>(), edges: new Set<string>(), rootCauses: new Set<string>() };
  if (!node) {
    return empty;
  }
  const roots = node.rootCauses.length > 0 ? node.rootCauses : node.ownState === 'failed' ? [id] : [];
  if (roots.length === 0) {
    return empty;
  }
  const adjacency = adjacencyOf(graph);
  const upstream = walk(adjacency, id, 'upstream');
  const onPath = new Set<string>([id]);
  const edges = new Set<string>();
  for (const root of roots) {
    onPath.add(root);
    const below = walk(adjacency, root, 'downstream');
    for (const candidate of below.nodes) {
      if (upstream.nodes.has(candidate)) {
        onPath.add(candidate);
      }
    }
  }
  // An edge is on a path when both ends are; upstream.edges limits it to edges that lead to `id`.
  for (const edge of graph.edges) {
    if (onPath.has(edge.source) && onPath.has(edge.target) && upstream.edges.has(edge.id)) {
      edges.add(edge.id);
    }
  }
  return { nodes: onPath, edges, rootCauses: new Set(roots) };
}
