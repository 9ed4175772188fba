import { indexEdges } from '../graph/adjacency';
import { DatasetNode, DatasetSignals, LineageEdge, QualityState } from '../graph/model';
import { classifyOwnState, isUpstreamCause } from './classifyOwnState';
import { PassRatioThresholds } from './thresholds';

export interface DatasetInput {
  id: string;
  label: string;
  signals: DatasetSignals;
}

/**
 * Turns per-dataset signals into coloured nodes. A dataset is blocked when any upstream dataset's
 * breaker is open: that breaker stops every downstream load, whatever the dataset's own checks say.
 * An own failure stays red even when it is also blocked, because it needs its own fix.
 */
export function deriveStates(
  datasets: DatasetInput[],
  edges: LineageEdge[],
  thresholds: PassRatioThresholds
): Map<string, DatasetNode> {
  const nodes = new Map<string, DatasetNode>();
  for (const { id, label, signals } of datasets) {
    const ownState = classifyOwnState(signals, id, thresholds);
    // Without breaker data an own failure is assumed to have tripped it; a closed breaker never blocks.
    const blocksDownstream =
      signals.breakerOpen === undefined ? ownState === 'failed' : signals.breakerOpen && !isUpstreamCause(signals, id);
    nodes.set(id, { id, label, signals, ownState, state: ownState, blocksDownstream, blockingAncestors: [], rootCauses: [] });
  }

  const adjacency = indexEdges(edges);
  const blockers = [...nodes.values()].filter((n) => n.blocksDownstream);
  // distance from each blocker, so `blockingAncestors` can be listed nearest first
  const ancestorsOf = new Map<string, Map<string, number>>();
  for (const blocker of blockers) {
    const distances = distancesDownstream(adjacency, blocker.id);
    for (const [target, distance] of distances) {
      if (target === blocker.id) {
        continue;
      }
      let map = ancestorsOf.get(target);
      if (!map) {
        map = new Map();
        ancestorsOf.set(target, map);
      }
      map.set(blocker.id, distance);
    }
  }

  for (const node of nodes.values()) {
    const ancestors = ancestorsOf.get(node.id);
    if (ancestors) {
      node.blockingAncestors = [...ancestors.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([id]) => id);
    }
    const exporterCause = isUpstreamCause(node.signals, node.id) && node.signals.breakerOpen === true;
    if (exporterCause && node.signals.breakerCause && !node.blockingAncestors.includes(node.signals.breakerCause)) {
      node.blockingAncestors.push(node.signals.breakerCause);
    }
    // the exporter's own verdict covers blockers outside the data (a depth-limited lineage query)
    const blocked = node.blockingAncestors.length > 0 || node.signals.upstreamBlocked === true;
    const state: QualityState = node.ownState === 'failed' ? 'failed' : blocked ? 'blocked' : node.ownState;
    node.state = state;
  }

  for (const node of nodes.values()) {
    // Root causes: blocking ancestors that are not themselves blocked by another one. In a cycle of
    // open breakers every member blocks every other, so fall back to all of them.
    const roots = node.blockingAncestors.filter((id) => (ancestorsOf.get(id)?.size ?? 0) === 0);
    node.rootCauses = roots.length > 0 ? roots : [...node.blockingAncestors];
  }
  return nodes;
}

function distancesDownstream(adjacency: ReturnType<typeof indexEdges>, start: string): Map<string, number> {
  const distances = new Map<string, number>();
  let frontier = [start];
  let depth = 0;
  const seen = new Set([start]);
  while (frontier.length > 0) {
    depth++;
    const next: string[] = [];
    for (const id of frontier) {
      for (const edge of adjacency.out.get(id) ?? []) {
        if (edge.target === start) {
          distances.set(start, depth);
        }
        if (!seen.has(edge.target)) {
          seen.add(edge.target);
          distances.set(edge.target, depth);
          next.push(edge.target);
        }
      }
    }
    frontier = next;
  }
  return distances;
}
