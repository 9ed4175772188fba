import { LineageGraph, QualityState } from './model';

/**
 * Which datasets survive when a graph is bigger than the drawing limit: open breakers and the
 * datasets they block first (together they are one connected picture of the incident), then
 * warnings and coverage gaps, healthy datasets last.
 */
const KEEP_ORDER: Record<QualityState, number> = { failed: 0, blocked: 1, warn: 2, unknown: 3, ok: 4 };

export interface Collapsed {
  visible: Set<string>;
  hidden: number;
}

/**
 * Keeps at most `maxNodes` datasets (0 = no limit): the pinned ones (focus, selection), then by
 * state severity, then in the given order. The rest are counted for the "N hidden" marker.
 */
export function collapseToLimit(
  graph: LineageGraph,
  candidates: Iterable<string>,
  maxNodes: number,
  pinned: string[] = []
): Collapsed {
  const all = [...candidates];
  if (maxNodes <= 0 || all.length <= maxNodes) {
    return { visible: new Set(all), hidden: 0 };
  }
  const rank = (id: string) => {
    if (pinned.includes(id)) {
      return -1;
    }
    const state = graph.nodes.get(id)?.state ?? 'unknown';
    return KEEP_ORDER[state];
  };
  const ordered = all.map((id, i) => ({ id, r: rank(id), i })).sort((a, b) => a.r - b.r || a.i - b.i);
  const visible = new Set(ordered.slice(0, maxNodes).map((o) => o.id));
  return { visible, hidden: all.length - visible.size };
}
