import { LineageEdge, LineageGraph } from './model';

/** Edges indexed by endpoint, built once per graph so traversals stay linear in graph size. */
export interface Adjacency {
  out: Map<string, LineageEdge[]>;
  in: Map<string, LineageEdge[]>;
}

const cache = new WeakMap<LineageGraph, Adjacency>();

export function adjacencyOf(graph: LineageGraph): Adjacency {
  const cached = cache.get(graph);
  if (cached) {
    return cached;
  }
  const adjacency = indexEdges(graph.edges);
  cache.set(graph, adjacency);
  return adjacency;
}

export function indexEdges(edges: LineageEdge[]): Adjacency {
  const out = new Map<string, LineageEdge[]>();
  const inn = new Map<string, LineageEdge[]>();
  for (const edge of edges) {
    push(out, edge.source, edge);
    push(inn, edge.target, edge);
  }
  return { out, in: inn };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}
