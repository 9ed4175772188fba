import { adjacencyOf } from './adjacency';
import { LineageGraph } from './model';
import { walk } from './traversal';

/** Which side of the focus to show: Marquez's `both`, or only where data comes from or goes to. */
export type LineageDirection = 'both' | 'upstream' | 'downstream';

export const LINEAGE_DIRECTIONS: readonly LineageDirection[] = ['upstream', 'both', 'downstream'];

/** A dashboard variable's value as a direction; anything else (unset, `All`) means both. */
export function parseDirection(value: string | undefined): LineageDirection {
  const v = (value ?? '').trim().toLowerCase();
  return v === 'upstream' || v === 'downstream' ? v : 'both';
}

/** What the view centres on: a dataset, or a job (seen through its inputs and outputs). */
export type FocusTarget = { kind: 'dataset'; id: string } | { kind: 'job'; id: string; inputs: string[]; outputs: string[] };

/**
 * Finds the focus by panel id (the dataset name the metrics use), by Marquez node id
 * (`dataset:ns:name`, `job:ns:name`, as the `lineage_node` variable holds it) or by job name.
 */
export function resolveFocus(graph: LineageGraph, raw: string): FocusTarget | undefined {
  const focus = raw.trim();
  if (focus === '') {
    return undefined;
  }
  if (graph.nodes.has(focus)) {
    return { kind: 'dataset', id: focus };
  }
  for (const node of graph.nodes.values()) {
    if (node.lineage?.nodeId === focus) {
      return { kind: 'dataset', id: node.id };
    }
  }
  const job = graph.jobs.find((j) => j.id === focus || j.lineage?.nodeId === focus) ?? graph.jobs.find((j) => j.label === focus);
  return job ? { kind: 'job', id: job.id, inputs: job.inputs, outputs: job.outputs } : undefined;
}

/**
 * The focus plus everything up to `depth` hops upstream and/or downstream of it (0 = no limit).
 * Siblings (other consumers of an upstream dataset) are not included: the view follows the focus's
 * own lineage. A job's lineage is its inputs' upstream and its outputs' downstream.
 */
export function focusNeighbourhood(graph: LineageGraph, focus: FocusTarget, depth: number, direction: LineageDirection = 'both'): Set<string> {
  const adjacency = adjacencyOf(graph);
  const limit = Math.max(0, Math.floor(depth));
  const up = focus.kind === 'dataset' ? [focus.id] : focus.inputs;
  const down = focus.kind === 'dataset' ? [focus.id] : focus.outputs;
  const ids = new Set<string>(focus.kind === 'dataset' ? [focus.id] : []);
  if (direction !== 'downstream') {
    for (const id of up) {
      ids.add(id);
      walk(adjacency, id, 'upstream', limit).nodes.forEach((n) => ids.add(n));
    }
  }
  if (direction !== 'upstream') {
    for (const id of down) {
      ids.add(id);
      walk(adjacency, id, 'downstream', limit).nodes.forEach((n) => ids.add(n));
    }
  }
  return ids;
}
